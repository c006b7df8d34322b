using Switchyard.Core.Common;
namespace Switchyard.Testing;

/// <summary>A reproducible <see cref="IRandomSource"/>: the same seed gives the same sequence.</summary>
public sealed class SeededRandomSource(int seed) : IRandomSource
{
    private readonly Random _random = new(seed);

    public double NextDouble() => _random.NextDouble();
}

/// <summary>Returns the given values in order, then repeats the last one.</summary>
public sealed class ScriptedRandomSource(params double[] values) : IRandomSource
{
    private int _next;

    public double NextDouble() => values[Math.Min(_next++, values.Length - 1)];
}
