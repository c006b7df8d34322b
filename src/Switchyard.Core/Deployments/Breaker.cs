using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;

namespace Switchyard.Core.Deployments;

/// <summary>State of a deployment's circuit breaker.</summary>
public enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>
/// A deployment's circuit breaker: it opens on more consecutive failures than chance explains, or on a failure ratio
/// over a sliding window of ten buckets; after the break the next request is its one probe (half-open), whose success
/// closes it. Not thread-safe: <see cref="DeploymentState"/> calls it under its lock, with the policy of the moment.
/// </summary>
internal sealed class Breaker(TimeProvider time)
{
    private const int Buckets = 10;

    /// <summary>ln 10⁻⁶: a streak of failures opens the breaker only when chance would produce it less than once in a million tries.</summary>
    private static readonly double _streakChanceLog = Math.Log(1e-6);

    private readonly long[] _bucketEpoch = NewEpochs();
    private readonly int[] _bucketAttempts = new int[Buckets];
    private readonly int[] _bucketFailures = new int[Buckets];
    private long _openUntil;

    public BreakerState State { get; private set; }

    public bool ProbeInFlight { get; set; }

    public int ConsecutiveFailures { get; private set; }

    public long Successes { get; private set; }

    public long Failures { get; private set; }

    public long TimesOpened { get; private set; }

    public long OpenUntil => _openUntil;

    /// <summary>Why the breaker keeps the deployment out now (open before its break ends, or half-open with its probe out), else null.</summary>
    public Availability? Refusal(long now, out TimeSpan wait)
    {
        wait = TimeSpan.Zero;
        if (State == BreakerState.Open && now < _openUntil)
        {
            wait = Timestamps.Remaining(time, _openUntil, now);
            return Availability.CircuitOpen;
        }

        return State == BreakerState.HalfOpen && ProbeInFlight ? Availability.CircuitOpen : null;
    }

    /// <summary>A request goes through: an open breaker whose break elapsed turns half-open; true when the request is its probe.</summary>
    public bool Enter()
    {
        if (State == BreakerState.Open)
        {
            State = BreakerState.HalfOpen;
        }

        if (State == BreakerState.HalfOpen)
        {
            ProbeInFlight = true;
            return true;
        }

        return false;
    }

    public void Succeed(ResiliencePolicy policy, long now)
    {
        Successes++;
        ConsecutiveFailures = 0;
        Count(policy, now, failed: false);
        if (State == BreakerState.HalfOpen)
        {
            Close();
        }
    }

    public void Fail(ResiliencePolicy policy, long now)
    {
        Failures++;
        ConsecutiveFailures++;
        Count(policy, now, failed: true);
        if (State == BreakerState.HalfOpen)
        {
            Open(policy, now);
            return;
        }

        if (State == BreakerState.Closed)
        {
            var (attempts, failures) = Window(policy, now);
            if (StreakIsOutage(policy, attempts, failures) ||
                (attempts >= policy.BreakerMinimumThroughput && failures >= policy.BreakerFailureRatio * attempts))
            {
                Open(policy, now);
            }
        }
    }

    /// <summary>A half-open probe met a 429: the upstream is alive but busy, so probe again when <paramref name="until"/> passes.</summary>
    public void ReopenUntil(long until)
    {
        State = BreakerState.Open;
        _openUntil = until;
    }

    public void Close()
    {
        State = BreakerState.Closed;
        ConsecutiveFailures = 0;
        ProbeInFlight = false;
        Array.Fill(_bucketEpoch, long.MinValue);
        Array.Clear(_bucketAttempts);
        Array.Clear(_bucketFailures);
    }

    public (int Attempts, int Failures) Window(ResiliencePolicy policy, long now)
    {
        var current = now / BucketTicks(policy);
        int attempts = 0, failures = 0;
        for (var i = 0; i < Buckets; i++)
        {
            if (_bucketEpoch[i] > current - Buckets)
            {
                attempts += _bucketAttempts[i];
                failures += _bucketFailures[i];
            }
        }

        return (attempts, failures);
    }

    /// <summary>
    /// Whether the failures in a row are an outage rather than chance. At least <c>consecutive_failures</c>; and once the
    /// window holds <c>minimum_throughput</c> attempts, a streak chance would produce less than once in a million tries at
    /// the window's failure share p (ln 10⁻⁶ / ln p: 6 at 10 %, 12 at 30 %, 16 at 40 %; from 50 % the ratio opens the
    /// breaker anyway). A deployment that fails 30 % of the time but serves when retried has streaks of 5 every few
    /// hundred requests; opening on them moved all its traffic to the dear fallback (issue 13). A dead one fails every
    /// attempt, so its share climbs and it still opens within a few failures.
    /// </summary>
    private bool StreakIsOutage(ResiliencePolicy policy, int attempts, int failures)
    {
        if (ConsecutiveFailures < policy.BreakerConsecutiveFailures)
        {
            return false;
        }

        if (attempts < policy.BreakerMinimumThroughput || failures <= 0 || failures >= attempts)
        {
            return true;
        }

        var share = (double)failures / attempts;
        return ConsecutiveFailures >= Math.Ceiling(_streakChanceLog / Math.Log(share));
    }

    private void Open(ResiliencePolicy policy, long now)
    {
        State = BreakerState.Open;
        _openUntil = now + Timestamps.Ticks(time, policy.BreakDuration);
        TimesOpened++;
    }

    private void Count(ResiliencePolicy policy, long now, bool failed)
    {
        var epoch = now / BucketTicks(policy);
        var i = (int)(epoch % Buckets);
        if (_bucketEpoch[i] != epoch)
        {
            _bucketEpoch[i] = epoch;
            _bucketAttempts[i] = 0;
            _bucketFailures[i] = 0;
        }

        _bucketAttempts[i]++;
        if (failed)
        {
            _bucketFailures[i]++;
        }
    }

    private long BucketTicks(ResiliencePolicy policy) => Math.Max(1, Timestamps.Ticks(time, policy.BreakerWindow) / Buckets);

    private static long[] NewEpochs()
    {
        var epochs = new long[Buckets];
        Array.Fill(epochs, long.MinValue);
        return epochs;
    }
}
