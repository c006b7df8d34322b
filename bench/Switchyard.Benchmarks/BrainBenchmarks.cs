using BenchmarkDotNet.Attributes;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Benchmarks;

/// <summary>
/// The routing brain: task classification of a 1 KB prompt (target ≤ 20 µs), and the whole Inspect + Route of a
/// 4 KB request over a 50-model catalog behind a cheapest-qualifying alias (target ≤ 50 µs).
/// </summary>
[MemoryDiagnoser]
public class BrainBenchmarks
{
    private readonly Router _router = new(FixedRandom.Instance);
    private readonly Inspector _inspector = new();
    private readonly int[] _features = new int[TextFeatures.MaxFeatures + 1];
    private string _prompt1K = "";
    private RouteTable _table = RouteTable.Empty;
    private Caller _caller = null!;
    private CanonicalRequest _request4K = null!;

    [GlobalSetup]
    public void Setup()
    {
        var sentences = new[]
        {
            "Explain how the tax deduction for home office expenses works for a freelancer in the United States. ",
            "Include the rules for square footage, the simplified method and what records should be kept. ",
            "Give an example with numbers for a 200 square foot office in a 2000 square foot house. ",
        };
        var text = "";
        for (var i = 0; text.Length < 1024; i++)
        {
            text += sentences[i % sentences.Length];
        }

        _prompt1K = text[..1024];
        var profiles = TaskAnalyzer.BuiltIn.Profiles;
        var models = Enumerable.Range(0, 50).Select(m => new ModelConfig
        {
            Name = $"brain-model-{m}",
            ContextWindow = 131_072,
            QualityProfile = profiles[m % profiles.Count],
            Price = new PriceOverride(0.05m * (m + 1), 0.15m * (m + 1), null, null),
        }).ToList();
        var config = new GatewayConfig
        {
            Providers = [new ProviderConfig { Name = "sim", Type = "simulated", Zone = TrustZone.SelfHosted }],
            Models = models,
            Deployments = [.. models.Select(m => new DeploymentConfig { Id = "dep-" + m.Name, Provider = "sim", Model = m.Name })],
            Aliases = [new AliasConfig { Name = "auto", Targets = [.. models.Select(m => new AliasTarget(m.Name, 1))], Objective = RouteObjective.CheapestQualifying }],
            Keys = [new ClientKeyConfig { Name = "bench", Key = BenchData.ClientKey }],
        };
        _table = BenchData.Compile(config);
        _table.Keys.TryAuthenticate(BenchData.ClientKey, out _caller);
        _request4K = OpenAIRequestParser.ParseChat(BenchData.ChatBody(4 * 1024)).Request! with { Model = "auto" };
    }

    /// <summary>The floor: hashing the 1 KB prompt into features.</summary>
    [Benchmark(Baseline = true)]
    public int FeaturesOnly() => TextFeatures.Extract(_prompt1K, TaskAnalyzer.BuiltIn.Buckets, _features);

    /// <summary>Features, the classifier and all quality heads for a 1 KB prompt.</summary>
    [Benchmark]
    public TaskCategory Classify1K() => TaskAnalyzer.BuiltIn.Analyze(_prompt1K).Category;

    /// <summary>Inspect (data class, tokens, task, quality) and Route (constraints, cheapest-qualifying over 50 models) of a 4 KB request.</summary>
    [Benchmark]
    public Deployment InspectAndRoute4K()
    {
        var inspection = _inspector.Inspect(_request4K, _caller, null);
        return _router.Plan(_request4K, _caller, inspection, _table).Plan!.Candidates[0].Deployment;
    }
}
