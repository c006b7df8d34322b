using System.Buffers;
using System.Text;
using BenchmarkDotNet.Attributes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchyard.Composition;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Hosting;
using Switchyard.Ledger;
using Switchyard.Pipeline;
using Switchyard.Providers.Clients;
using Switchyard.Providers.OpenAI;
using Switchyard.Storage.Sqlite;
namespace Switchyard.Benchmarks;

/// <summary>
/// The gateway's own work on the load bench's request (bench/load.sh: the same configuration and body), in process:
/// <see cref="WholeRequest"/> drives the real <see cref="RequestSequencer"/> of a real host (SQLite store, ledger writer
/// running) with a <see cref="DefaultHttpContext"/> and an in-memory upstream that answers the canned completion of
/// the bench's fake upstream; the other benchmarks are its stages, one each, so the sum explains the whole.
/// Sockets, Kestrel and HttpClient are not in here: bench/load.sh measures those.
/// </summary>
[MemoryDiagnoser]
public class RequestPathBenchmarks
{
    private static readonly byte[] _plainBody = Encoding.UTF8.GetBytes(
        "{\"model\":\"bench-model\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},{\"role\":\"user\",\"content\":\"Say hello in one short sentence, please.\"}],\"temperature\":0.2,\"max_tokens\":64}");

    private readonly ArrayBufferWriter<byte> _output = new(4096);
    private string _dir = "";
    private WebApplication _app = null!;
    private RequestSequencer _pipeline = null!;
    private IClientFormat _openAI = null!;
    private RouteTableHolder _routes = null!;
    private TenantDirectory _tenants = null!;
    private TenantAdmission _admission = null!;
    private Inspector _inspector = null!;
    private Router _router = null!;
    private Executor _executor = null!;
    private IDeploymentStates _states = null!;
    private DefaultHttpContext _context = null!;
    private MemoryStream _requestStream = null!;
    private Caller _caller = null!;
    private CanonicalRequest _request = null!;
    private Core.Inspect.Inspection _inspection = null!;
    private RoutePlan _plan = null!;

    [GlobalSetup]
    public async Task Setup()
    {
        _dir = Directory.CreateTempSubdirectory("switchyard-bench-").FullName;
        var configPath = Path.Combine(_dir, "switchyard.yaml");
        // bench/load.sh's configuration (the provider's base URL is never called: the adapter below answers).
        var template = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "load-config.yaml"));
        File.WriteAllText(configPath, template.Replace("{{UPSTREAM}}", "http://127.0.0.1:9/v1", StringComparison.Ordinal)
            .Replace("{{KEY}}", BenchData.ClientKey, StringComparison.Ordinal));
        var options = new GatewayOptions
        {
            ConfigPath = configPath,
            DataDir = Path.Combine(_dir, "data"),
            Urls = "http://127.0.0.1:0",
            ReloadPollInterval = TimeSpan.FromHours(1),
            ConfigureServices = static services =>
            {
                services.RemoveAll<IProviderAdapterFactory>();
                services.AddSingleton<IProviderAdapterFactory, InMemoryOpenAIFactory>();
                services.RemoveAll<ILedgerStore>();
                services.AddSingleton<ILedgerStore>(sp => new UnwrittenLedger(sp.GetRequiredService<SqliteLedgerStore>()));
            },
        };
        _app = await GatewayHost.BuildAsync(options);
        await _app.StartAsync();
        var services = _app.Services;
        _pipeline = services.GetRequiredService<RequestSequencer>();
        _openAI = services.GetRequiredService<ClientFormats>().Get(OpenAIClientFormat.FormatName);
        _routes = services.GetRequiredService<RouteTableHolder>();
        _tenants = services.GetRequiredService<TenantDirectory>();
        _admission = services.GetRequiredService<TenantAdmission>();
        _inspector = services.GetRequiredService<Inspector>();
        _router = services.GetRequiredService<Router>();
        _executor = services.GetRequiredService<Executor>();
        _states = services.GetRequiredService<IDeploymentStates>();

        _requestStream = new MemoryStream(_plainBody, writable: false);
        _context = NewContext();
        var table = _routes.Current;
        _caller = GateStage.Authenticate(_context.Request, table, _tenants).Caller!;
        _request = OpenAIRequestParser.ParseChat(_plainBody).Request!;
        _inspection = _inspector.Inspect(_request, _caller, null, table.Privacy, analyzeTask: false);
        _plan = _router.Plan(_request, _caller, _inspection, table, _states, RouteOverrides.None).Plan!;
    }

    [GlobalCleanup]
    public async Task Cleanup()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private DefaultHttpContext NewContext()
    {
        var context = new DefaultHttpContext();
        context.Request.Method = "POST";
        context.Request.Path = "/v1/chat/completions";
        context.Request.ContentType = "application/json";
        context.Request.Headers.Authorization = "Bearer " + BenchData.ClientKey;
        context.Request.ContentLength = _plainBody.Length;
        context.Request.Body = _requestStream;
        context.Response.Body = Stream.Null;
        return context;
    }

    /// <summary>The floor: parse the body into the canonical request (what any gateway must do).</summary>
    [Benchmark(Baseline = true)]
    public int Parse() => OpenAIRequestParser.ParseChat(_plainBody).Request!.Messages.Count;

    /// <summary>The whole request as the gateway runs it, headers to ledger record, with an instant upstream.</summary>
    [Benchmark]
    public async Task<int> WholeRequest()
    {
        _requestStream.Position = 0;
        var context = NewContext();
        await _pipeline.HandleAsync(context, Operation.ChatCompletion, _openAI);
        return context.Response.StatusCode;
    }

    [Benchmark]
    public bool Authenticate() => GateStage.Authenticate(_context.Request, _routes.Current, _tenants).Caller is not null;

    /// <summary>Tenancy admission of a configuration-file key (no limits, no budget): what the load bench's key pays.</summary>
    [Benchmark]
    public bool Admit() => _admission.Admit(_caller, _request, _context.Response).Error is null;

    /// <summary>Inspect as this request runs it (a pinned model): data class (privacy scan of the body) and token estimate, no task analysis.</summary>
    [Benchmark]
    public DataClass Inspect() => _inspector.Inspect(_request, _caller, null, _routes.Current.Privacy, analyzeTask: false).DataClass;

    /// <summary>The privacy scan alone (part of <see cref="Inspect"/>; runs on every request).</summary>
    [Benchmark]
    public int PrivacyScan() => PromptScan.Scan(_request.Segments, _routes.Current.Privacy).EntityTypes.Count;

    /// <summary>Task classification and quality heads: before routing for an alias that ranks by quality, else in the ledger writer.</summary>
    [Benchmark]
    public int AnalyzeTask() => (int)_inspector.AnalyzeTask(_request).Category;

    [Benchmark]
    public ModelInfo? Baseline() => BaselineSelector.MostCapable(_routes.Current, _caller, Operation.ChatCompletion, _inspection);

    [Benchmark]
    public RoutePlan Route() => _router.Plan(_request, _caller, _inspection, _routes.Current, _states, RouteOverrides.None).Plan!;

    /// <summary>Execute: resilience bookkeeping (health slot, timeout, retry pipeline) around the in-memory upstream.</summary>
    [Benchmark]
    public async Task<int> Execute() => (await _executor.ExecuteAsync(_request, _inspection, _plan, "req_bench", null, CancellationToken.None)).Attempts.Count;

    /// <summary>The ledger record's candidates column as JSON: written by the ledger writer, off the request path.</summary>
    [Benchmark]
    public int CandidatesJson() => RouteDecision.CandidatesJson(_plan).Length;

    [Benchmark]
    public int Rewrite()
    {
        _output.ResetWrittenCount();
        OpenAIBodyRewriter.Rewrite(_request.RawBody.Span, _plan.Candidates[0].Deployment.UpstreamModel, injectIncludeUsage: false, _request.HasStreamOptions, _output);
        return _output.WrittenCount;
    }

    /// <summary>
    /// The SQLite ledger minus its batch insert: back to back, the benchmark would otherwise measure how fast SQLite
    /// inserts rows (the ledger writer's queue fills and requests wait for it), which <c>Switchyard.Bench.Store</c>
    /// measures on its own. The records are still built and queued; only the insert is skipped.
    /// </summary>
    private sealed class UnwrittenLedger(SqliteLedgerStore inner) : ILedgerStore
    {
        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken) => Task.CompletedTask;

        public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

        public Task<LedgerRecord?> FindAsync(string requestId, CancellationToken cancellationToken) => inner.FindAsync(requestId, cancellationToken);

        public Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.SummarizeAsync(from, to, cancellationToken);

        public Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.AggregateForReportAsync(from, to, cancellationToken);

        public Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.SpendAsync(from, to, cancellationToken);

        public Task<long> RollUpAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.RollUpAsync(before, cancellationToken);
    }

    /// <summary>An <c>openai</c> provider whose upstream is in memory: it rewrites and scans as the real adapter does, then answers the bench's canned completion.</summary>
    private sealed class InMemoryOpenAIFactory : IProviderAdapterFactory
    {
        public string Type => "openai";

        public IProviderAdapter Create(ProviderSettings settings) => new Adapter(settings.Config.Name);

        private sealed class Adapter(string name) : IProviderAdapter
        {
            public string ProviderName => name;

            public ApiFormat WireFormat => ApiFormat.OpenAI;

            public bool IsSimulated => false;

            public ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
            {
                var request = call.Request;
                var body = new ArrayBufferWriter<byte>(request.RawBody.Length + 64);
                OpenAIBodyRewriter.Rewrite(request.RawBody.Span, call.Deployment.UpstreamModel, injectIncludeUsage: false, request.HasStreamOptions, body);
                var reply = BenchData.CompletionJson;
                OpenAIUsageReader.TryScan(reply, out var scan);
                return ValueTask.FromResult(new UpstreamResult
                {
                    Status = DispatchStatus.Success,
                    UpstreamStatusCode = 200,
                    Body = reply,
                    Usage = scan.Usage,
                    UpstreamTime = TimeSpan.Zero,
                });
            }
        }
    }
}
