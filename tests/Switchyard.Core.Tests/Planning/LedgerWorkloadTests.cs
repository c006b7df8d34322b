using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Core.Tests.Planning;

public sealed class LedgerWorkloadTests
{
    private static readonly ReportWindow _twoDays = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(2026, 3, 3, 0, 0, 0, TimeSpan.Zero));

    private static LedgerReportRow Row(string? served, long requests, long input, long output, long cached) =>
        new("team", "auto", null, "internal", served, requests, input, output, cached, 0m, 0m, 0, 0);

    [Fact]
    public void FromLedger_TwoModelsOverTwoDays_TokensPerDayIsSumOverDaysRatioAndCachedShareFromSums()
    {
        // input 3,000,000 + 1,000,000 = 4,000,000; output 1,000,000 + 600,000 = 1,600,000; cached 500,000 + 300,000.
        // tokens/day = 5,600,000 ÷ 2 = 2,800,000; r = 4,000,000 ÷ 1,600,000 = 2.5; cached share = 800,000 ÷ 4,000,000 = 0.2.
        var (spec, error) = LedgerWorkload.FromLedger([Row("llama-3.1-8b", 100, 3_000_000, 1_000_000, 500_000), Row("gpt-4o", 20, 1_000_000, 600_000, 300_000)], _twoDays, null);

        Assert.Null(error);
        Assert.Equal(2_800_000m, spec!.TokensPerDay);
        Assert.Equal(2.5m, spec.InputOutputRatio);
        Assert.Equal(0.2m, spec.CachedInputFraction);
        Assert.Contains("120 requests", spec.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void FromLedger_ServedModelFilter_UsesOnlyThatModelsTraffic()
    {
        // llama only: (3,000,000 + 1,000,000) ÷ 2 = 2,000,000/day; r = 3; cached 500,000 ÷ 3,000,000 = 0.1667 (4 places).
        var (spec, _) = LedgerWorkload.FromLedger([Row("llama-3.1-8b", 100, 3_000_000, 1_000_000, 500_000), Row("gpt-4o", 20, 1_000_000, 600_000, 300_000)], _twoDays, "LLAMA-3.1-8B");

        Assert.Equal(2_000_000m, spec!.TokensPerDay);
        Assert.Equal(3m, spec.InputOutputRatio);
        Assert.Equal(0.1667m, spec.CachedInputFraction);
        Assert.Contains("served model 'LLAMA-3.1-8B'", spec.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void FromLedger_NoTrafficOrNoOutput_ExplainsWhy()
    {
        var (none, noneError) = LedgerWorkload.FromLedger([], _twoDays, null);
        var (inputOnly, inputOnlyError) = LedgerWorkload.FromLedger([Row("embed", 5, 1000, 0, 0)], _twoDays, null);

        Assert.Null(none);
        Assert.Contains("no tokens", noneError, StringComparison.Ordinal);
        Assert.Null(inputOnly);
        Assert.Contains("no output tokens", inputOnlyError, StringComparison.Ordinal);
    }
}
