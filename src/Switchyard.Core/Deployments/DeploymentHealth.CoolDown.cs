using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Deployments;

/// <summary>
/// The rate-limit cool-down: a 429 keeps the deployment out of routing for its <c>retry-after</c> (or
/// <c>rate_limit_cooldown</c>). Skipping it is right while an alternative as cheap exists; when none does, the Executor
/// may send one probe per <c>rate_limit_probe_interval</c> (one at a time): a success ends the cool-down early (the
/// 429 was about one request, or the limit has passed), another 429 renews it with the upstream's newest wait.
/// </summary>
public sealed partial class DeploymentHealth
{
    private bool _coolDownProbeInFlight;
    private long _nextCoolDownProbe;

    /// <summary>
    /// Takes the cool-down's probe slot: true when the deployment is cooling down after a 429 (and nothing else keeps it
    /// out), probes are on, none is out and the interval since the last one (or the 429) has passed. Otherwise false,
    /// with <paramref name="wait"/> the time until a request may next get through (the next probe, or the cool-down's end).
    /// Like <see cref="TryEnter(ResiliencePolicy, int, out Availability, out TimeSpan, out bool, out RateReservation)"/>, a
    /// success takes a slot (and reserves the tokens) that <see cref="Leave"/> gives back; end it with <see cref="EndCoolDownProbe"/>.
    /// </summary>
    public bool TryEnterCoolDownProbe(ResiliencePolicy policy, int reserveTokens, out Availability refusal, out TimeSpan wait, out RateReservation reservation)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            reservation = default;
            refusal = AvailabilityLocked(policy, now, out wait, rateLimits: false);
            if (refusal != Availability.CoolingDown || _state != BreakerState.Closed || policy.RateLimitProbeInterval <= TimeSpan.Zero)
            {
                return false;
            }

            if (_coolDownProbeInFlight || now < _nextCoolDownProbe)
            {
                var untilProbe = _coolDownProbeInFlight && now >= _nextCoolDownProbe ? policy.RateLimitProbeInterval : Remaining(_nextCoolDownProbe, now);
                wait = untilProbe < wait ? untilProbe : wait;
                return false;
            }

            // The rest of what keeps a deployment out still holds for a probe.
            if (policy.MaxConcurrency is { } cap && _outstanding >= cap)
            {
                refusal = Availability.AtCapacity;
                wait = TimeSpan.Zero;
                return false;
            }

            if ((policy.RequestsPerMinute ?? policy.TokensPerMinute) is not null &&
                !TryReserveLocked(policy, reserveTokens, out reservation, out refusal, out wait))
            {
                return false;
            }

            _coolDownProbeInFlight = true;
            _nextCoolDownProbe = now + Ticks(policy.RateLimitProbeInterval);
            _outstanding++;
            refusal = Availability.Available;
            return true;
        }
    }

    /// <summary>
    /// How the cool-down's probe ended (after <see cref="Record"/> counted it like any attempt): a success lifts the
    /// cool-down, a 429 replaces it with the probe's own wait (the upstream's newest word), anything else leaves it.
    /// </summary>
    public void EndCoolDownProbe(ResiliencePolicy policy, AttemptVerdict verdict, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var now = _time.GetTimestamp();
        lock (_lock)
        {
            _coolDownProbeInFlight = false;
            if (verdict == AttemptVerdict.Success)
            {
                _cooldownUntil = 0;
            }
            else if (verdict == AttemptVerdict.RateLimited)
            {
                _cooldownUntil = now + Ticks(retryAfter ?? policy.RateLimitCooldown);
            }
        }
    }

    /// <summary>A 429: cool down for its wait (the longer one when already cooling); the next probe waits an interval from now.</summary>
    private void CoolLocked(ResiliencePolicy policy, long now, TimeSpan? retryAfter)
    {
        _cooldownUntil = Math.Max(_cooldownUntil, now + Ticks(retryAfter ?? policy.RateLimitCooldown));
        _nextCoolDownProbe = Math.Max(_nextCoolDownProbe, now + Ticks(policy.RateLimitProbeInterval));
    }
}
