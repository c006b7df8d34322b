using Switchyard.Core.Route;

namespace Switchyard.Core.Deployments;

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
