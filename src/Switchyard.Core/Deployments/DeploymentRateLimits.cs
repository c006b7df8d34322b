using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Deployments;

/// <summary>
/// Requests and tokens per minute of a deployment, counted in the shared <see cref="RateLimiter"/> under the scope
/// <c>deployment:ID</c> (the same clock-aligned minutes, and across replicas the same exchange and tolerances, as key
/// limits: docs/tenancy.md). An attempt reserves one request and its estimated tokens when it starts and settles them
/// to the real usage when it ends, so requests in flight count. The requests in flight themselves are counted once,
/// by <see cref="DeploymentState"/> (the limiter counts in-flight only for limits with a concurrency cap).
/// </summary>
internal sealed class DeploymentRateLimits(string deploymentId, TimeProvider time, RateLimiter limiter)
{
    private readonly string _scope = ScopeOf(deploymentId);
    private ResiliencePolicy? _policy;
    private RateLimit[]? _limits;

    /// <summary>The counter scope of a deployment's rate limits in the shared limiter.</summary>
    public static string ScopeOf(string deploymentId) => "deployment:" + deploymentId;

    public static bool Apply(ResiliencePolicy policy) => (policy.RequestsPerMinute ?? policy.TokensPerMinute) is not null;

    /// <summary>This replica's and the other replicas' requests and tokens in the current minute.</summary>
    public RateCounter Usage() => limiter.Usage(_scope, time.GetUtcNow());

    /// <summary>Whether the shared counts leave room for one more request now; the wait is until the minute turns.</summary>
    public Availability Check(ResiliencePolicy policy, out TimeSpan wait) =>
        limiter.Check(LimitsOf(policy)[0], time.GetUtcNow(), out wait) switch
        {
            RateRefusal.None => Availability.Available,
            RateRefusal.Tokens => Availability.OverTokenLimit,
            _ => Availability.OverRateLimit,
        };

    /// <summary>Counts the request and reserves its tokens; false (nothing counted) when another replica's share filled the minute meanwhile.</summary>
    public bool TryReserve(ResiliencePolicy policy, int tokens, out RateReservation reservation, out Availability refusal, out TimeSpan wait)
    {
        var limits = LimitsOf(policy);
        var now = time.GetUtcNow();
        var decision = limiter.TryAcquire(limits, tokens, now);
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

    /// <summary>Settles a reservation: <paramref name="usedTokens"/> replace the estimate (null keeps it).</summary>
    public void Settle(in RateReservation reservation, int? usedTokens)
    {
        if (reservation.Limits is { } limits)
        {
            limiter.Release(limits, DateTimeOffset.FromUnixTimeSeconds(reservation.AtUnixSeconds), reservation.Tokens, usedTokens ?? reservation.Tokens);
        }
    }

    /// <summary>The limits of <paramref name="policy"/> in the limiter's terms, built once per policy (a reload makes a new one); call under the state's lock.</summary>
    private RateLimit[] LimitsOf(ResiliencePolicy policy)
    {
        if (!ReferenceEquals(_policy, policy))
        {
            _policy = policy;
            _limits = [new RateLimit(_scope, deploymentId, policy.RequestsPerMinute, policy.TokensPerMinute is { } tpm ? (int)Math.Min(tpm, int.MaxValue) : null, null)];
        }

        return _limits!;
    }
}
