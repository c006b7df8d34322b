using System.Collections.Frozen;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Routing;

public sealed class RouterTests
{
    private static readonly Caller _caller = new() { KeyName = "test", KeyId = "000000000000" };

    /// <summary>Adapters are resolved at compile time but never called by the router.</summary>
    private sealed class InertAdapterFactory : IProviderAdapterFactory
    {
        public string Type => "inert";

        public IProviderAdapter Create(ProviderSettings settings) => new InertAdapter(settings.Config.Name);
    }

    private sealed class InertAdapter(string name) : IProviderAdapter
    {
        public string ProviderName => name;
        public ApiFormat WireFormat => ApiFormat.OpenAI;
        public bool IsSimulated => false;

        public ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The router must not call adapters.");
    }

    private static RouteTable Compile(GatewayConfig config) =>
        new RouteTableCompiler([new InertAdapterFactory()], new FakeTimeProvider(), static _ => null).Compile(config);

    private static ProviderConfig Provider(string name, TrustZone zone) => new() { Name = name, Type = "inert", Zone = zone };

    private static ModelConfig Model(string name, params string[] capabilities) =>
        new() { Name = name, Capabilities = capabilities.Length == 0 ? null : capabilities, Price = new PriceOverride(1m, 2m, null, null) };

    private static DeploymentConfig Deploy(string id, string provider, string model, int weight = 1) =>
        new() { Id = id, Provider = provider, Model = model, Weight = weight };

    private static CanonicalRequest Request(string model, RequestFeatures features = RequestFeatures.None, int? maxOutput = null, Operation operation = Operation.ChatCompletion) => new()
    {
        ClientFormat = ApiFormat.OpenAI,
        Operation = operation,
        Model = model,
        Features = features,
        MaxOutputTokens = maxOutput,
    };

    private static Inspect.Inspection Inspect(DataClass dataClass = DataClass.Internal, int tokens = 10, RequestFeatures features = RequestFeatures.None) =>
        new(dataClass, "test", tokens, features);

    private static GatewayConfig ThreeZones() => new()
    {
        Providers = [Provider("own", TrustZone.SelfHosted), Provider("contracted", TrustZone.Private), Provider("public", TrustZone.External)],
        Models = [Model("m")],
        Deployments = [Deploy("m-own", "own", "m"), Deploy("m-private", "contracted", "m"), Deploy("m-external", "public", "m")],
    };

    [Fact]
    public void Plan_AliasWeights_FirstPickFollowsWeightsStatistically()
    {
        var table = Compile(new GatewayConfig
        {
            Providers = [Provider("p", TrustZone.External)],
            Models = [Model("a"), Model("b"), Model("c")],
            Deployments = [Deploy("da", "p", "a"), Deploy("db", "p", "b"), Deploy("dc", "p", "c")],
            Aliases = [new AliasConfig { Name = "auto", Targets = [new("a", 6), new("b", 3), new("c", 1)] }],
        });
        var router = new Router(new SeededRandomSource(12345));
        var counts = new Dictionary<string, int> { ["a"] = 0, ["b"] = 0, ["c"] = 0 };
        const int N = 20_000;

        for (var i = 0; i < N; i++)
        {
            var (plan, error) = router.Plan(Request("auto"), _caller, Inspect(), table);
            Assert.Null(error);
            Assert.True(plan!.IsAlias);
            Assert.Equal(3, plan.Candidates.Count);
            Assert.Equal(3, plan.Candidates.Select(c => c.Deployment.Model.Name).Distinct().Count());
            counts[plan.Candidates[0].Deployment.Model.Name]++;
        }

        // Binomial standard deviation at N = 20,000 is at most 0.0035; 0.02 is more than five of them.
        Assert.InRange(counts["a"] / (double)N, 0.58, 0.62);
        Assert.InRange(counts["b"] / (double)N, 0.28, 0.32);
        Assert.InRange(counts["c"] / (double)N, 0.08, 0.12);
    }

    [Fact]
    public void Plan_ZeroWeightTarget_OnlyEverAFallback()
    {
        var table = Compile(new GatewayConfig
        {
            Providers = [Provider("p", TrustZone.External)],
            Models = [Model("main"), Model("other"), Model("spare")],
            Deployments = [Deploy("d-main", "p", "main"), Deploy("d-other", "p", "other"), Deploy("d-spare", "p", "spare")],
            Aliases = [new AliasConfig { Name = "auto", Targets = [new("spare", 0), new("main", 1), new("other", 1)] }],
        });
        var router = new Router(new SeededRandomSource(7));

        for (var i = 0; i < 2_000; i++)
        {
            var (plan, _) = router.Plan(Request("auto"), _caller, Inspect(), table);
            Assert.NotEqual("spare", plan!.Candidates[0].Deployment.Model.Name);
            Assert.Equal("d-spare", plan.Candidates[^1].Deployment.Id);
            Assert.Equal("fallback #2", plan.Candidates[^1].Reason);
        }
    }

    [Fact]
    public void Plan_ZeroWeightDeployment_OnlyEverAFallback()
    {
        var table = Compile(new GatewayConfig
        {
            Providers = [Provider("p", TrustZone.External)],
            Models = [Model("m")],
            Deployments = [Deploy("standby", "p", "m", weight: 0), Deploy("d1", "p", "m", 1), Deploy("d2", "p", "m", 5)],
        });
        var router = new Router(new SeededRandomSource(99));

        for (var i = 0; i < 1_000; i++)
        {
            var (plan, _) = router.Plan(Request("m"), _caller, Inspect(), table);
            Assert.Equal(["d1", "d2", "standby"], plan!.Candidates.Select(c => c.Deployment.Id).Order());
            Assert.Equal("standby", plan.Candidates[^1].Deployment.Id);
        }
    }

    [Fact]
    public void Plan_PinnedModel_ReasonAndSummaryNameIt()
    {
        var table = Compile(ThreeZones() with { Deployments = [Deploy("m-own", "own", "m")] });

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request("m"), _caller, Inspect(), table);

        Assert.Null(error);
        Assert.False(plan!.IsAlias);
        var candidate = Assert.Single(plan.Candidates);
        Assert.Equal("model m pinned", candidate.Reason);
        Assert.Equal("model m pinned; m-own (self-hosted)", plan.Summary);
        Assert.Empty(plan.Exclusions);
    }

    [Theory]
    [InlineData(RequestFeatures.Vision, "vision", "messages")]
    [InlineData(RequestFeatures.Tools, "tools", "tools")]
    [InlineData(RequestFeatures.JsonSchema, "json_schema", "response_format")]
    [InlineData(RequestFeatures.Tools | RequestFeatures.ParallelToolCalls, "parallel_tool_calls", "parallel_tool_calls")]
    [InlineData(RequestFeatures.Audio, "audio", "messages")]
    public void Plan_MissingCapability_400NamingFeatureAndParam(RequestFeatures needed, string feature, string param)
    {
        var capabilities = needed.HasFlag(RequestFeatures.ParallelToolCalls) ? new[] { "streaming", "tools" } : ["streaming"];
        var table = Compile(new GatewayConfig
        {
            Providers = [Provider("p", TrustZone.External)],
            Models = [Model("text-only", capabilities)],
            Deployments = [Deploy("d", "p", "text-only")],
        });

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request("text-only", needed), _caller, Inspect(features: needed), table);

        Assert.Null(plan);
        Assert.Equal(400, error!.Status);
        Assert.Equal("unsupported_feature", error.Code);
        Assert.Equal(param, error.Param);
        Assert.Contains(feature, error.Message, StringComparison.Ordinal);
        Assert.Contains("text-only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_AliasWithOneCapableTarget_SkipsIncapableAndRecordsExclusion()
    {
        var table = Compile(new GatewayConfig
        {
            Providers = [Provider("p", TrustZone.External)],
            Models = [Model("plain", "streaming"), Model("seeing", "streaming", "vision")],
            Deployments = [Deploy("d-plain", "p", "plain"), Deploy("d-seeing", "p", "seeing")],
            Aliases = [new AliasConfig { Name = "auto", Targets = [new("plain", 100), new("seeing", 1)] }],
        });

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request("auto", RequestFeatures.Vision), _caller, Inspect(features: RequestFeatures.Vision), table);

        Assert.Null(error);
        Assert.Equal("d-seeing", Assert.Single(plan!.Candidates).Deployment.Id);
        var exclusion = Assert.Single(plan.Exclusions);
        Assert.Equal(new RouteExclusion("d-plain", "plain", ExclusionKind.Capability, "lacks vision"), exclusion);
    }

    [Fact]
    public void Plan_ContextWindowExceeded_400WithMessagesParam()
    {
        var table = Compile(new GatewayConfig
        {
            Providers = [Provider("p", TrustZone.External)],
            Models = [Model("small") with { ContextWindow = 1_000 }],
            Deployments = [Deploy("d", "p", "small")],
        });
        var router = new Router(new SeededRandomSource(1));

        var (plan, error) = router.Plan(Request("small", maxOutput: 200), _caller, Inspect(tokens: 801), table);
        var (fits, noError) = router.Plan(Request("small", maxOutput: 200), _caller, Inspect(tokens: 800), table);

        Assert.Null(plan);
        Assert.Equal(new Problem(400, "context_length_exceeded", "The request does not fit 'small': context window 1000 < ~801 input + 200 output tokens.") { Param = "messages" }, error);
        Assert.Null(noError);
        Assert.NotNull(fits);
    }

    [Theory]
    [InlineData(DataClass.Restricted, new[] { "m-own" })]
    [InlineData(DataClass.Confidential, new[] { "m-own", "m-private" })]
    [InlineData(DataClass.Internal, new[] { "m-external", "m-own", "m-private" })]
    [InlineData(DataClass.Public, new[] { "m-external", "m-own", "m-private" })]
    public void Plan_DataClass_OnlyAllowedZones(DataClass dataClass, string[] expected)
    {
        var table = Compile(ThreeZones());

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request("m"), _caller, Inspect(dataClass), table);

        Assert.Null(error);
        Assert.Equal(expected, plan!.Candidates.Select(c => c.Deployment.Id).Order());
        Assert.All(plan.Exclusions, e => Assert.Equal(ExclusionKind.TrustZone, e.Kind));
        Assert.Equal(3 - expected.Length, plan.Exclusions.Count);
    }

    [Fact]
    public void Plan_RestrictedWithOnlyExternal_403DataClassForbidden()
    {
        var table = Compile(ThreeZones() with { Deployments = [Deploy("m-external", "public", "m")] });

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(Request("m"), _caller, Inspect(DataClass.Restricted), table);

        Assert.Null(plan);
        Assert.Equal(403, error!.Status);
        Assert.Equal("data_class_forbidden", error.Code);
        Assert.Contains("external zone not allowed for restricted data", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_UnknownModel_404()
    {
        var (_, error) = new Router(new SeededRandomSource(1)).Plan(Request("ghost"), _caller, Inspect(), Compile(ThreeZones()));

        Assert.Equal(404, error!.Status);
        Assert.Equal("model_not_found", error.Code);
        Assert.Equal("model", error.Param);
    }

    [Fact]
    public void Plan_KeyNotAllowed_403()
    {
        var caller = _caller with { AllowedModels = new[] { "other" }.ToFrozenSet(StringComparer.Ordinal) };

        var (_, error) = new Router(new SeededRandomSource(1)).Plan(Request("m"), caller, Inspect(), Compile(ThreeZones()));

        Assert.Equal(403, error!.Status);
        Assert.Equal("model_not_allowed", error.Code);
    }

    [Fact]
    public void Plan_EmbeddingsOnChatModel_400()
    {
        var (_, error) = new Router(new SeededRandomSource(1)).Plan(Request("m", operation: Operation.Embeddings), _caller, Inspect(), Compile(ThreeZones()));

        Assert.Equal(400, error!.Status);
        Assert.Contains("does not serve embeddings", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_RandomTablesAndRequests_NeverSendDataBeyondItsZones()
    {
        var random = new Random(20260314);
        var router = new Router(new SeededRandomSource(42));
        var zones = new[] { TrustZone.SelfHosted, TrustZone.Private, TrustZone.External };
        var allCapabilities = new[] { "streaming", "tools", "vision", "json_object", "json_schema" };
        var features = new[] { RequestFeatures.None, RequestFeatures.Streaming, RequestFeatures.Tools, RequestFeatures.Vision, RequestFeatures.JsonSchema };
        var restrictedRouted = 0;
        var confidentialRouted = 0;

        for (var round = 0; round < 2_000; round++)
        {
            var providers = Enumerable.Range(0, random.Next(1, 5)).Select(i => Provider($"p{i}", zones[random.Next(3)])).ToList();
            var models = Enumerable.Range(0, random.Next(1, 5))
                .Select(i => Model($"m{i}", [.. allCapabilities.Where(_ => random.Next(2) == 0)]) with { ContextWindow = random.Next(2) == 0 ? null : random.Next(50, 5_000) })
                .ToList();
            var deployments = Enumerable.Range(0, random.Next(1, 9))
                .Select(i => Deploy($"d{i}", providers[random.Next(providers.Count)].Name, models[random.Next(models.Count)].Name, random.Next(0, 4)) with
                {
                    Zone = random.Next(4) == 0 ? zones[random.Next(3)] : null,
                })
                .ToList();
            var alias = new AliasConfig { Name = "auto", Targets = [.. models.Where(_ => random.Next(3) > 0).Select(m => new AliasTarget(m.Name, random.Next(0, 5)))] };
            var table = Compile(new GatewayConfig
            {
                Providers = providers,
                Models = models,
                Deployments = deployments,
                Aliases = alias.Targets.Count > 0 ? [alias] : [],
            });
            var names = models.Select(m => m.Name).Concat(alias.Targets.Count > 0 ? ["auto"] : []).ToList();

            for (var r = 0; r < 5; r++)
            {
                var dataClass = (DataClass)random.Next(4);
                var needed = features[random.Next(features.Length)];
                var (plan, error) = router.Plan(Request(names[random.Next(names.Count)], needed, random.Next(2) == 0 ? null : random.Next(1, 500)), _caller,
                    Inspect(dataClass, random.Next(1, 2_000), needed), table);

                Assert.True(plan is null != error is null);
                if (plan is null)
                {
                    continue;
                }

                Assert.Equal(plan.Candidates.Count, plan.Candidates.Select(c => c.Deployment.Id).Distinct().Count());
                foreach (var candidate in plan.Candidates)
                {
                    if (dataClass == DataClass.Restricted)
                    {
                        Assert.Equal(TrustZone.SelfHosted, candidate.Deployment.Zone);
                        restrictedRouted++;
                    }
                    else if (dataClass == DataClass.Confidential)
                    {
                        Assert.NotEqual(TrustZone.External, candidate.Deployment.Zone);
                        confidentialRouted++;
                    }

                    Assert.Equal(RequestFeatures.None, needed & ~candidate.Deployment.Model.Supports);
                }
            }
        }

        // The property is only meaningful if both classes were actually routed many times.
        Assert.True(restrictedRouted > 200, $"restricted candidates: {restrictedRouted}");
        Assert.True(confidentialRouted > 200, $"confidential candidates: {confidentialRouted}");
    }
}
