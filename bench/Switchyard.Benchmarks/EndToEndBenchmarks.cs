using System.Buffers;
using BenchmarkDotNet.Attributes;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Benchmarks;

/// <summary>
/// The in-process part of a request: authenticate → parse → inspect → route → rewrite for the upstream,
/// without sockets (the load script measures those).
/// </summary>
[MemoryDiagnoser]
public class EndToEndBenchmarks
{
    private readonly Router _router = new(FixedRandom.Instance);
    private readonly Inspector _inspector = new();
    private readonly ArrayBufferWriter<byte> _output = new(128 * 1024);
    private RouteTable _table = RouteTable.Empty;
    private byte[] _body = [];

    [Params(200, 4 * 1024, 64 * 1024)]
    public int BodyBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _table = BenchData.Compile(BenchData.Config(100, 100));
        _body = BenchData.ChatBody(BodyBytes);
    }

    /// <summary>The floor: authenticate and parse only.</summary>
    [Benchmark(Baseline = true)]
    public int AuthenticateAndParse()
    {
        _table.Keys.TryAuthenticate(BenchData.ClientKey, out _);
        return OpenAIRequestParser.ParseChat(_body).Request!.Messages.Count;
    }

    [Benchmark]
    public int ParseInspectRouteRewrite()
    {
        _table.Keys.TryAuthenticate(BenchData.ClientKey, out var caller);
        var request = OpenAIRequestParser.ParseChat(_body).Request!;
        var inspection = _inspector.Inspect(request, caller, null);
        var plan = _router.Plan(request, caller, inspection, _table).Plan!;
        _output.ResetWrittenCount();
        var deployment = plan.Candidates[0].Deployment;
        OpenAIBodyRewriter.Rewrite(request.RawBody.Span, deployment.UpstreamModel, injectIncludeUsage: request.Stream, request.HasStreamOptions, _output);
        return _output.WrittenCount;
    }
}
