using System.Text.Json;
using Switchyard.Core.Catalog;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Core.Tests.Planning;

public sealed class PlanResolverTests
{
    private static readonly DateOnly _today = new(2026, 10, 1);

    private static PlanSpec Spec() => new()
    {
        TokensPerDay = 100_000_000m,
        InputOutputRatio = 1m,
        Apis = ["openai/gpt-4o"],
        GpuHourUsd = 2m,
        ReplicaTokensPerSecond = 1000m,
    };

    [Fact]
    public void Resolve_CatalogModelByBareName_UsesCatalogPricesWithCachedInput()
    {
        var resolved = PlanResolver.Resolve(Spec() with { Apis = ["gpt-4o"] }, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        var api = Assert.Single(resolved.Inputs!.ApiOptions);
        Assert.Equal(2.5m, api.InputPerMillion);
        Assert.Equal(10m, api.OutputPerMillion);
        Assert.Equal(1.25m, api.CachedInputPerMillion);
        Assert.Equal(ApiKind.Api, api.Kind);
    }

    [Fact]
    public void Resolve_HostedOpenCatalogEntry_IsHostedOpenKind()
    {
        var resolved = PlanResolver.Resolve(Spec() with { Apis = [], HostedOpen = ["together/llama-3.3-70b-instruct-turbo"] }, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        Assert.Equal(ApiKind.HostedOpen, Assert.Single(resolved.Inputs!.ApiOptions).Kind);
    }

    [Fact]
    public void Resolve_ExplicitPrice_OverridesCatalog()
    {
        var spec = Spec() with { ApiPrices = new Dictionary<string, ApiPriceSpec> { ["openai/gpt-4o"] = new(1m, 2m, null) } };
        var api = Assert.Single(PlanResolver.Resolve(spec, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today).Inputs!.ApiOptions);
        Assert.Equal((1m, 2m), (api.InputPerMillion, api.OutputPerMillion));
        Assert.Equal("given explicitly", api.PriceSource);
    }

    [Fact]
    public void Resolve_UnknownModel_ErrorsWithHint()
    {
        var resolved = PlanResolver.Resolve(Spec() with { Apis = ["no-such-model"] }, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        Assert.Null(resolved.Inputs);
        Assert.Contains(resolved.Errors, e => e.Contains("--api-price no-such-model=IN/OUT", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_CatalogPriceOlderThan90Days_Warns()
    {
        // gpt-4o is dated 2026-07-24: 69 days before 2026-10-01 (no warning), 130 days before 2026-12-01 (warning)
        Assert.DoesNotContain(PlanResolver.Resolve(Spec(), PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today).Warnings, w => w.Contains("gpt-4o", StringComparison.Ordinal));
        var late = PlanResolver.Resolve(Spec(), PriceCatalog.BuiltIn, PlanningData.BuiltIn, new DateOnly(2026, 12, 1));
        Assert.Contains(late.Warnings, w => w.Contains("gpt-4o", StringComparison.Ordinal) && w.Contains("130 days", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_NoGpuPrice_TakesTypicalH100SxmFromGpusCsv()
    {
        var resolved = PlanResolver.Resolve(Spec() with { GpuHourUsd = null }, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        Assert.Equal("H100 SXM 80GB", resolved.Inputs!.SelfHosted.GpuType);
        Assert.Equal(3.85m, resolved.Inputs.SelfHosted.GpuHourUsd);
        Assert.Equal(new DateOnly(2026, 9, 25), resolved.Inputs.SelfHosted.GpuPriceAsOf);
    }

    [Fact]
    public void Resolve_ModelWithoutThroughput_ConvertsOutputToTotalTokensPerSecond()
    {
        // Llama-3.3-70B on 2 × H100 SXM, batch, ratio 1 → the faster of the two 1000/1000 rows (4,205 and 4,418):
        // 4,418 out tok/s × (1000 + 1000) ÷ 1000 = 8,836
        var spec = Spec() with { ReplicaTokensPerSecond = null, Model = "Llama-3.3-70B-Instruct", Gpu = "H100 SXM 80GB", Latency = LatencyNeed.Batch };
        var self = PlanResolver.Resolve(spec, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today).Inputs!.SelfHosted;
        Assert.Equal(2, self.GpusPerReplica);
        Assert.Equal(8836m, self.ReplicaTokensPerSecond);
    }

    [Fact]
    public void Resolve_InteractiveModel_PrefersRowsMeasuredUnderLoad()
    {
        // Interactive: the NIM rows (5000/500, concurrency-bounded) beat offline max; highest throughput of those: 917.26 × 11 = 10,089.86
        var spec = Spec() with { ReplicaTokensPerSecond = null, Model = "Llama-3.3-70B-Instruct", Gpu = "H100 SXM 80GB", InputOutputRatio = 10m };
        var resolved = PlanResolver.Resolve(spec, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        Assert.Equal(10_089.86m, resolved.Inputs!.SelfHosted.ReplicaTokensPerSecond);
        Assert.DoesNotContain(resolved.Warnings, w => w.Contains("offline", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_Defaults_AreStatedAsAssumptions()
    {
        var resolved = PlanResolver.Resolve(Spec(), PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        var self = resolved.Inputs!.SelfHosted;
        Assert.Equal((0.5m, 2, 1, 0m), (self.TargetUtilization, self.MinReplicas, self.GpusPerReplica, self.StaffUsdPerMonth));
        Assert.Equal(1m, resolved.Inputs.Workload.PeakFactor);
        Assert.Contains(resolved.Assumptions, a => a.StartsWith("peak factor 1", StringComparison.Ordinal));
        Assert.Contains(resolved.Assumptions, a => a.Contains("staff", StringComparison.Ordinal));
    }

    [Fact]
    public void Resolve_MissingVolumeAndThroughput_ReportsEveryError()
    {
        var resolved = PlanResolver.Resolve(new PlanSpec { Apis = ["gpt-4o"] }, PriceCatalog.BuiltIn, PlanningData.BuiltIn, _today);
        Assert.Null(resolved.Inputs);
        Assert.Equal(3, resolved.Errors.Count);
    }

    [Fact]
    public void PlanData_BuiltIn_ReadsGpusAndThroughput()
    {
        var data = PlanningData.BuiltIn;
        Assert.Equal(2.69m, data.FindGpu("H100 SXM")!.UsdPerHourLow);
        Assert.Contains(data.Throughput, t => t.Model == "Qwen3-8B" && t.TotalTokensPerSecond == 18340.9m);
    }

    [Fact]
    public void ApiPriceSpec_TryParseAssignment_ModelWithSlashAndCachedPrice()
    {
        Assert.True(ApiPriceSpec.TryParseAssignment("openai/gpt-4o=2.5/10/1.25", out var model, out var price));
        Assert.Equal("openai/gpt-4o", model);
        Assert.Equal(new ApiPriceSpec(2.5m, 10m, 1.25m), price);
        Assert.False(ApiPriceSpec.TryParseAssignment("gpt-4o=2.5", out _, out _));
    }

    [Fact]
    public void PlanSpecFile_Yaml_ReadsFieldsAndRejectsUnknownKeys()
    {
        var yaml = """
            tokens_per_day: 50000000
            input_output_ratio: 3
            peak_factor: 1.5
            latency: batch
            api: [gpt-4o]
            api_prices:
              my-model: "0.5/1.5"
              other: { input: 1, output: 2, cached_input: 0.1 }
            gpus_per_replica: 2
            """;
        var (spec, errors) = PlanSpecFile.Parse(yaml, "plan.yaml");
        Assert.Empty(errors);
        Assert.Equal(50_000_000m, spec.TokensPerDay);
        Assert.Equal(LatencyNeed.Batch, spec.Latency);
        Assert.Equal(new ApiPriceSpec(1m, 2m, 0.1m), spec.ApiPrices["other"]);
        Assert.Equal(2, spec.GpusPerReplica);

        var (_, bad) = PlanSpecFile.Parse("tokens_per_dya: 5\n", "plan.yaml");
        Assert.Contains(bad, e => e.Message.Contains("unknown key 'tokens_per_dya'", StringComparison.Ordinal));
    }

    [Fact]
    public void PlanSpec_OverlayOn_FlagsWinAndListsJoin()
    {
        var file = new PlanSpec { TokensPerDay = 1m, InputOutputRatio = 3m, Apis = ["a"], Source = "file p.yaml" };
        var flags = new PlanSpec { TokensPerDay = 2m, Apis = ["b"] };
        var merged = flags.OverlayOn(file);
        Assert.Equal((2m, 3m), (merged.TokensPerDay, merged.InputOutputRatio));
        Assert.Equal(["a", "b"], merged.Apis);
        Assert.Equal("file p.yaml + command line", merged.Source);
    }

    [Fact]
    public void PlanJsonWriter_NeverBreaksEven_WritesNullAndRequiredKeys()
    {
        // API $0.50/M vs self-hosted $1.111/M → break_even_tokens_per_day is null
        var self = new SelfHostedOption("H100", 1, 2m, 1000m, 0.5m, 1, 0m, 0m, "t", null, "t");
        var result = PlanCalculator.Calculate(new PlanInputs(
            new Workload(1_000_000m, 1m, 1m, 0m, LatencyNeed.Batch, "t"),
            [new ApiOption("cheap", ApiKind.HostedOpen, 0.5m, 0.5m, null, "t", null)],
            self));
        using var doc = JsonDocument.Parse(PlanJsonWriter.Write(result, [], null));
        var api = doc.RootElement.GetProperty("api").GetProperty("cheap");
        Assert.Equal(JsonValueKind.Null, api.GetProperty("break_even_tokens_per_day").ValueKind);
        Assert.Equal(15.21m, api.GetProperty("monthly_cost_usd").GetDecimal()); // 1M × 30.42 × 0.5 ÷ 10^6
        var sh = doc.RootElement.GetProperty("self_hosted");
        Assert.Equal(1, sh.GetProperty("replicas").GetInt32());
        Assert.Equal(1460m, sh.GetProperty("monthly_cost_usd").GetDecimal());
        Assert.Equal(1.110989m, sh.GetProperty("usd_per_million_tokens").GetDecimal());
    }
}
