using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Deployments;

/// <summary>
/// The one live state of a deployment, kept by deployment id across reloads: its <see cref="Breaker"/>, its rate-limit
/// <see cref="CoolDown"/>, the requests in flight (counted here and only here: caps and least-outstanding read it), its
/// per-minute limits (<see cref="DeploymentRateLimits"/>, counted in the shared <see cref="RateLimiter"/>) and its
/// <see cref="SpeedFigures"/>. Route reads it through <see cref="IDeploymentStates"/>, Execute writes it through
/// <see cref="IDeploymentSlot"/>. The policy is passed in on each call, so a reload's new thresholds apply at once.
/// </summary>
public sealed class DeploymentState : IDeploymentSlot
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private readonly Breaker _breaker;
    private readonly CoolDown _coolDown;
    private readonly DeploymentRateLimits _limits;
    private readonly SpeedFigures _speed = new();
    private int _inFlight;
    private DateTimeOffset? _lastProbeAt;
    private bool? _lastProbeHealthy;

    /// <summary>The state of <paramref name="deploymentId"/>; its rate limits count in <paramref name="limiter"/>, the process's shared one (a private one when null).</summary>
    public DeploymentState(string deploymentId, TimeProvider time, RateLimiter? limiter = null)
    {
        DeploymentId = deploymentId;
        _time = time;
        _breaker = new Breaker(time);
        _coolDown = new CoolDown(time);
        _limits = new DeploymentRateLimits(deploymentId, time, limiter ?? new RateLimiter());
    }

    public string DeploymentId { get; }

    /// <summary>Requests in flight on the deployment now.</summary>
    public int Outstanding => Volatile.Read(ref _inFlight);

    public BreakerState State
    {
        get
        {
            lock (_lock)
            {
                return _breaker.State;
            }
        }
    }

    public bool BreakerClosed => State == BreakerState.Closed;

    /// <summary>The counter scope of a deployment's rate limits in the shared limiter.</summary>
    public static string ScopeOf(string deploymentId) => DeploymentRateLimits.ScopeOf(deploymentId);

    /// <summary>This replica's and the other replicas' requests and tokens in the current minute.</summary>
    public RateCounter RateUsage() => _limits.Usage();

    /// <summary>What routing should know now. An open breaker whose break has elapsed reads as available: the next request is its probe.</summary>
    public DeploymentView View(ResiliencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            return new DeploymentView(AvailabilityLocked(policy, now, out var wait), _inFlight, _speed.LatencyMs, wait);
        }
    }

    public bool TryGetSpeed(out DeploymentSpeed speed)
    {
        lock (_lock)
        {
            return _speed.TryGet(out speed);
        }
    }

    public bool TryEnter(ResiliencePolicy policy, int reserveTokens, out Availability refusal, out TimeSpan wait, out bool isProbe, out RateReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            isProbe = false;
            reservation = default;
            // The per-minute limits are left to TryReserve: the limiter checks and counts under one lock.
            refusal = AvailabilityLocked(policy, now, out wait, rateLimits: false);
            if (refusal != Availability.Available)
            {
                return false;
            }

            if (DeploymentRateLimits.Apply(policy) && !_limits.TryReserve(policy, reserveTokens, out reservation, out refusal, out wait))
            {
                return false;
            }

            isProbe = _breaker.Enter();
            _inFlight++;
            return true;
        }
    }

    public bool TryEnterCoolDownProbe(ResiliencePolicy policy, int reserveTokens, out Availability refusal, out TimeSpan wait, out RateReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            reservation = default;
            refusal = AvailabilityLocked(policy, now, out wait, rateLimits: false);
            if (refusal != Availability.CoolingDown || _breaker.State != BreakerState.Closed || !_coolDown.ProbeDue(policy, now, ref wait))
            {
                return false;
            }

            // The rest of what keeps a deployment out still holds for a probe.
            if (policy.MaxConcurrency is { } cap && _inFlight >= cap)
            {
                refusal = Availability.AtCapacity;
                wait = TimeSpan.Zero;
                return false;
            }

            if (DeploymentRateLimits.Apply(policy) && !_limits.TryReserve(policy, reserveTokens, out reservation, out refusal, out wait))
            {
                return false;
            }

            _coolDown.TakeProbe(policy, now);
            _inFlight++;
            refusal = Availability.Available;
            return true;
        }
    }

    public void Record(ResiliencePolicy policy, AttemptVerdict verdict, TimeSpan latency, TimeSpan? retryAfter, bool wasProbe)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            if (wasProbe)
            {
                _breaker.ProbeInFlight = false;
            }

            switch (verdict)
            {
                case AttemptVerdict.Success:
                    _breaker.Succeed(policy, now);
                    _speed.AddLatency(latency);
                    break;
                case AttemptVerdict.Failure:
                    _breaker.Fail(policy, now);
                    break;
                case AttemptVerdict.RateLimited:
                    _coolDown.Start(policy, now, retryAfter);
                    if (_breaker.State == BreakerState.HalfOpen && wasProbe)
                    {
                        // The probe learned only that the upstream is alive but busy: probe again after the cool-down.
                        _breaker.ReopenUntil(_coolDown.Until);
                    }

                    break;
                default:
                    break;
            }
        }
    }

    public void EndCoolDownProbe(ResiliencePolicy policy, AttemptVerdict verdict, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _coolDown.EndProbe(policy, now, verdict, retryAfter);
        }
    }

    public void RecordGenerationRate(double tokensPerSecond)
    {
        lock (_lock)
        {
            _speed.AddGenerationRate(tokensPerSecond);
        }
    }

    public void Leave(in RateReservation reservation, int? usedTokens)
    {
        _limits.Settle(reservation, usedTokens);
        Interlocked.Decrement(ref _inFlight);
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
            if (!healthy)
            {
                _breaker.Fail(policy, now);
            }
            else if (_breaker.State != BreakerState.Closed && !_breaker.ProbeInFlight)
            {
                _breaker.Close();
            }
        }
    }

    public DeploymentHealthReport Report(ResiliencePolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            var (attempts, failures) = _breaker.Window(policy, now);
            _coolDown.IsCooling(now, out var coolingFor);
            return new DeploymentHealthReport(
                _breaker.State,
                AvailabilityLocked(policy, now, out _),
                _breaker.ConsecutiveFailures,
                attempts,
                failures,
                coolingFor,
                _breaker.State == BreakerState.Open ? Timestamps.Remaining(_time, _breaker.OpenUntil, now) : TimeSpan.Zero,
                _inFlight,
                _speed.LatencyMs,
                _breaker.Successes,
                _breaker.Failures,
                _coolDown.RateLimited,
                _breaker.TimesOpened,
                _lastProbeAt,
                _lastProbeHealthy);
        }
    }

    private Availability AvailabilityLocked(ResiliencePolicy policy, long now, out TimeSpan wait, bool rateLimits = true)
    {
        if (_breaker.Refusal(now, out wait) is { } open)
        {
            return open;
        }

        if (_coolDown.IsCooling(now, out wait))
        {
            return Availability.CoolingDown;
        }

        if (policy.MaxConcurrency is { } cap && _inFlight >= cap)
        {
            return Availability.AtCapacity;
        }

        if (rateLimits && DeploymentRateLimits.Apply(policy) && _limits.Check(policy, out var rateWait) is var rate && rate != Availability.Available)
        {
            wait = rateWait;
            return rate;
        }

        return Availability.Available;
    }
}
