using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;

namespace Switchyard.Core.Deployments;

/// <summary>
/// The rate-limit cool-down: a 429 keeps the deployment out of routing for its <c>retry-after</c> (or
/// <c>rate_limit_cooldown</c>). Skipping it is right while an alternative as cheap exists; when none does, the Executor
/// may send one probe per <c>rate_limit_probe_interval</c> (one at a time): a success ends the cool-down early (the
/// 429 was about one request, or the limit has passed), another 429 renews it with the upstream's newest wait.
/// Not thread-safe: <see cref="DeploymentState"/> calls it under its lock.
/// </summary>
internal sealed class CoolDown(TimeProvider time)
{
    private long _until;
    private bool _probeInFlight;
    private long _nextProbe;

    public long Until => _until;

    public long RateLimited { get; private set; }

    public bool IsCooling(long now, out TimeSpan wait)
    {
        wait = Timestamps.Remaining(time, _until, now);
        return now < _until;
    }

    /// <summary>A 429: cool down for its wait (the longer one when already cooling); the next probe waits an interval from now.</summary>
    public void Start(ResiliencePolicy policy, long now, TimeSpan? retryAfter)
    {
        RateLimited++;
        _until = Math.Max(_until, now + Timestamps.Ticks(time, retryAfter ?? policy.RateLimitCooldown));
        _nextProbe = Math.Max(_nextProbe, now + Timestamps.Ticks(time, policy.RateLimitProbeInterval));
    }

    /// <summary>
    /// Whether the probe slot is free now (probes on, none out, the interval since the last one or the 429 passed);
    /// otherwise <paramref name="wait"/> becomes the shorter of itself and the time until the next probe.
    /// </summary>
    public bool ProbeDue(ResiliencePolicy policy, long now, ref TimeSpan wait)
    {
        if (policy.RateLimitProbeInterval <= TimeSpan.Zero)
        {
            return false;
        }

        if (_probeInFlight || now < _nextProbe)
        {
            var untilProbe = _probeInFlight && now >= _nextProbe ? policy.RateLimitProbeInterval : Timestamps.Remaining(time, _nextProbe, now);
            wait = untilProbe < wait ? untilProbe : wait;
            return false;
        }

        return true;
    }

    public void TakeProbe(ResiliencePolicy policy, long now)
    {
        _probeInFlight = true;
        _nextProbe = now + Timestamps.Ticks(time, policy.RateLimitProbeInterval);
    }

    /// <summary>The probe ended: a success lifts the cool-down, a 429 replaces it with the probe's own wait, anything else leaves it.</summary>
    public void EndProbe(ResiliencePolicy policy, long now, AttemptVerdict verdict, TimeSpan? retryAfter)
    {
        _probeInFlight = false;
        if (verdict == AttemptVerdict.Success)
        {
            _until = 0;
        }
        else if (verdict == AttemptVerdict.RateLimited)
        {
            _until = now + Timestamps.Ticks(time, retryAfter ?? policy.RateLimitCooldown);
        }
    }
}
