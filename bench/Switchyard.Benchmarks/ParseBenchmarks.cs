using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Core.Model;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Benchmarks;

/// <summary>Ingress: one forward-only pass over the client's body into a <see cref="CanonicalRequest"/>.</summary>
[MemoryDiagnoser]
public class ParseBenchmarks
{
    private byte[] _body = [];

    [Params(200, 4 * 1024, 64 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup() => _body = BenchData.ChatBody(BodyBytes);

    /// <summary>The floor: tokenising the same bytes with <see cref="Utf8JsonReader"/> and keeping nothing.</summary>
    [Benchmark(Baseline = true)]
    public int TokenizeOnly()
    {
        var reader = new Utf8JsonReader(_body);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public CanonicalRequest? ParseChat() => OpenAIRequestParser.ParseChat(_body).Request;
}
