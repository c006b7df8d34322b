using System.Collections.Concurrent;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Deployments;

/// <summary>What the Router reads about deployments' live state (passed in, so routing stays a pure function).</summary>
public interface IDeploymentStates
{
    DeploymentView View(Deployment deployment);
}

/// <summary>
/// The live health of every deployment, keyed by deployment id (not by route-table object), so a reload keeps
/// the breaker, cool-down and speed of the deployments that still exist and forgets the others. The one record of
/// a deployment's speed too: the Executor feeds it, Route reads it (<see cref="IDeploymentStats"/>, objective <c>fastest</c>).
/// </summary>
public sealed class DeploymentStates : IDeploymentStates, IDeploymentStats
{
    private readonly ConcurrentDictionary<string, DeploymentHealth> _states = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly RateLimiter _limiter;

    /// <summary>Deployments' requests and tokens per minute count in <paramref name="limiter"/>, the process's shared limiter (a private one when null).</summary>
    public DeploymentStates(TimeProvider time, RateLimiter? limiter = null)
    {
        _time = time;
        _limiter = limiter ?? new RateLimiter();
    }

    public DeploymentHealth Get(string deploymentId) =>
        _states.GetOrAdd(deploymentId, static (id, self) => new DeploymentHealth(id, self._time, self._limiter), this);

    public bool TryGet(string deploymentId, out DeploymentHealth? health) => _states.TryGetValue(deploymentId, out health);

    public DeploymentView View(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return _states.TryGetValue(deployment.Id, out var health) ? health.View(deployment.Resilience) : DeploymentView.Idle;
    }

    /// <summary>A deployment's measured speed; false until one of its attempts has succeeded.</summary>
    bool IDeploymentStats.TryGet(string deploymentId, out DeploymentSpeed speed)
    {
        if (_states.TryGetValue(deploymentId, out var health))
        {
            return health.TryGetSpeed(out speed);
        }

        speed = default;
        return false;
    }

    /// <summary>Forgets deployments the new table no longer has.</summary>
    public void Retain(RouteTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        var live = table.Models.Values.SelectMany(m => m.Deployments).Select(d => d.Id).ToHashSet(StringComparer.Ordinal);
        foreach (var id in _states.Keys)
        {
            if (!live.Contains(id))
            {
                _states.TryRemove(id, out _);
            }
        }
    }
}
