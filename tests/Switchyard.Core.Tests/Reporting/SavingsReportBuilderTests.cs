using Switchyard.Core.Catalog;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Pricing;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Core.Tests.Reporting;

public sealed class SavingsReportBuilderTests
{
    private static readonly DateTimeOffset _from = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _to = new(2026, 11, 11, 0, 0, 0, TimeSpan.Zero);

    private static readonly IReadOnlyDictionary<string, ReportModel> _models = new Dictionary<string, ReportModel>
    {
        ["gpt-4o"] = new("gpt-4o", ReportModelKind.Api, new ModelPrice(2.5m, 10m, 1.25m, null, "test"), ["gpt-4o"]),
        ["gpt-4o-mini"] = new("gpt-4o-mini", ReportModelKind.Api, new ModelPrice(0.15m, 0.6m, 0.075m, null, "test"), ["gpt-4o-mini"]),
        ["llama-70b"] = new("llama-70b", ReportModelKind.SelfHosted, new ModelPrice(0.23m, 0.40m, null, null, "test"), ["Llama-3.3-70B-Instruct", "llama-70b"]),
    };

    private static LedgerReportRow Row(string? team, string requested, string? dataClass, string? served, long requests, long input, long output,
        decimal cost, decimal baseline, long withoutBaseline = 0, long failures = 0) =>
        new(team, requested, null, dataClass, served, requests, input, output, 0, cost, baseline, withoutBaseline, failures);

    private static SavingsReport Build(params LedgerReportRow[] rows) =>
        SavingsReportBuilder.Build(rows, _from, _to, _models, PriceCatalog.BuiltIn, PlanningData.BuiltIn, new DateOnly(2026, 11, 11));

    [Fact]
    public void Build_HandBuiltAggregates_TotalsAndSplitsAreExact()
    {
        var report = Build(
            Row("search", "auto", "internal", "gpt-4o-mini", 3, 3_000, 1_000, 1.05m, 17.5m),
            Row("search", "gpt-4o", "internal", "gpt-4o", 1, 1_000, 500, 7.5m, 7.5m),
            Row(null, "auto", "restricted", "llama-70b", 2, 4_000, 2_000, 1.72m, 30m),
            Row("search", "auto", "internal", null, 1, 0, 0, 0m, 0m, failures: 1),
            Row("legacy", "gpt-4o-mini", null, "gpt-4o-mini", 1, 10, 10, 0.5m, 0.5m, withoutBaseline: 1));

        Assert.Equal(10m, report.Days);
        // as routed 1.05 + 7.5 + 1.72 + 0 + 0.5 = 10.77; baseline 17.5 + 7.5 + 30 + 0 + 0.5 = 55.5; saving 44.73 = 80.59459…%.
        Assert.Equal(new SavingsLine("total", 8, 8_010, 3_510, 10.77m, 55.5m, 44.73m, 80.59m), report.Total);
        Assert.Equal(1, report.RequestsWithoutBaseline);
        Assert.Equal(1, report.Failures);
        Assert.Equal(
            [
                new SavingsLine("search", 5, 4_000, 1_500, 8.55m, 25m, 16.45m, 65.8m),
                new SavingsLine("(no team)", 2, 4_000, 2_000, 1.72m, 30m, 28.28m, 94.27m),
                new SavingsLine("legacy", 1, 10, 10, 0.5m, 0.5m, 0m, 0m),
            ],
            report.ByTeam);
        Assert.Equal(
            [
                new SavingsLine("gpt-4o", 1, 1_000, 500, 7.5m, 7.5m, 0m, 0m),
                new SavingsLine("auto", 6, 7_000, 3_000, 2.77m, 47.5m, 44.73m, 94.17m),
                new SavingsLine("gpt-4o-mini", 1, 10, 10, 0.5m, 0.5m, 0m, 0m),
            ],
            report.ByAlias);
        Assert.Equal([new SavingsLine("unclassified", 8, 8_010, 3_510, 10.77m, 55.5m, 44.73m, 80.59m)], report.ByTaskCategory);
        Assert.Equal(["internal", "restricted", "unknown"], report.ByDataClass.Select(l => l.Name));
        Assert.Equal(new SavingsLine("(none)", 1, 0, 0, 0m, 0m, 0m, null), report.ByServedModel.Single(l => l.Name == "(none)"));
        Assert.Equal(report.Total.CostUsd, report.ByServedModel.Sum(l => l.CostUsd));
    }

    [Fact]
    public void Build_FallbacksServedSome_ExtraCostAndItsShareInTheReportAndItsText()
    {
        var report = Build(
            Row("search", "auto", "internal", "llama-70b", 90, 90_000, 9_000, 0.024m, 1.125m),
            Row("search", "auto", "internal", "gpt-4o", 10, 10_000, 1_000, 0.035m, 0.035m) with { FallbackRequests = 10, FallbackExtraCostUsd = 0.0323m });

        // 0.0323 of 0.059 as routed: 54.75 %.
        Assert.Equal(new FallbackSummary(10, 0.0323m, 54.75m), report.Fallbacks);
        Assert.Contains("  10 requests served by a fallback, costing $0.0323 more than their first choices (54.75% of the cost as routed)\n",
            SavingsReportWriter.Text(report), StringComparison.Ordinal);
        Assert.Contains("\"fallbacks\": {", SavingsReportWriter.Json(report), StringComparison.Ordinal);
        Assert.Equal(new FallbackSummary(0, 0m, null), Build().Fallbacks);
    }

    [Fact]
    public void Build_SelfHostedModelWithThroughputData_VerdictIsThePlannersBreakEvenAsMultipleOfToday()
    {
        // 6,000 tokens over 10 days = 600 tokens/day, input:output 2.
        var report = Build(Row("ml", "auto", "internal", "llama-70b", 2, 4_000, 2_000, 1.72m, 30m));

        var verdict = Assert.Single(report.Planner);
        Assert.Equal("llama-70b", verdict.Model);
        Assert.Equal("self-hosted", verdict.Kind);
        Assert.Equal(600m, verdict.TokensPerDay);
        Assert.Equal(2m, verdict.InputOutputRatio);
        Assert.Equal("Llama-3.3-70B-Instruct", verdict.ThroughputModel);
        Assert.Equal(2, verdict.GpusPerReplica);
        // Blended (2 × 0.23 + 0.40) ÷ 3 = $0.286667/M, below what dedicated H100s cost per token: never breaks even.
        Assert.Equal(0.286667m, verdict.CurrentUsdPerMillion);
        Assert.Null(verdict.BreakEvenTokensPerDay);
        Assert.Null(verdict.MultipleOfToday);
        Assert.Contains("never breaks even", verdict.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ExpensiveSelfHostedPrice_BreakEvenMultipleIsTStarOverToday()
    {
        var models = new Dictionary<string, ReportModel>
        {
            ["llama-70b"] = new("llama-70b", ReportModelKind.HostedOpen, new ModelPrice(10m, 10m, null, null, "test"), ["Meta-Llama-3.3-70B-Instruct-Turbo"]),
        };
        var rows = new[] { Row("ml", "auto", "internal", "llama-70b", 1, 500_000_000, 500_000_000, 20_000m, 20_000m) };

        var report = SavingsReportBuilder.Build(rows, _from, _to, models, PriceCatalog.BuiltIn, PlanningData.BuiltIn, new DateOnly(2026, 11, 11));

        var verdict = Assert.Single(report.Planner);
        Assert.Equal("hosted-open", verdict.Kind);
        Assert.Equal(100_000_000m, verdict.TokensPerDay);
        Assert.NotNull(verdict.BreakEvenTokensPerDay);
        Assert.Equal(Math.Round(verdict.BreakEvenTokensPerDay!.Value / 100_000_000m, 2, MidpointRounding.AwayFromZero), verdict.MultipleOfToday);
        Assert.Contains("would break even at", verdict.Verdict, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_ModelWithoutThroughputData_SaysSoInsteadOfGuessing()
    {
        var models = new Dictionary<string, ReportModel>
        {
            ["mystery"] = new("mystery", ReportModelKind.SelfHosted, new ModelPrice(1m, 1m, null, null, "test"), ["mystery-7b"]),
        };

        var report = SavingsReportBuilder.Build([Row("ml", "mystery", "internal", "mystery", 1, 10, 10, 0m, 0m)], _from, _to, models,
            PriceCatalog.BuiltIn, PlanningData.BuiltIn, new DateOnly(2026, 11, 11));

        var verdict = Assert.Single(report.Planner);
        Assert.Null(verdict.ThroughputModel);
        Assert.Contains("no measurement", verdict.Verdict, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Meta-Llama-3.1-8B-Instruct", "llama-3.1-8b")]
    [InlineData("together/Llama-3.3-70B-Instruct-Turbo", "llama-3.3-70b")]
    [InlineData("llama-3.3-70b", "llama-3.3-70b")]
    public void NormalizeModelName_CatalogAndConfigNames_MatchThroughputNames(string name, string expected) =>
        Assert.Equal(expected, PlanningData.NormalizeModelName(name));

    [Fact]
    public void Window_DaysAndDates_AreHalfOpenUtc()
    {
        var now = new DateTimeOffset(2026, 11, 11, 15, 0, 0, TimeSpan.Zero);
        Assert.Equal(new ReportWindow(new DateTimeOffset(2026, 11, 5, 0, 0, 0, TimeSpan.Zero), now), ReportWindow.Parse(null, null, 7, now).Window);
        Assert.Equal(new ReportWindow(_from, _to), ReportWindow.Parse("2026-11-01", "2026-11-11", null, now).Window);
        Assert.NotNull(ReportWindow.Parse("2026-11-11", "2026-11-01", null, now).Error);
        Assert.NotNull(ReportWindow.Parse("yesterday", null, null, now).Error);
    }
}
