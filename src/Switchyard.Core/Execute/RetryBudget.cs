using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Execute;

/// <summary>
/// Caps retries at a share of the traffic (Finagle/Envoy-style retry budget): over a sliding window, retries may
/// not exceed <c>ratio × requests + min_retries</c>. When an upstream is down, every request would otherwise
/// retry and multiply the load on it; with the budget, retries stop and requests fall back or fail fast. A retry that
/// succeeds gives its share back (<see cref="Refund"/>): it was served, not part of a storm, so the budget bounds the
/// retries that fail. A deployment failing 30 % of the time needs retries for 30 % of its requests, of which 70 % are
/// served: 9 % of the traffic counts (issue 13: with the whole 30 % counted, a third of its failures went to the dear fallback).
/// </summary>
public sealed class RetryBudget
{
    private const int Buckets = 10;

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly long[] _epoch = new long[Buckets];
    private readonly int[] _requests = new int[Buckets];
    private readonly int[] _retries = new int[Buckets];
    private long _refused;

    public RetryBudget(TimeProvider time)
    {
        _time = time;
        Array.Fill(_epoch, long.MinValue);
    }

    /// <summary>Retries refused by the budget since start.</summary>
    public long Refused => Interlocked.Read(ref _refused);

    public void RecordRequest(RetryBudgetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_lock)
        {
            _requests[Bucket(settings)]++;
        }
    }

    /// <summary>Takes one retry from the budget; false when the window's retries are used up.</summary>
    public bool TryAcquire(RetryBudgetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_lock)
        {
            var current = Bucket(settings);
            var epochNow = _epoch[current];
            int requests = 0, retries = 0;
            for (var i = 0; i < Buckets; i++)
            {
                if (_epoch[i] > epochNow - Buckets)
                {
                    requests += _requests[i];
                    retries += _retries[i];
                }
            }

            if (Math.Max(0, retries) + 1 > (settings.Ratio * requests) + settings.MinRetries)
            {
                _refused++;
                return false;
            }

            _retries[current]++;
            return true;
        }
    }

    /// <summary>Gives back the share of a retry that succeeded (taken by <see cref="TryAcquire"/>).</summary>
    public void Refund(RetryBudgetSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        lock (_lock)
        {
            // The current bucket may go below zero when the retry was taken in an older one; only the window's sum counts.
            _retries[Bucket(settings)]--;
        }
    }

    private int Bucket(RetryBudgetSettings settings)
    {
        var bucketTicks = Math.Max(1, (long)(settings.Window.TotalSeconds * _time.TimestampFrequency / Buckets));
        var epoch = _time.GetTimestamp() / bucketTicks;
        var i = (int)(epoch % Buckets);
        if (_epoch[i] != epoch)
        {
            _epoch[i] = epoch;
            _requests[i] = 0;
            _retries[i] = 0;
        }

        return i;
    }
}
