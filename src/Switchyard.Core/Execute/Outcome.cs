using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Execute;

/// <summary>What Execute produced: the final attempt's result, which candidate served, and every attempt.</summary>
public sealed class Outcome
{
    public required UpstreamResult Result { get; init; }
    public RouteCandidate? Served { get; init; }
    public required IReadOnlyList<AttemptRecord> Attempts { get; init; }

    /// <summary>Sum of the time spent waiting on upstreams, across attempts.</summary>
    public TimeSpan UpstreamTime { get; init; }

    /// <summary>For streams: the first event has been read (to commit to this candidate) and not yet relayed.</summary>
    public bool StreamPrimed { get; init; }

    /// <summary>
    /// Set when no candidate could even be tried (all open, cooling down, at their cap, or refused by the hard
    /// constraints): the error the client gets (503 naming the reasons, or 429 when all are rate limited).
    /// </summary>
    public Problem? Unavailable { get; init; }

    /// <summary>The plan's first choice (the candidate a request is planned to be served by).</summary>
    public RouteCandidate? FirstChoice { get; init; }

    /// <summary>
    /// When a fallback served (not the plan's first choice): what <paramref name="usage"/> cost there more than it would
    /// have on the first choice (negative when the fallback was cheaper). Null when the first choice served, or nothing did.
    /// </summary>
    public decimal? FallbackExtraCost(in Usage usage) =>
        Result.IsSuccess && Served is { } served && FirstChoice is { } first && !ReferenceEquals(served.Deployment, first.Deployment)
            ? served.Deployment.Model.Price.Cost(usage) - first.Deployment.Model.Price.Cost(usage)
            : null;
}
