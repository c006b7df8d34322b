using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;

namespace Switchyard.Core.Route;

/// <summary>
/// What Route reads about deployments' live state: the one read interface of the per-deployment state
/// (<c>Deployments/DeploymentStates</c>), passed in so that routing stays a pure function of its inputs.
/// </summary>
public interface IDeploymentStates
{
    /// <summary>Availability, load and latency of <paramref name="deployment"/> now.</summary>
    DeploymentView View(Deployment deployment);

    /// <summary>The deployment's measured speed; false until one of its attempts has succeeded (objective <c>fastest</c>).</summary>
    bool TryGetSpeed(string deploymentId, out DeploymentSpeed speed);
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

/// <summary>A read of one deployment's live state, handed to the Router (which stays a pure function of its inputs).</summary>
public readonly record struct DeploymentView(Availability Availability, int Outstanding, double LatencyEwmaMs, TimeSpan Wait)
{
    public static readonly DeploymentView Idle = new(Availability.Available, 0, 0, TimeSpan.Zero);
}

/// <summary>
/// The deployment's live speed figures (exponentially weighted moving averages): the time to the first token (the
/// whole wait for a reply that is not streamed; the same figure power-of-two-choices reads as latency) and the
/// output tokens per second after it.
/// </summary>
public readonly record struct DeploymentSpeed(double TimeToFirstTokenMs, double TokensPerSecond);
