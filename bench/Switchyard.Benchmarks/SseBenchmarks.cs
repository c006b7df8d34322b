using BenchmarkDotNet.Attributes;
using Switchyard.Providers.Sse;

namespace Switchyard.Benchmarks;

/// <summary>SSE framing of an upstream stream of N chunks (plus usage and [DONE]) held in memory.</summary>
[MemoryDiagnoser]
public class SseBenchmarks
{
    private readonly byte[] _readBuffer = new byte[16 * 1024];
    private byte[] _stream = [];

    [Params(16, 256)]
    public int Chunks { get; set; }

    [GlobalSetup]
    public void Setup() => _stream = BenchData.SseStream(Chunks);

    /// <summary>The floor: draining the same bytes through a MemoryStream.</summary>
    [Benchmark(Baseline = true)]
    public async Task<long> DrainOnly()
    {
        using var stream = new MemoryStream(_stream, writable: false);
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(_readBuffer)) > 0)
        {
            total += read;
        }

        return total;
    }

    [Benchmark]
    public async Task<int> ReadEvents()
    {
        using var stream = new MemoryStream(_stream, writable: false);
        using var reader = new SseEventReader(stream);
        var events = 0;
        while (await reader.ReadAsync(CancellationToken.None) is not null)
        {
            events++;
        }

        return events;
    }
}
