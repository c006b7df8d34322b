using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Benchmarks;

/// <summary>Usage accounting: the one-pass scan of a response body or of one stream chunk.</summary>
[MemoryDiagnoser]
public class UsageBenchmarks
{
    private readonly byte[] _completion = BenchData.CompletionJson;
    private readonly byte[] _chunk = BenchData.ContentChunkJson;

    /// <summary>The floor: tokenising the completion and keeping nothing.</summary>
    [Benchmark(Baseline = true)]
    public int TokenizeCompletion()
    {
        var reader = new Utf8JsonReader(_completion);
        var tokens = 0;
        while (reader.Read())
        {
            tokens++;
        }

        return tokens;
    }

    [Benchmark]
    public int ScanCompletion() => OpenAIUsageReader.TryScan(_completion, out var scan) ? scan.ContentChars : -1;

    [Benchmark]
    public int ScanChunk() => OpenAIUsageReader.TryScan(_chunk, out var scan) ? scan.ContentChars : -1;
}
