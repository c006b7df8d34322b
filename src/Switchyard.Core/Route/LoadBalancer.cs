using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Route;

/// <summary>Ordering what is left: weighted model targets, then each model's load balancing over its deployments' live state.</summary>
internal sealed class LoadBalancer
{
    private readonly IRandomSource _random;

    public LoadBalancer(IRandomSource random) => _random = random;

    /// <summary>Weighted random order without replacement: the first pick follows the weights, the rest are fallbacks.</summary>
    public List<(ModelInfo Model, int Weight)> OrderTargets(IReadOnlyList<(ModelInfo Model, int Weight)> targets)
    {
        var pool = new List<(ModelInfo Model, int Weight)>(targets.Count);
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Weight > 0)
            {
                pool.Add(targets[i]);
            }
        }

        var ordered = new List<(ModelInfo, int)>(targets.Count);
        while (pool.Count > 0)
        {
            var index = PickWeighted(pool, static t => t.Weight);
            ordered.Add(pool[index]);
            pool.RemoveAt(index);
        }

        // Zero-weight targets are never primaries but still serve as fallbacks.
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Weight == 0)
            {
                ordered.Add(targets[i]);
            }
        }

        return ordered;
    }

    public IReadOnlyList<Deployment> OrderDeployments(ModelInfo model, IDeploymentStates? states)
    {
        var deployments = model.Deployments;
        // The compiled list is immutable, so a single deployment needs no copy (RouteBenchmarks.PinnedModel).
        if (deployments.Count <= 1)
        {
            return deployments;
        }

        var pool = new List<Deployment>(deployments.Count);
        for (var i = 0; i < deployments.Count; i++)
        {
            if (deployments[i].Weight > 0)
            {
                pool.Add(deployments[i]);
            }
        }

        var ordered = new List<Deployment>(deployments.Count);
        var strategy = states is null ? LoadBalancing.Weighted : model.LoadBalancing;
        if (strategy == LoadBalancing.PowerOfTwoLatency && pool.Count >= 2)
        {
            // Two weighted picks; the lower expected wait (latency EWMA × (in flight + 1)) goes first.
            var a = pool[PickWeighted(pool, static d => d.Weight)];
            pool.Remove(a);
            var b = pool[PickWeighted(pool, static d => d.Weight)];
            pool.Remove(b);
            var (first, second) = Score(states!.View(b)) < Score(states.View(a)) ? (b, a) : (a, b);
            ordered.Add(first);
            ordered.Add(second);
        }

        while (pool.Count > 0)
        {
            var index = PickWeighted(pool, static d => d.Weight);
            ordered.Add(pool[index]);
            pool.RemoveAt(index);
        }

        if (strategy == LoadBalancing.LeastOutstanding)
        {
            // Stable insertion sort by requests in flight: equal loads keep their weighted random order.
            for (var i = 1; i < ordered.Count; i++)
            {
                var current = ordered[i];
                var load = states!.View(current).Outstanding;
                var j = i - 1;
                while (j >= 0 && states.View(ordered[j]).Outstanding > load)
                {
                    ordered[j + 1] = ordered[j];
                    j--;
                }

                ordered[j + 1] = current;
            }
        }

        for (var i = 0; i < deployments.Count; i++)
        {
            if (deployments[i].Weight == 0)
            {
                ordered.Add(deployments[i]);
            }
        }

        return ordered;
    }

    private static double Score(DeploymentView view) => view.LatencyEwmaMs * (view.Outstanding + 1);

    private int PickWeighted<T>(List<T> pool, Func<T, int> weight)
    {
        if (pool.Count == 1)
        {
            return 0;
        }

        long total = 0;
        foreach (var item in pool)
        {
            total += weight(item);
        }

        var target = _random.NextDouble() * total;
        for (var i = 0; i < pool.Count; i++)
        {
            target -= weight(pool[i]);
            if (target < 0)
            {
                return i;
            }
        }

        return pool.Count - 1;
    }
}
