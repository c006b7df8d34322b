using System.Runtime.CompilerServices;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Execute;

/// <summary>
/// A committed stream that keeps its deployment slot (and the attempt's token source) until it ends, and tells
/// the deployment's health when it broke midway (a stall, a reset, a truncated or malformed stream) or, when it
/// ran to its end, how fast it generated: output tokens (reported, else estimated from the text) over the time
/// spent waiting for the events after the first. Its end settles the deployment's token reservation to the reported
/// usage (the estimate stays when the upstream reported none).
/// </summary>
internal sealed class TrackedStream(IUpstreamStream inner, bool primed, CancellationTokenSource tokens, IDeploymentSlot health, ResiliencePolicy policy,
    RateReservation reservation, TimeProvider time) : IUpstreamStream
{
    private int _disposed;
    private bool _completed = primed ? inner.Current.IsDone : inner.Failure is null;
    private long _readTicks;

    public StreamEvent Current => inner.Current;

    public Usage? Usage => inner.Usage;

    public int ContentChars => inner.ContentChars;

    public DispatchStatus? Failure => inner.Failure;

    // Pooled: a stream reads once per event, and most reads wait on the network (no allocation per event).
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var start = time.GetTimestamp();
        var has = await inner.ReadAsync(cancellationToken);
        _readTicks += time.GetTimestamp() - start;
        _completed = has ? inner.Current.IsDone : inner.Failure is null;
        return has;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        try
        {
            await inner.DisposeAsync();
        }
        finally
        {
            if (inner.Failure is { } failure && Executor.VerdictOf(failure) == AttemptVerdict.Failure)
            {
                health.Record(policy, AttemptVerdict.Failure, TimeSpan.Zero, null, wasProbe: false);
            }
            else if (_completed && _readTicks > 0)
            {
                var output = inner.Usage?.OutputTokens ?? Inspect.Inspector.EstimateTokens(inner.ContentChars);
                health.RecordGenerationRate(output * (double)time.TimestampFrequency / _readTicks);
            }

            tokens.Dispose();
            health.Leave(reservation, inner.Usage?.RateLimitedTokens);
        }
    }
}
