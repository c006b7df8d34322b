using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Deployments;

/// <summary>The deployment's speed: one record, read by power-of-two-choices (latency) and the <c>fastest</c> objective (<see cref="IDeploymentStats"/>).</summary>
public sealed partial class DeploymentHealth
{
    private const double EwmaAlpha = 0.3;

    private double _latencyEwmaMs;
    private bool _hasLatency;
    private double _tokensPerSecondEwma;

    /// <summary>
    /// Adds one served request's generation rate: output tokens per second after the first token (after the
    /// whole wait for a response that is not streamed). A non-positive rate (no tokens counted) is no sample.
    /// </summary>
    public void RecordGenerationRate(double tokensPerSecond)
    {
        if (!(tokensPerSecond > 0) || double.IsInfinity(tokensPerSecond))
        {
            return;
        }

        lock (_lock)
        {
            _tokensPerSecondEwma = Ewma(_tokensPerSecondEwma > 0, _tokensPerSecondEwma, tokensPerSecond);
        }
    }

    /// <summary>The measured speed; false until an attempt has succeeded (tokens per second is 0 until a rate was recorded).</summary>
    public bool TryGetSpeed(out DeploymentSpeed speed)
    {
        lock (_lock)
        {
            speed = _hasLatency ? new DeploymentSpeed(_latencyEwmaMs, _tokensPerSecondEwma) : default;
            return _hasLatency;
        }
    }

    private static double Ewma(bool hasSample, double average, double sample) =>
        hasSample ? (EwmaAlpha * sample) + ((1 - EwmaAlpha) * average) : sample;
}
