using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>
/// The planner's arithmetic, following <see cref="PlanConventions"/>. Pure functions of their arguments, in
/// <see cref="decimal"/> so hand-computed cases match to the cent.
/// </summary>
public static class PlanCalculator
{
    /// <summary>Name under which the self-hosted option appears in comparisons.</summary>
    public const string SelfHostedName = "self-hosted";

    private const decimal Million = 1_000_000m;

    // Beyond this many replicas a "break-even" is not a plan anyone would act on, and the decimals overflow.
    private const decimal MaxReplicas = 1_000_000_000m;

    /// <summary>Input price after prompt-cache reads: (1 − c) × input + c × cached (cached defaults to input).</summary>
    public static decimal EffectiveInputPerMillion(ApiOption option, decimal cachedInputFraction)
    {
        ArgumentNullException.ThrowIfNull(option);
        var cached = option.CachedInputPerMillion ?? option.InputPerMillion;
        return ((1m - cachedInputFraction) * option.InputPerMillion) + (cachedInputFraction * cached);
    }

    /// <summary>Blended $/M for input:output ratio r: (r × input + output) ÷ (r + 1).</summary>
    public static decimal BlendedPerMillion(decimal inputPerMillion, decimal outputPerMillion, decimal ratio) =>
        ((ratio * inputPerMillion) + outputPerMillion) / (ratio + 1m);

    /// <summary>Blended $/M of an option for a workload, cached input included.</summary>
    public static decimal BlendedPerMillion(ApiOption option, Workload workload)
    {
        ArgumentNullException.ThrowIfNull(workload);
        return BlendedPerMillion(EffectiveInputPerMillion(option, workload.CachedInputFraction), option.OutputPerMillion, workload.InputOutputRatio);
    }

    /// <summary>API $/month = tokens/day × 30.42 × blended $/M ÷ 10^6.</summary>
    public static decimal ApiMonthlyCost(decimal blendedPerMillion, decimal tokensPerDay) =>
        tokensPerDay * PlanConventions.DaysPerMonth * blendedPerMillion / Million;

    /// <summary>Peak tokens/s = tokens/day × peak factor ÷ 86,400.</summary>
    public static decimal PeakTokensPerSecond(decimal tokensPerDay, decimal peakFactor) =>
        tokensPerDay * peakFactor / PlanConventions.SecondsPerDay;

    /// <summary>replicas = max(minimum, ceil(peak tokens/s ÷ (replica tokens/s × utilisation))).</summary>
    public static int Replicas(SelfHostedOption option, decimal tokensPerDay, decimal peakFactor)
    {
        ArgumentNullException.ThrowIfNull(option);
        var needed = tokensPerDay * peakFactor / (option.ReplicaTokensPerSecond * option.TargetUtilization * PlanConventions.SecondsPerDay);

        // Rounding first keeps a volume that exactly fills k replicas at k, not k + 1 from a 1e-28 residue.
        var replicas = Math.Ceiling(Math.Round(needed, 12));
        return replicas > MaxReplicas ? int.MaxValue : Math.Max(option.MinReplicas, (int)replicas);
    }

    /// <summary>Usable tokens/day of k replicas: k × replica tokens/s × utilisation × 86,400 ÷ peak factor.</summary>
    public static decimal CapacityTokensPerDay(SelfHostedOption option, int replicas, decimal peakFactor)
    {
        ArgumentNullException.ThrowIfNull(option);
        return replicas * option.ReplicaTokensPerSecond * option.TargetUtilization * PlanConventions.SecondsPerDay / peakFactor;
    }

    /// <summary>GPU $/month of one replica: GPUs/replica × $/GPU-hour × 730.</summary>
    public static decimal ReplicaMonthlyCost(SelfHostedOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        return option.GpusPerReplica * option.GpuHourUsd * PlanConventions.HoursPerMonth;
    }

    /// <summary>Self-hosted $/month = replicas × GPUs/replica × $/GPU-hour × 730 + staff + fixed.</summary>
    public static decimal SelfHostedMonthlyCost(SelfHostedOption option, int replicas) =>
        (replicas * ReplicaMonthlyCost(option)) + option.StaffUsdPerMonth + option.FixedUsdPerMonth;

    /// <summary>Self-hosted $/month at a volume (the step function).</summary>
    public static decimal SelfHostedMonthlyCostAt(SelfHostedOption option, decimal tokensPerDay, decimal peakFactor) =>
        SelfHostedMonthlyCost(option, Replicas(option, tokensPerDay, peakFactor));

    /// <summary>GPU $/M when replicas run at the target utilisation all day (staff and fixed excluded).</summary>
    public static decimal SelfHostedUsdPerMillion(SelfHostedOption option)
    {
        ArgumentNullException.ThrowIfNull(option);
        var tokensPerReplicaMonth = option.ReplicaTokensPerSecond * option.TargetUtilization * PlanConventions.SecondsPerDay * PlanConventions.DaysPerMonth;
        return ReplicaMonthlyCost(option) / tokensPerReplicaMonth * Million;
    }

    /// <summary>
    /// Break-even against one API. The API cost a × T is a line and the self-hosted cost is a staircase, so
    /// for each replica count k the candidate is T_k = (k × replica $ + staff + fixed) ÷ a, valid only when
    /// T_k fits k replicas (T_k ≤ k × c). T_k ≤ k × c ⇔ k × (a × c − replica $) ≥ staff + fixed, which has a
    /// solution only when a × c &gt; replica $ (self-hosted $/M at peak factor below the blended price); the
    /// smallest such k is max(min, ceil((staff + fixed) ÷ (a × c − replica $))).
    /// </summary>
    public static BreakEven BreakEvenFor(decimal blendedPerMillion, SelfHostedOption option, decimal peakFactor)
    {
        ArgumentNullException.ThrowIfNull(option);
        var a = PlanConventions.DaysPerMonth * blendedPerMillion / Million;
        var g = ReplicaMonthlyCost(option);
        var fixedCost = option.StaffUsdPerMonth + option.FixedUsdPerMonth;
        var c = CapacityTokensPerDay(option, 1, peakFactor);
        if (a <= 0m)
        {
            return new BreakEven(null, null, null, false, false, null);
        }

        var atMin = ((option.MinReplicas * g) + fixedCost) / a;
        var atMinExceeds = atMin > option.MinReplicas * c;
        var margin = (a * c) - g;
        if (margin <= 0m)
        {
            return new BreakEven(null, null, atMin, atMinExceeds, false, null);
        }

        var k = SmallestReplicas(fixedCost / margin, option.MinReplicas);
        var always = SmallestReplicas((g + fixedCost) / margin, option.MinReplicas);
        if (k is null)
        {
            return new BreakEven(null, null, atMin, atMinExceeds, true, null);
        }

        decimal? alwaysAbove = always is null ? null : ((always.Value * g) + fixedCost) / a;
        return new BreakEven(((k.Value * g) + fixedCost) / a, k, atMin, atMinExceeds, true, alwaysAbove);
    }

    /// <summary>Computes the whole plan.</summary>
    public static PlanResult Calculate(PlanInputs inputs, IReadOnlyList<string>? warnings = null)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var workload = inputs.Workload;
        var self = inputs.SelfHosted;
        var pf = workload.PeakFactor;

        var apis = inputs.ApiOptions.Select(option =>
        {
            var effectiveInput = EffectiveInputPerMillion(option, workload.CachedInputFraction);
            var blended = BlendedPerMillion(effectiveInput, option.OutputPerMillion, workload.InputOutputRatio);
            return new ApiResult(option, effectiveInput, blended, ApiMonthlyCost(blended, workload.TokensPerDay), BreakEvenFor(blended, self, pf));
        }).ToList();

        var replicas = Replicas(self, workload.TokensPerDay, pf);
        var monthly = SelfHostedMonthlyCost(self, replicas);
        var monthlyTokens = workload.TokensPerDay * PlanConventions.DaysPerMonth;
        var perMillion = SelfHostedUsdPerMillion(self);
        var selfResult = new SelfHostedResult(
            self,
            replicas,
            CapacityTokensPerDay(self, replicas, pf),
            workload.TokensPerDay / PlanConventions.SecondsPerDay / (replicas * self.ReplicaTokensPerSecond),
            replicas * ReplicaMonthlyCost(self),
            monthly,
            perMillion,
            perMillion * pf,
            monthlyTokens > 0m ? monthly / monthlyTokens * Million : null);

        return new PlanResult(
            inputs,
            PeakTokensPerSecond(workload.TokensPerDay, pf),
            monthlyTokens,
            apis,
            selfResult,
            Cheapest(apis, selfResult),
            warnings ?? []);
    }

    private static int? SmallestReplicas(decimal needed, int minReplicas)
    {
        if (needed > MaxReplicas)
        {
            return null;
        }

        return Math.Max(minReplicas, (int)Math.Ceiling(Math.Round(needed, 12)));
    }

    private static CheapestOption Cheapest(IReadOnlyList<ApiResult> apis, SelfHostedResult self)
    {
        var costs = apis.Select(a => (a.Option.Name, a.MonthlyCostUsd))
            .Append((SelfHostedName, self.MonthlyCostUsd))
            .OrderBy(x => x.Item2)
            .ToList();
        var best = costs[0];
        if (costs.Count == 1)
        {
            return new CheapestOption(best.Item1, best.Item2, null, null, null);
        }

        var next = costs[1];
        var saving = next.Item2 - best.Item2;
        return new CheapestOption(best.Item1, best.Item2, next.Item1, saving, next.Item2 > 0m ? saving / next.Item2 * 100m : null);
    }
}
