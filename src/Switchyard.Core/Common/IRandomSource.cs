namespace Switchyard.Core.Common;

/// <summary>The one source of randomness of the gateway (weighted picks, jitter); tests pass a seeded one.</summary>
public interface IRandomSource
{
    /// <summary>A double in [0, 1).</summary>
    double NextDouble();
}

/// <summary>The production source: the thread-safe shared generator.</summary>
public sealed class SharedRandomSource : IRandomSource
{
    public static readonly SharedRandomSource Instance = new();

    public double NextDouble() => Random.Shared.NextDouble();
}
