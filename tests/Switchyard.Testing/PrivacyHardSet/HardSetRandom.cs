namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>
/// SplitMix64: a tiny generator whose sequence for a seed is fixed by this file, not by a runtime version, so the
/// committed hard set is reproduced byte for byte (System.Random's seeded sequence is not a documented contract).
/// </summary>
public sealed class HardSetRandom(ulong seed)
{
    private ulong _state = seed;

    public ulong Next64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>0 ≤ value &lt; <paramref name="n"/>.</summary>
    public int Next(int n) => (int)(Next64() % (ulong)n);

    /// <summary><paramref name="low"/> ≤ value &lt; <paramref name="high"/>.</summary>
    public int Next(int low, int high) => low + Next(high - low);

    public bool Chance(double p) => (Next64() >> 11) * (1.0 / (1UL << 53)) < p;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    public char Digit() => (char)('0' + Next(10));

    public string Digits(int count)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = Digit();
        }

        return new string(chars);
    }

    public string Letters(int count, bool upper = true)
    {
        var chars = new char[count];
        for (var i = 0; i < count; i++)
        {
            chars[i] = (char)((upper ? 'A' : 'a') + Next(26));
        }

        return new string(chars);
    }

    /// <summary>FNV-1a over the UTF-16 code units: a hash that is the same in every process (string.GetHashCode is not).</summary>
    public static ulong StableHash(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var hash = 0xCBF29CE484222325UL;
        foreach (var c in text)
        {
            hash = (hash ^ c) * 0x100000001B3UL;
        }

        return hash;
    }
}
