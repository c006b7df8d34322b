using System.Buffers;
using BenchmarkDotNet.Attributes;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Benchmarks;

/// <summary>Egress to an OpenAI-format upstream: the model splice and the include_usage injection.</summary>
[MemoryDiagnoser]
public class RewriteBenchmarks
{
    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private byte[] _plain = [];
    private byte[] _stream = [];
    private byte[] _streamWithOptions = [];

    [Params(200, 4 * 1024, 64 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plain = BenchData.ChatBody(BodyBytes);
        _stream = BenchData.ChatBody(BodyBytes, stream: true);
        _streamWithOptions = BenchData.ChatBody(BodyBytes, stream: true, streamOptions: "{\"include_obfuscation\":false}");
    }

    /// <summary>The floor: copying the body into the output unchanged.</summary>
    [Benchmark(Baseline = true)]
    public int CopyOnly()
    {
        _output.ResetWrittenCount();
        _output.Write(_plain);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int ModelSplice()
    {
        _output.ResetWrittenCount();
        OpenAIBodyRewriter.Rewrite(_plain, "upstream-model-name", injectIncludeUsage: false, hasStreamOptions: false, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int InjectIncludeUsage()
    {
        _output.ResetWrittenCount();
        OpenAIBodyRewriter.Rewrite(_stream, "upstream-model-name", injectIncludeUsage: true, hasStreamOptions: false, _output);
        return _output.WrittenCount;
    }

    /// <summary>The client sent its own stream_options: the slow path through a document and a writer.</summary>
    [Benchmark]
    public int InjectIntoExistingStreamOptions()
    {
        _output.ResetWrittenCount();
        OpenAIBodyRewriter.Rewrite(_streamWithOptions, "upstream-model-name", injectIncludeUsage: true, hasStreamOptions: true, _output);
        return _output.WrittenCount;
    }
}
