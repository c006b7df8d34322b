using Switchyard.Canonical;
using Switchyard.Ledger;
using Switchyard.Routing;

namespace Switchyard.Execution;

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
}

/// <summary>
/// The Execute stage: walks the plan's candidates in order and falls back on failures that another
/// deployment could avoid. A stream is committed only once its first event has arrived, so a fallback can
/// never happen after a byte reached the client (invariant 4). Retries, breakers and budgets (resilience
/// issue) wrap <see cref="AttemptAsync"/>.
/// </summary>
public sealed class Executor
{
    private readonly TimeProvider _time;

    public Executor(TimeProvider time) => _time = time;

    public async ValueTask<Outcome> ExecuteAsync(CanonicalRequest request, RoutePlan plan, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(plan);
        var attempts = new List<AttemptRecord>(plan.Candidates.Count);
        var upstreamTime = TimeSpan.Zero;
        UpstreamResult? last = null;
        RouteCandidate? lastCandidate = null;
        foreach (var candidate in plan.Candidates)
        {
            var (result, primed, elapsed) = await AttemptAsync(request, candidate.Deployment, requestId, cancellationToken);
            upstreamTime += result.UpstreamTime;
            attempts.Add(new AttemptRecord(candidate.Deployment.Id, result.Status.ToString(), result.UpstreamStatusCode, elapsed.TotalMilliseconds));
            last = result;
            lastCandidate = candidate;
            if (result.IsSuccess)
            {
                return new Outcome { Result = result, Served = candidate, Attempts = attempts, UpstreamTime = upstreamTime, StreamPrimed = primed };
            }

            if (!IsWorthAnotherCandidate(result.Status) || cancellationToken.IsCancellationRequested)
            {
                break;
            }
        }

        return new Outcome
        {
            Result = last ?? UpstreamResult.Failure(DispatchStatus.UpstreamError, 0, "No candidate to try.", TimeSpan.Zero),
            Served = lastCandidate,
            Attempts = attempts,
            UpstreamTime = upstreamTime,
        };
    }

    /// <summary>One attempt against one deployment; a stream must deliver its first event to count as a success.</summary>
    public async ValueTask<(UpstreamResult Result, bool Primed, TimeSpan Elapsed)> AttemptAsync(
        CanonicalRequest request, Deployment deployment, string requestId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        var start = _time.GetTimestamp();
        var result = await deployment.Adapter.SendAsync(new UpstreamCall(request, deployment, requestId), cancellationToken);
        if (!result.IsSuccess || result.Stream is not { } stream)
        {
            return (result, false, _time.GetElapsedTime(start));
        }

        bool gotEvent;
        try
        {
            gotEvent = await stream.ReadAsync(cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await stream.DisposeAsync();
            return (UpstreamResult.Failure(DispatchStatus.ClientCanceled, result.UpstreamStatusCode, "The client closed the connection.", _time.GetElapsedTime(start)), false, _time.GetElapsedTime(start));
        }

        if (!gotEvent && stream.Failure is { } failure)
        {
            await stream.DisposeAsync();
            var elapsed = _time.GetElapsedTime(start);
            return (UpstreamResult.Failure(failure, result.UpstreamStatusCode, "The upstream stream ended before its first event.", elapsed), false, elapsed);
        }

        return (result, gotEvent, _time.GetElapsedTime(start));
    }

    /// <summary>Failures another deployment may not have. A request the upstream rejected as invalid would be rejected everywhere.</summary>
    public static bool IsWorthAnotherCandidate(DispatchStatus status) => status is
        DispatchStatus.RateLimited or DispatchStatus.UpstreamError or DispatchStatus.Timeout or
        DispatchStatus.ConnectFailed or DispatchStatus.AuthFailed or DispatchStatus.InvalidResponse;
}
