using Switchyard.Core.Gate;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;

namespace Switchyard.Core.Route;

/// <summary>One candidate of a plan and why it is where it is.</summary>
/// <param name="Deployment">Where the request would go.</param>
/// <param name="Reason">Why the candidate is at its place.</param>
/// <param name="Quality">Predicted quality for this request, when an objective ordered the plan.</param>
/// <param name="EstimatedCostUsd">Estimated cost of this request on the candidate, when an objective ordered the plan.</param>
public sealed record RouteCandidate(Deployment Deployment, string Reason, double? Quality = null, decimal? EstimatedCostUsd = null);

/// <summary>Why a candidate was not eligible (kept for the audit record and for clear errors).</summary>
public sealed record RouteExclusion(string DeploymentId, string Model, ExclusionKind Kind, string Reason)
{
    /// <summary>For a deployment cooling down or over its rate limit: how long until it may take a request, as read when it was left out.</summary>
    public TimeSpan? Wait { get; init; }
}

public enum ExclusionKind
{
    TrustZone,
    Capability,
    ContextWindow,
    NotAllowed,

    /// <summary>The deployment's wire format cannot carry part of the request (a field of another client format).</summary>
    Untranslatable,

    /// <summary>The deployment's circuit breaker is open (or its half-open probe is out).</summary>
    CircuitOpen,

    /// <summary>The deployment answered 429 and is cooling down.</summary>
    CoolingDown,

    /// <summary>The deployment is at its concurrency cap.</summary>
    AtCapacity,

    /// <summary>The deployment took its requests or tokens per minute (<c>resilience … requests_per_minute</c>, <c>tokens_per_minute</c>).</summary>
    OverRateLimit,
}

/// <summary>What Route decided: ordered candidates (primary first, then fallbacks) with reasons.</summary>
public sealed record RoutePlan(
    string RequestedName,
    bool IsAlias,
    IReadOnlyList<RouteCandidate> Candidates,
    IReadOnlyList<RouteExclusion> Exclusions,
    string Summary)
{
    /// <summary>The objective that ordered the candidates (<see cref="RouteObjective.Weighted"/> for pinned models and split aliases).</summary>
    public RouteObjective Objective { get; init; } = RouteObjective.Weighted;

    /// <summary>The caller the plan was made for: Execute re-checks its allowed zones with the other hard constraints before each send.</summary>
    public Caller? Caller { get; init; }
}
