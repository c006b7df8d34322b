using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
namespace Switchyard.Benchmarks;

/// <summary>The Gate stage's key lookup: hash the presented key, probe the frozen ring.</summary>
[MemoryDiagnoser]
public class KeyBenchmarks
{
    private KeyRing _ring = KeyRing.Empty;

    [Params(1, 100, 10_000)]
    public int Keys { get; set; }

    [GlobalSetup]
    public void Setup() => _ring = BenchData.Compile(BenchData.Config(1, Keys)).Keys;

    /// <summary>The floor: SHA-256 of the key on the stack, which every lookup pays.</summary>
    [Benchmark(Baseline = true)]
    public byte HashOnly()
    {
        Span<byte> utf8 = stackalloc byte[128];
        var n = Encoding.UTF8.GetBytes(BenchData.ClientKey, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..n], hash);
        return hash[0];
    }

    [Benchmark]
    public bool Hit() => _ring.TryAuthenticate(BenchData.ClientKey, out _);

    [Benchmark]
    public bool Miss() => _ring.TryAuthenticate("sk-not-a-key-of-this-ring-000000000", out _);
}
