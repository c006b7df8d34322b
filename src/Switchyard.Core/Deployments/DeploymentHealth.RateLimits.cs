using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Deployments;

/// <summary>
/// What an attempt holds of its deployment's <c>requests_per_minute</c> / <c>tokens_per_minute</c> until it ends: the
/// request and the tokens reserved when it started (empty when the deployment has no such limits). The time is kept in
/// Unix seconds (all the limiter needs to find the window): the struct lives in every attempt's state machine.
/// </summary>
public readonly record struct RateReservation(RateLimit[]? Limits, long AtUnixSeconds, int Tokens)
{
    public bool IsEmpty => Limits is null;
}

/// <summary>
/// Requests and tokens per minute of the deployment, counted in the shared <see cref="RateLimiter"/> under the scope
/// <c>deployment:ID</c> (the same clock-aligned minutes, and across replicas the same exchange and tolerances, as key
/// limits: docs/tenancy.md). An attempt reserves one request and its estimated tokens when it starts and settles them
/// to the real usage when it ends, so requests in flight count.
/// </summary>
public sealed partial class DeploymentHealth
{
    /// <summary>The counter scope of a deployment's rate limits in the shared limiter.</summary>
    public static string ScopeOf(string deploymentId) => "deployment:" + deploymentId;

    /// <summary>This replica's and the other replicas' requests and tokens in the current minute.</summary>
    public RateCounter RateUsage() => _limiter.Usage(_scope, _time.GetUtcNow());

    /// <summary>
    /// Gives back the slot taken by <see cref="TryEnter(ResiliencePolicy, int, out Availability, out TimeSpan, out bool, out RateReservation)"/>
    /// and settles its reservation: <paramref name="usedTokens"/> replace the estimate (null keeps it: the upstream
    /// reported no usage, or may have spent tokens on an attempt that timed out).
    /// </summary>
    public void Leave(in RateReservation reservation, int? usedTokens)
    {
        if (reservation.Limits is { } limits)
        {
            _limiter.Release(limits, DateTimeOffset.FromUnixTimeSeconds(reservation.AtUnixSeconds), reservation.Tokens, usedTokens ?? reservation.Tokens);
        }

        Interlocked.Decrement(ref _outstanding);
    }

    /// <summary>The limits of <paramref name="policy"/> in the limiter's terms, built once per policy (a reload makes a new one).</summary>
    private RateLimit[] RateLimitsLocked(ResiliencePolicy policy)
    {
        if (!ReferenceEquals(_ratePolicy, policy))
        {
            _ratePolicy = policy;
            _rateLimits = [new RateLimit(_scope, DeploymentId, policy.RequestsPerMinute, policy.TokensPerMinute is { } tpm ? (int)Math.Min(tpm, int.MaxValue) : null, null)];
        }

        return _rateLimits!;
    }

    /// <summary>Whether the shared counts leave room for one more request now; the wait is until the minute turns.</summary>
    private Availability RateAvailabilityLocked(ResiliencePolicy policy, out TimeSpan wait) =>
        _limiter.Check(RateLimitsLocked(policy)[0], _time.GetUtcNow(), out wait) switch
        {
            RateRefusal.None => Availability.Available,
            RateRefusal.Tokens => Availability.OverTokenLimit,
            _ => Availability.OverRateLimit,
        };

    /// <summary>Counts the request and reserves its tokens; false (nothing counted) when another replica's share filled the minute meanwhile.</summary>
    private bool TryReserveLocked(ResiliencePolicy policy, int tokens, out RateReservation reservation, out Availability refusal, out TimeSpan wait)
    {
        var limits = RateLimitsLocked(policy);
        var now = _time.GetUtcNow();
        var decision = _limiter.TryAcquire(limits, tokens, now);
        if (!decision.Allowed)
        {
            reservation = default;
            refusal = decision.Refusal == RateRefusal.Tokens ? Availability.OverTokenLimit : Availability.OverRateLimit;
            wait = decision.RetryAfter;
            return false;
        }

        reservation = new RateReservation(limits, now.ToUnixTimeSeconds(), tokens);
        refusal = Availability.Available;
        wait = TimeSpan.Zero;
        return true;
    }
}
