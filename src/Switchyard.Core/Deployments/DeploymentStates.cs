using System.Collections.Concurrent;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;

namespace Switchyard.Core.Deployments;

/// <summary>
/// The live state of every deployment (<see cref="DeploymentState"/>), keyed by deployment id (not by route-table
/// object), so a reload keeps the breaker, cool-down and speed of the deployments that still exist and forgets the
/// others. Route reads it (<see cref="IDeploymentStates"/>), Execute writes it (<see cref="IDeploymentSlots"/>).
/// </summary>
public sealed class DeploymentStates : IDeploymentStates, IDeploymentSlots
{
    private readonly ConcurrentDictionary<string, DeploymentState> _states = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly RateLimiter _limiter;

    /// <summary>Deployments' requests and tokens per minute count in <paramref name="limiter"/>, the process's shared limiter (a private one when null).</summary>
    public DeploymentStates(TimeProvider time, RateLimiter? limiter = null)
    {
        _time = time;
        _limiter = limiter ?? new RateLimiter();
    }

    public DeploymentState Get(string deploymentId) =>
        _states.GetOrAdd(deploymentId, static (id, self) => new DeploymentState(id, self._time, self._limiter), this);

    public bool TryGet(string deploymentId, out DeploymentState? state) => _states.TryGetValue(deploymentId, out state);

    IDeploymentSlot IDeploymentSlots.Slot(string deploymentId) => Get(deploymentId);

    public DeploymentView View(Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return _states.TryGetValue(deployment.Id, out var state) ? state.View(deployment.Resilience) : DeploymentView.Idle;
    }

    /// <summary>A deployment's measured speed; false until one of its attempts has succeeded.</summary>
    public bool TryGetSpeed(string deploymentId, out DeploymentSpeed speed)
    {
        if (_states.TryGetValue(deploymentId, out var state))
        {
            return state.TryGetSpeed(out speed);
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
