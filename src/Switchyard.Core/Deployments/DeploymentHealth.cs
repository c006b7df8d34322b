using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Deployments;

/// <summary>
/// Passive health of one deployment, kept by deployment id across reloads: a circuit breaker (more consecutive
/// failures than chance explains, or a failure ratio over a sliding window; half-open lets exactly one probe through),
/// a rate-limit cool-down (DeploymentHealth.CoolDown.cs), the count of requests in flight (for caps and least-outstanding) and the deployment's speed: a
/// latency EWMA of successful attempts (until the first event for a stream, so its time to first token; read by
/// power-of-two-choices and the <c>fastest</c> objective) and an EWMA of output tokens per second after it
/// (<c>fastest</c>). Its requests and tokens per minute are counted in the shared <see cref="RateLimiter"/>
/// (DeploymentHealth.RateLimits.cs). The policy is passed in on each call, so a reload's new thresholds apply at once.
/// </summary>
public sealed partial class DeploymentHealth
{
    private const int Buckets = 10;

    /// <summary>ln 10⁻⁶: a streak of failures opens the breaker only when chance would produce it less than once in a million tries.</summary>
    private static readonly double _streakChanceLog = Math.Log(1e-6);

    private readonly TimeProvider _time;
    private readonly RateLimiter _limiter;
    private readonly string _scope;
    private readonly Lock _lock = new();
    private readonly long[] _bucketEpoch = new long[Buckets];
    private readonly int[] _bucketAttempts = new int[Buckets];
    private readonly int[] _bucketFailures = new int[Buckets];
    private BreakerState _state;
    private int _consecutiveFailures;
    private long _openUntil;
    private long _cooldownUntil;
    private bool _probeInFlight;
    private int _outstanding;
    private long _successes;
    private long _failures;
    private long _rateLimited;
    private long _timesOpened;
    private DateTimeOffset? _lastProbeAt;
    private bool? _lastProbeHealthy;
    private ResiliencePolicy? _ratePolicy;
    private RateLimit[]? _rateLimits;

    /// <summary>The health of <paramref name="deploymentId"/>; its rate limits count in <paramref name="limiter"/>, the process's shared one (a private one when null).</summary>
    public DeploymentHealth(string deploymentId, TimeProvider time, RateLimiter? limiter = null)
    {
        DeploymentId = deploymentId;
        _time = time;
        _limiter = limiter ?? new RateLimiter();
        _scope = ScopeOf(deploymentId);
        Array.Fill(_bucketEpoch, long.MinValue);
    }

    public string DeploymentId { get; }

    public int Outstanding => Volatile.Read(ref _outstanding);

    public BreakerState State
    {
        get
        {
            lock (_lock)
            {
                return _state;
            }
        }
    }

    /// <summary>What routing should know now. An open breaker whose break has elapsed reads as available: the next request is its probe.</summary>
    public DeploymentView View(ResiliencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            return new DeploymentView(AvailabilityLocked(policy, now, out var wait), _outstanding, _latencyEwmaMs, wait);
        }
    }

    /// <summary>
    /// Takes a slot right before sending. Refused when cooling down, open (or half-open with its probe already
    /// out), at the concurrency cap, or over its requests or tokens per minute. With such limits it counts the
    /// request and reserves <paramref name="reserveTokens"/> (estimated input + maximum output), held by
    /// <paramref name="reservation"/> until <see cref="Leave"/> settles it. <paramref name="isProbe"/> is true for the
    /// one request a half-open breaker lets through.
    /// </summary>
    public bool TryEnter(ResiliencePolicy policy, int reserveTokens, out Availability refusal, out TimeSpan wait, out bool isProbe, out RateReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            isProbe = false;
            reservation = default;
            // The per-minute limits are left to TryReserveLocked: the limiter checks and counts under one lock.
            refusal = AvailabilityLocked(policy, now, out wait, rateLimits: false);
            if (refusal != Availability.Available)
            {
                return false;
            }

            if ((policy.RequestsPerMinute ?? policy.TokensPerMinute) is not null &&
                !TryReserveLocked(policy, reserveTokens, out reservation, out refusal, out wait))
            {
                return false;
            }

            if (_state == BreakerState.Open)
            {
                _state = BreakerState.HalfOpen;
            }

            if (_state == BreakerState.HalfOpen)
            {
                _probeInFlight = true;
                isProbe = true;
            }

            _outstanding++;
            return true;
        }
    }

    /// <summary>Records how an attempt ended (the slot stays taken until <see cref="Leave"/>: a stream occupies it until it ends).</summary>
    public void Record(ResiliencePolicy policy, AttemptVerdict verdict, TimeSpan latency, TimeSpan? retryAfter, bool wasProbe)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (wasProbe)
            {
                _probeInFlight = false;
            }

            switch (verdict)
            {
                case AttemptVerdict.Success:
                    _successes++;
                    _consecutiveFailures = 0;
                    CountLocked(policy, now, failed: false);
                    _latencyEwmaMs = Ewma(_hasLatency, _latencyEwmaMs, latency.TotalMilliseconds);
                    _hasLatency = true;
                    if (_state == BreakerState.HalfOpen)
                    {
                        CloseLocked();
                    }

                    break;
                case AttemptVerdict.Failure:
                    FailLocked(policy, now);
                    break;
                case AttemptVerdict.RateLimited:
                    _rateLimited++;
                    CoolLocked(policy, now, retryAfter);
                    if (_state == BreakerState.HalfOpen && wasProbe)
                    {
                        // The probe learned only that the upstream is alive but busy: probe again after the cool-down.
                        _state = BreakerState.Open;
                        _openUntil = _cooldownUntil;
                    }

                    break;
                default:
                    break;
            }
        }
    }

    /// <summary>An active probe's result: a healthy answer closes an open breaker, a failed one counts as a failure.</summary>
    public void RecordProbe(ResiliencePolicy policy, bool healthy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _lastProbeAt = _time.GetUtcNow();
            _lastProbeHealthy = healthy;
            if (healthy)
            {
                if (_state != BreakerState.Closed && !_probeInFlight)
                {
                    CloseLocked();
                }
            }
            else
            {
                FailLocked(policy, now);
            }
        }
    }

    public DeploymentHealthReport Report(ResiliencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var (attempts, failures) = WindowLocked(policy, now);
            return new DeploymentHealthReport(
                _state,
                AvailabilityLocked(policy, now, out _),
                _consecutiveFailures,
                attempts,
                failures,
                Remaining(_cooldownUntil, now),
                _state == BreakerState.Open ? Remaining(_openUntil, now) : TimeSpan.Zero,
                _outstanding,
                _latencyEwmaMs,
                _successes,
                _failures,
                _rateLimited,
                _timesOpened,
                _lastProbeAt,
                _lastProbeHealthy);
        }
    }

    private Availability AvailabilityLocked(ResiliencePolicy policy, long now, out TimeSpan wait, bool rateLimits = true)
    {
        wait = TimeSpan.Zero;
        if (_state == BreakerState.Open && now < _openUntil)
        {
            wait = Remaining(_openUntil, now);
            return Availability.CircuitOpen;
        }

        if (_state == BreakerState.HalfOpen && _probeInFlight)
        {
            return Availability.CircuitOpen;
        }

        if (now < _cooldownUntil)
        {
            wait = Remaining(_cooldownUntil, now);
            return Availability.CoolingDown;
        }

        if (policy.MaxConcurrency is { } cap && _outstanding >= cap)
        {
            return Availability.AtCapacity;
        }

        if (rateLimits && (policy.RequestsPerMinute ?? policy.TokensPerMinute) is not null && RateAvailabilityLocked(policy, out var rateWait) is var rate &&
            rate != Availability.Available)
        {
            wait = rateWait;
            return rate;
        }

        return Availability.Available;
    }

    private void FailLocked(ResiliencePolicy policy, long now)
    {
        _failures++;
        _consecutiveFailures++;
        CountLocked(policy, now, failed: true);
        if (_state == BreakerState.HalfOpen)
        {
            OpenLocked(policy, now);
            return;
        }

        if (_state == BreakerState.Closed)
        {
            var (attempts, failures) = WindowLocked(policy, now);
            if (StreakIsOutage(policy, attempts, failures) ||
                (attempts >= policy.BreakerMinimumThroughput && failures >= policy.BreakerFailureRatio * attempts))
            {
                OpenLocked(policy, now);
            }
        }
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
        if (_consecutiveFailures < policy.BreakerConsecutiveFailures)
        {
            return false;
        }

        if (attempts < policy.BreakerMinimumThroughput || failures <= 0 || failures >= attempts)
        {
            return true;
        }

        var share = (double)failures / attempts;
        return _consecutiveFailures >= Math.Ceiling(_streakChanceLog / Math.Log(share));
    }

    private void OpenLocked(ResiliencePolicy policy, long now)
    {
        _state = BreakerState.Open;
        _openUntil = now + Ticks(policy.BreakDuration);
        _timesOpened++;
    }

    private void CloseLocked()
    {
        _state = BreakerState.Closed;
        _consecutiveFailures = 0;
        _probeInFlight = false;
        Array.Fill(_bucketEpoch, long.MinValue);
        Array.Clear(_bucketAttempts);
        Array.Clear(_bucketFailures);
    }

    private void CountLocked(ResiliencePolicy policy, long now, bool failed)
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

    private (int Attempts, int Failures) WindowLocked(ResiliencePolicy policy, long now)
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

    private long BucketTicks(ResiliencePolicy policy) => Math.Max(1, Ticks(policy.BreakerWindow) / Buckets);

    private long Ticks(TimeSpan span) => (long)(span.TotalSeconds * _time.TimestampFrequency);

    private TimeSpan Remaining(long until, long now) =>
        until > now ? TimeSpan.FromSeconds((until - now) / (double)_time.TimestampFrequency) : TimeSpan.Zero;
}
