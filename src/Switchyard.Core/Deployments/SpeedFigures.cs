using Switchyard.Core.Route;

namespace Switchyard.Core.Deployments;

/// <summary>
/// The deployment's one set of live speed figures, exponentially weighted: the latency of successful attempts (until
/// the first event for a stream, so its time to first token; read by power-of-two-choices and the <c>fastest</c>
/// objective) and the output tokens per second after it. Not thread-safe: <see cref="DeploymentState"/> calls it under its lock.
/// </summary>
internal sealed class SpeedFigures
{
    private const double Alpha = 0.3;

    private bool _hasLatency;

    public double LatencyMs { get; private set; }

    public double TokensPerSecond { get; private set; }

    public void AddLatency(TimeSpan latency)
    {
        LatencyMs = Ewma(_hasLatency, LatencyMs, latency.TotalMilliseconds);
        _hasLatency = true;
    }

    /// <summary>Adds one served request's generation rate; a non-positive or infinite rate (no tokens counted) is no sample.</summary>
    public void AddGenerationRate(double tokensPerSecond)
    {
        if (tokensPerSecond > 0 && !double.IsInfinity(tokensPerSecond))
        {
            TokensPerSecond = Ewma(TokensPerSecond > 0, TokensPerSecond, tokensPerSecond);
        }
    }

    /// <summary>The figures; false until an attempt has succeeded (tokens per second is 0 until a rate was recorded).</summary>
    public bool TryGet(out DeploymentSpeed speed)
    {
        speed = _hasLatency ? new DeploymentSpeed(LatencyMs, TokensPerSecond) : default;
        return _hasLatency;
    }

    private static double Ewma(bool hasSample, double average, double sample) =>
        hasSample ? (Alpha * sample) + ((1 - Alpha) * average) : sample;
}
