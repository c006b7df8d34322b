using BenchmarkDotNet.Attributes;
using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Benchmarks;

/// <summary>The Route stage over route tables of growing size (compiled from generated configs).</summary>
[MemoryDiagnoser]
public class RouteBenchmarks
{
    private readonly Router _router = new(FixedRandom.Instance);
    private readonly DeploymentStates _states = new(TimeProvider.System);
    private RouteTable _table = RouteTable.Empty;
    private Caller _caller = null!;
    private CanonicalRequest _pinned = null!;
    private CanonicalRequest _pinnedTwoDeployments = null!;
    private CanonicalRequest _alias = null!;
    private Core.Inspect.Inspection _inspection = null!;
    private string _lookupName = "";

    [Params(1, 100, 10_000)]
    public int Models { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _table = BenchData.Compile(BenchData.Config(Models));
        _table.Keys.TryAuthenticate(BenchData.ClientKey, out _caller);
        var body = BenchData.ChatBody(200);
        var last = $"bench-model-{Models - 1}";
        _pinned = OpenAIRequestParser.ParseChat(body).Request! with { Model = last };
        _pinnedTwoDeployments = _pinned with { Model = "bench-model-0" };
        _alias = _pinned with { Model = "auto" };
        _inspection = new Inspector().Inspect(_pinned, _caller, DataClass.Public);
        _lookupName = last;
        foreach (var d in _table.Models["bench-model-0"].Deployments)
        {
            // Live state exists (as after the first requests): the view is read per deployment.
            _states.Get(d.Id);
        }
    }

    /// <summary>The floor: the frozen-dictionary probe that any routing needs.</summary>
    [Benchmark(Baseline = true)]
    public ModelInfo? LookupOnly() => _table.Models.TryGetValue(_lookupName, out var model) ? model : null;

    [Benchmark]
    public RoutePlan? PinnedModel() => _router.Plan(_pinned, _caller, _inspection, _table).Plan;

    [Benchmark]
    public RoutePlan? PinnedModelTwoDeployments() => _router.Plan(_pinnedTwoDeployments, _caller, _inspection, _table).Plan;

    /// <summary>As <see cref="PinnedModelTwoDeployments"/>, reading the live deployment state (breakers, cool-downs, load).</summary>
    [Benchmark]
    public RoutePlan? PinnedModelTwoDeploymentsLiveState() => _router.Plan(_pinnedTwoDeployments, _caller, _inspection, _table, _states).Plan;

    [Benchmark]
    public RoutePlan? Alias() => _router.Plan(_alias, _caller, _inspection, _table).Plan;
}
