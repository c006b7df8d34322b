using Switchyard.Configuration;

namespace Switchyard.Resilience;

/// <summary>Requests and tokens per minute: 60 one-second buckets, a sliding minute, and how long until a slot frees.</summary>
public sealed partial class DeploymentHealth
{
    private const int RateBuckets = 60;

    private readonly long[] _rateEpoch = new long[RateBuckets];
    private readonly int[] _rateRequests = new int[RateBuckets];
    private readonly long[] _rateTokens = new long[RateBuckets];

    /// <summary>
    /// Counts the tokens (input + output) of a request that ended, in the second it ended, against
    /// <see cref="ResiliencePolicy.TokensPerMinute"/>. Counted after the fact: requests in flight are not reserved.
    /// </summary>
    public void RecordTokens(long tokens)
    {
        if (tokens <= 0)
        {
            return;
        }

        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _rateTokens[RateBucketLocked(now)] += tokens;
        }
    }

    /// <summary>Counts one request sent in the sliding minute (60 one-second buckets).</summary>
    private void CountRequestLocked(long now) => _rateRequests[RateBucketLocked(now)]++;

    /// <summary>The bucket of the current second, emptied when it last held a second that has left the window.</summary>
    private int RateBucketLocked(long now)
    {
        var epoch = now / _time.TimestampFrequency;
        var i = (int)(epoch % RateBuckets);
        if (_rateEpoch[i] != epoch)
        {
            _rateEpoch[i] = epoch;
            _rateRequests[i] = 0;
            _rateTokens[i] = 0;
        }

        return i;
    }

    /// <summary>
    /// Null when the last 60 seconds of <paramref name="counts"/> add up to less than <paramref name="limit"/>; else
    /// how long until enough of the oldest seconds leave the window for one more request.
    /// </summary>
    private TimeSpan? RateWaitLocked<T>(T[] counts, long limit, long now)
        where T : System.Numerics.IBinaryInteger<T>
    {
        var current = now / _time.TimestampFrequency;
        long used = 0;
        for (var i = 0; i < RateBuckets; i++)
        {
            if (_rateEpoch[i] > current - RateBuckets)
            {
                used += long.CreateTruncating(counts[i]);
            }
        }

        if (used < limit)
        {
            return null;
        }

        // Oldest second first: what was counted in second e leaves the window at second e + 60.
        for (var epoch = current - RateBuckets + 1; epoch <= current; epoch++)
        {
            var i = (int)(((epoch % RateBuckets) + RateBuckets) % RateBuckets);
            if (_rateEpoch[i] == epoch)
            {
                used -= long.CreateTruncating(counts[i]);
                if (used < limit)
                {
                    return Remaining((epoch + RateBuckets) * _time.TimestampFrequency, now);
                }
            }
        }

        return TimeSpan.FromSeconds(RateBuckets);
    }
}
