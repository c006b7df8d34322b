namespace Switchyard.Routing;

/// <summary>One candidate of a plan and why it is where it is.</summary>
public sealed record RouteCandidate(Deployment Deployment, string Reason);

/// <summary>Why a candidate was not eligible (kept for the audit record and for clear errors).</summary>
public sealed record RouteExclusion(string DeploymentId, string Model, ExclusionKind Kind, string Reason);

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
}

/// <summary>What Route decided: ordered candidates (primary first, then fallbacks) with reasons.</summary>
public sealed record RoutePlan(
    string RequestedName,
    bool IsAlias,
    IReadOnlyList<RouteCandidate> Candidates,
    IReadOnlyList<RouteExclusion> Exclusions,
    string Summary);

/// <summary>Why a request cannot be routed at all; Egress maps it to the client's error format.</summary>
public sealed record RouteError(int StatusCode, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null);
