using System.Collections.Concurrent;

namespace Switchyard.Routing;

/// <summary>
/// Live speed of each deployment as exponentially weighted moving averages of time to first token and output
/// tokens per second, fed by the pipeline after every successful response and read by Route (objective
/// <c>fastest</c>) through <see cref="IDeploymentStats"/>. A deployment with no sample yet has no entry.
/// </summary>
public sealed class DeploymentSpeedTracker : IDeploymentStats
{
    /// <summary>Weight of the newest sample.</summary>
    public const double Alpha = 0.2;

    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public bool TryGet(string deploymentId, out DeploymentSpeed speed)
    {
        if (_entries.TryGetValue(deploymentId, out var entry))
        {
            speed = entry.Read();
            return true;
        }

        speed = default;
        return false;
    }

    /// <summary>Adds one observation; a non-positive rate (no tokens counted) updates only the time to first token.</summary>
    public void Record(string deploymentId, double timeToFirstTokenMs, double tokensPerSecond)
    {
        ArgumentNullException.ThrowIfNull(deploymentId);
        _entries.GetOrAdd(deploymentId, static _ => new Entry()).Add(timeToFirstTokenMs, tokensPerSecond);
    }

    private sealed class Entry
    {
        private readonly Lock _lock = new();
        private double _ttft = double.NaN;
        private double _rate = double.NaN;

        public DeploymentSpeed Read()
        {
            lock (_lock)
            {
                return new DeploymentSpeed(double.IsNaN(_ttft) ? 0 : _ttft, double.IsNaN(_rate) ? 0 : _rate);
            }
        }

        public void Add(double ttft, double rate)
        {
            lock (_lock)
            {
                _ttft = double.IsNaN(_ttft) ? ttft : (Alpha * ttft) + ((1 - Alpha) * _ttft);
                if (rate > 0)
                {
                    _rate = double.IsNaN(_rate) ? rate : (Alpha * rate) + ((1 - Alpha) * _rate);
                }
            }
        }
    }
}
