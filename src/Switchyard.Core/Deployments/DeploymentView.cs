using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Deployments;

/// <summary>State of a deployment's circuit breaker.</summary>
public enum BreakerState
{
    Closed,
    Open,
    HalfOpen,
}

/// <summary>Whether a deployment can take a request now, and if not, why.</summary>
public enum Availability
{
    Available,
    CircuitOpen,
    CoolingDown,
    AtCapacity,

    /// <summary>The deployment took its <see cref="ResiliencePolicy.RequestsPerMinute"/> this minute (across replicas); the wait is until the minute turns.</summary>
    OverRateLimit,

    /// <summary>The deployment's reserved and used tokens of this minute reached its <see cref="ResiliencePolicy.TokensPerMinute"/>; the wait is until the minute turns.</summary>
    OverTokenLimit,
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

/// <summary>A read of one deployment's live state, handed to the Router (which stays a pure function of its inputs).</summary>
public readonly record struct DeploymentView(Availability Availability, int Outstanding, double LatencyEwmaMs, TimeSpan Wait)
{
    public static readonly DeploymentView Idle = new(Availability.Available, 0, 0, TimeSpan.Zero);
}

/// <summary>Everything the admin endpoint and metrics show about a deployment.</summary>
public sealed record DeploymentHealthReport(
    BreakerState State,
    Availability Availability,
    int ConsecutiveFailures,
    int WindowAttempts,
    int WindowFailures,
    TimeSpan CooldownRemaining,
    TimeSpan OpenRemaining,
    int Outstanding,
    double LatencyEwmaMs,
    long Successes,
    long Failures,
    long RateLimited,
    long TimesOpened,
    DateTimeOffset? LastProbeAt,
    bool? LastProbeHealthy);
