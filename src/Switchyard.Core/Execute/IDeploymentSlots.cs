using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;

namespace Switchyard.Core.Execute;

/// <summary>What Execute writes to deployments' live state: the one write surface of the per-deployment state (<c>Deployments/DeploymentStates</c>).</summary>
public interface IDeploymentSlots
{
    /// <summary>The live state of <paramref name="deploymentId"/>, made on first use and kept across reloads while the deployment exists.</summary>
    IDeploymentSlot Slot(string deploymentId);
}

/// <summary>
/// One deployment as an attempt sees it: take a slot before sending (breaker, cool-down, concurrency cap, per-minute
/// limits), report how the attempt went, give the slot back when it ends (a stream holds it until its last event).
/// </summary>
public interface IDeploymentSlot
{
    /// <summary>True while the breaker is closed (neither open nor half-open).</summary>
    bool BreakerClosed { get; }

    /// <summary>
    /// Takes a slot right before sending; refused when cooling down, open (or half-open with its probe already out), at
    /// the concurrency cap, or over its requests or tokens per minute. With such limits it counts the request and
    /// reserves <paramref name="reserveTokens"/> until <see cref="Leave"/>. <paramref name="isProbe"/>: the one
    /// request a half-open breaker lets through.
    /// </summary>
    bool TryEnter(ResiliencePolicy policy, int reserveTokens, out Availability refusal, out TimeSpan wait, out bool isProbe, out RateReservation reservation);

    /// <summary>Takes the cool-down's probe slot (one request per <c>rate_limit_probe_interval</c> while cooling down after a 429); end it with <see cref="EndCoolDownProbe"/>.</summary>
    bool TryEnterCoolDownProbe(ResiliencePolicy policy, int reserveTokens, out Availability refusal, out TimeSpan wait, out RateReservation reservation);

    /// <summary>Records how an attempt ended (the slot stays taken until <see cref="Leave"/>).</summary>
    void Record(ResiliencePolicy policy, AttemptVerdict verdict, TimeSpan latency, TimeSpan? retryAfter, bool wasProbe);

    /// <summary>How the cool-down's probe ended: a success lifts the cool-down, a 429 renews it with the probe's own wait.</summary>
    void EndCoolDownProbe(ResiliencePolicy policy, AttemptVerdict verdict, TimeSpan? retryAfter);

    /// <summary>Adds one served request's output tokens per second after the first token.</summary>
    void RecordGenerationRate(double tokensPerSecond);

    /// <summary>Gives the slot back and settles its reservation to <paramref name="usedTokens"/> (null keeps the estimate).</summary>
    void Leave(in RateReservation reservation, int? usedTokens);
}

/// <summary>How an attempt ended, as far as the deployment's health is concerned.</summary>
public enum AttemptVerdict
{
    /// <summary>The deployment served (counts as a success for the breaker).</summary>
    Success,

    /// <summary>5xx, timeout, refused connection, broken or malformed answer: counts towards opening the breaker.</summary>
    Failure,

    /// <summary>429: cools the deployment down for the <c>retry-after</c> (or the default cool-down); not a breaker failure.</summary>
    RateLimited,

    /// <summary>Says nothing about the deployment (the client left, the request itself was refused).</summary>
    Neutral,
}

/// <summary>
/// What an attempt holds of its deployment's <c>requests_per_minute</c> / <c>tokens_per_minute</c> until it ends: the
/// request and the tokens reserved when it started (empty when the deployment has no such limits). The time is kept in
/// Unix seconds (all the limiter needs to find the window): the struct lives in every attempt's state machine.
/// </summary>
public readonly record struct RateReservation(RateLimit[]? Limits, long AtUnixSeconds, int Tokens)
{
    public bool IsEmpty => Limits is null;
}
