using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Core.Tests.Planning;

public sealed class PlanCalculatorTests
{
    // One replica: 1 GPU at $2/h, 1,000 tok/s, target utilisation 0.5 → 500 usable tok/s
    // = 43,200,000 tokens/day of capacity; GPU cost 1 × 2 × 730 = $1,460/month.
    private static SelfHostedOption Replica(int minReplicas = 1, decimal staff = 0m, decimal fixedCost = 0m, int gpus = 1, decimal gpuHour = 2m) =>
        new("H100 SXM 80GB", gpus, gpuHour, 1000m, 0.5m, minReplicas, staff, fixedCost, "test", null, "test");

    private static ApiOption Api(decimal input, decimal output, decimal? cached = null, string name = "m") =>
        new(name, ApiKind.Api, input, output, cached, "test", null);

    private static Workload Load(decimal tokensPerDay, decimal ratio = 1m, decimal peak = 1m, decimal cached = 0m) =>
        new(tokensPerDay, ratio, peak, cached, LatencyNeed.Interactive, "test");

    [Fact]
    public void BlendedPerMillion_Ratio3In2_5Out10_Is4_375()
    {
        // (3 × 2.5 + 10) ÷ (3 + 1) = 17.5 ÷ 4 = 4.375
        Assert.Equal(4.375m, PlanCalculator.BlendedPerMillion(2.5m, 10m, 3m));
    }

    [Fact]
    public void BlendedPerMillion_RatioZero_IsOutputPrice()
    {
        // (0 × 2.5 + 10) ÷ 1 = 10
        Assert.Equal(10m, PlanCalculator.BlendedPerMillion(2.5m, 10m, 0m));
    }

    [Fact]
    public void BlendedPerMillion_HalfInputCachedAt1_25_Is3_90625()
    {
        // effective input = 0.5 × 2.5 + 0.5 × 1.25 = 1.875; (3 × 1.875 + 10) ÷ 4 = 15.625 ÷ 4 = 3.90625
        var blended = PlanCalculator.BlendedPerMillion(Api(2.5m, 10m, 1.25m), Load(1m, ratio: 3m, cached: 0.5m));
        Assert.Equal(3.90625m, blended);
    }

    [Fact]
    public void EffectiveInputPerMillion_NoCachedPrice_CachedTokensCostInputPrice()
    {
        // no cached price: 0.5 × 2.5 + 0.5 × 2.5 = 2.5
        Assert.Equal(2.5m, PlanCalculator.EffectiveInputPerMillion(Api(2.5m, 10m), 0.5m));
    }

    [Fact]
    public void ApiMonthlyCost_100MTokensPerDayAt4_375_Is13308_75()
    {
        // 100,000,000 × 30.42 = 3,042,000,000 tokens/month × $4.375/M = $13,308.75
        Assert.Equal(13308.75m, PlanCalculator.ApiMonthlyCost(4.375m, 100_000_000m));
    }

    [Theory]
    [InlineData(0, 1, 1)] // zero volume → minimum replicas
    [InlineData(43_200_000, 1, 1)] // exactly one replica's usable capacity → 1
    [InlineData(43_200_001, 1, 2)] // one token over → 2 (a step, not a rate)
    [InlineData(86_400_000, 1, 2)] // exactly two replicas
    [InlineData(86_400_000, 3, 3)] // needs 2 but minimum is 3
    [InlineData(432_000_000, 3, 10)] // 10 × 43.2M
    public void Replicas_StepFunction_MatchesHandCount(long tokensPerDay, int minReplicas, int expected)
    {
        Assert.Equal(expected, PlanCalculator.Replicas(Replica(minReplicas), tokensPerDay, 1m));
    }

    [Fact]
    public void Replicas_PeakFactor2_Halves_CapacityPerReplica()
    {
        // 43.2M tokens/day × 2 ÷ 86,400 = 1,000 peak tok/s ÷ 500 usable = 2 replicas
        Assert.Equal(2, PlanCalculator.Replicas(Replica(), 43_200_000m, 2m));
        Assert.Equal(21_600_000m, PlanCalculator.CapacityTokensPerDay(Replica(), 1, 2m));
    }

    [Fact]
    public void SelfHostedMonthlyCost_2Replicas2GpusAt3_85PlusStaffAndFixed_Is21742()
    {
        // 2 × 2 × 3.85 × 730 = 11,242 + 10,000 staff + 500 fixed = 21,742
        var option = Replica(staff: 10_000m, fixedCost: 500m, gpus: 2, gpuHour: 3.85m);
        Assert.Equal(21742m, PlanCalculator.SelfHostedMonthlyCost(option, 2));
    }

    [Fact]
    public void SelfHostedMonthlyCostAt_JustOverOneReplica_JumpsByOneReplica()
    {
        // 43.2M → 1 replica = 1,460; 43.2M + 1 → 2 replicas = 2,920
        Assert.Equal(1460m, PlanCalculator.SelfHostedMonthlyCostAt(Replica(), 43_200_000m, 1m));
        Assert.Equal(2920m, PlanCalculator.SelfHostedMonthlyCostAt(Replica(), 43_200_001m, 1m));
    }

    [Fact]
    public void SelfHostedUsdPerMillion_1GpuAt2_1000TpsAtHalf_Is1_11099()
    {
        // 1,460 ÷ (500 × 86,400 × 30.42 = 1,314,144,000 tokens) × 10^6 = 1.110989…
        Assert.Equal(1.11099m, Math.Round(PlanCalculator.SelfHostedUsdPerMillion(Replica()), 5));
    }

    [Fact]
    public void BreakEven_Blended10NoFixedCost_Is4_799_474TokensPerDayOnOneReplica()
    {
        // a = 30.42 × 10 ÷ 10^6 = 0.0003042 $/month per token/day; T* = 1,460 ÷ 0.0003042 = 4,799,474.03 ≤ 43.2M
        var be = PlanCalculator.BreakEvenFor(10m, Replica(), 1m);
        Assert.True(be.SelfHostingEverWins);
        Assert.Equal(1, be.Replicas);
        Assert.Equal(4_799_474.03m, Math.Round(be.TokensPerDay!.Value, 2));
        Assert.False(be.AtMinReplicasExceedsCapacity);
    }

    [Fact]
    public void BreakEven_StaffPushesPastOneReplica_FlagsMinAndReportsTwoReplicas()
    {
        // staff 20,000: at 1 replica T = 21,460 ÷ 0.0003042 = 70,545,693.62 > 43.2M capacity → flagged;
        // margin = 0.0003042 × 43.2M − 1,460 = 11,681.44; k = ceil(20,000 ÷ 11,681.44) = 2;
        // T* = (2 × 1,460 + 20,000) ÷ 0.0003042 = 75,345,167.65, within (43.2M, 86.4M]
        var be = PlanCalculator.BreakEvenFor(10m, Replica(staff: 20_000m), 1m);
        Assert.Equal(70_545_693.62m, Math.Round(be.AtMinReplicasTokensPerDay!.Value, 2));
        Assert.True(be.AtMinReplicasExceedsCapacity);
        Assert.Equal(2, be.Replicas);
        Assert.Equal(75_345_167.65m, Math.Round(be.TokensPerDay!.Value, 2));
    }

    [Fact]
    public void BreakEven_MinReplicas3_SolvesAtThreeReplicas()
    {
        // M = 3: T* = 3 × 1,460 ÷ 0.0003042 = 14,398,422.09 (3 replicas even though 1 would carry it)
        var be = PlanCalculator.BreakEvenFor(10m, Replica(minReplicas: 3), 1m);
        Assert.Equal(3, be.Replicas);
        Assert.Equal(14_398_422.09m, Math.Round(be.TokensPerDay!.Value, 2));
    }

    [Fact]
    public void BreakEven_Blended1_2BarelyBelowSelfHost_WinsFirstAt39_995_617ButAlwaysOnlyAbove519_943_020()
    {
        // a = 30.42 × 1.2 ÷ 10^6 = 0.000036504; T* = 1,460 ÷ a = 39,995,616.92 (1 replica).
        // Just past 43.2M a second replica costs 2,920 while the API costs 1,576.97, so the API wins again;
        // self-hosting stays cheaper only from k = ceil(1,460 ÷ (1,576.9728 − 1,460)) = 13 replicas:
        // 13 × 1,460 ÷ a = 519,943,019.94.
        var be = PlanCalculator.BreakEvenFor(1.2m, Replica(), 1m);
        Assert.Equal(39_995_616.92m, Math.Round(be.TokensPerDay!.Value, 2));
        Assert.Equal(519_943_019.94m, Math.Round(be.SelfHostedAlwaysCheaperAboveTokensPerDay!.Value, 2));
        Assert.True(PlanCalculator.ApiMonthlyCost(1.2m, 43_200_001m) < PlanCalculator.SelfHostedMonthlyCostAt(Replica(), 43_200_001m, 1m));
    }

    [Fact]
    public void BreakEven_ApiCheaperThanSelfHostPerToken_NeverBreaksEven()
    {
        // blended $1.00/M < self-hosted $1.111/M: a × c = 0.00003042 × 43.2M = 1,314.14 < 1,460 per replica
        var be = PlanCalculator.BreakEvenFor(1m, Replica(), 1m);
        Assert.False(be.SelfHostingEverWins);
        Assert.Null(be.TokensPerDay);
        Assert.Null(be.Replicas);
        Assert.Null(be.SelfHostedAlwaysCheaperAboveTokensPerDay);
    }

    [Fact]
    public void BreakEven_PeakFactor2_DoublesEffectivePerTokenCost_NeverBreaksEven()
    {
        // $2.00/M beats $1.111/M at flat traffic, but at peak factor 2 each replica serves half: $2.222/M > $2.00/M
        Assert.True(PlanCalculator.BreakEvenFor(2m, Replica(), 1m).SelfHostingEverWins);
        Assert.False(PlanCalculator.BreakEvenFor(2m, Replica(), 2m).SelfHostingEverWins);
    }

    [Fact]
    public void BreakEven_FreeApi_NeverBreaksEven()
    {
        var be = PlanCalculator.BreakEvenFor(0m, Replica(), 1m);
        Assert.Null(be.TokensPerDay);
        Assert.Null(be.AtMinReplicasTokensPerDay);
    }

    [Fact]
    public void Calculate_100MTokensPerDay_PicksSelfHostedAndComputesSaving()
    {
        // API at $10/M: 100M × 30.42 × 10 ÷ 10^6 = $30,420. Self-hosted: ceil(100M ÷ 43.2M) = 3 replicas = $4,380.
        // Saving 30,420 − 4,380 = $26,040 = 85.60…% of the API's cost.
        var inputs = new PlanInputs(Load(100_000_000m), [Api(10m, 10m, name: "gpt")], Replica());
        var result = PlanCalculator.Calculate(inputs);
        Assert.Equal(30420m, result.Apis[0].MonthlyCostUsd);
        Assert.Equal(3, result.SelfHosted.Replicas);
        Assert.Equal(4380m, result.SelfHosted.MonthlyCostUsd);
        Assert.Equal(PlanCalculator.SelfHostedName, result.Cheapest.Name);
        Assert.Equal("gpt", result.Cheapest.RunnerUp);
        Assert.Equal(26040m, result.Cheapest.SavingUsdPerMonth);
        Assert.Equal(85.60m, Math.Round(result.Cheapest.SavingPercent!.Value, 2));
        Assert.Equal(3_042_000_000m, result.MonthlyTokens);
    }

    [Fact]
    public void Calculate_BelowMinReplicaCapacity_ReportsLowAverageUtilisation()
    {
        // 8.64M tokens/day = 100 tok/s on 2 replicas × 1,000 tok/s = 5 %
        var inputs = new PlanInputs(Load(8_640_000m), [Api(1m, 1m)], Replica(minReplicas: 2));
        var result = PlanCalculator.Calculate(inputs);
        Assert.Equal(2, result.SelfHosted.Replicas);
        Assert.Equal(0.05m, result.SelfHosted.AverageUtilization);
        Assert.Equal("m", result.Cheapest.Name);
    }
}
