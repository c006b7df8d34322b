using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>Where the API and self-hosted monthly costs meet, for one API option.</summary>
/// <param name="TokensPerDay">The smallest volume at which self-hosting costs no more than the API; null when it never does.</param>
/// <param name="Replicas">Replica count assumed at <paramref name="TokensPerDay"/>.</param>
/// <param name="AtMinReplicasTokensPerDay">Volume where the API cost equals the cost of the minimum replica count (null for a free API).</param>
/// <param name="AtMinReplicasExceedsCapacity">True when that volume is more than the minimum replicas can serve, so more replicas (and a later T*) are needed.</param>
/// <param name="SelfHostingEverWins">Whether self-hosted $/M (at the target utilisation and peak factor) is below the API's blended price.</param>
/// <param name="SelfHostedAlwaysCheaperAboveTokensPerDay">From this volume on, self-hosting stays cheaper even just after a replica step; null when it never wins.</param>
public sealed record BreakEven(
    decimal? TokensPerDay,
    int? Replicas,
    decimal? AtMinReplicasTokensPerDay,
    bool AtMinReplicasExceedsCapacity,
    bool SelfHostingEverWins,
    decimal? SelfHostedAlwaysCheaperAboveTokensPerDay);

/// <summary>One API option at the planned volume.</summary>
public sealed record ApiResult(
    ApiOption Option,
    decimal EffectiveInputPerMillion,
    decimal BlendedPerMillion,
    decimal MonthlyCostUsd,
    BreakEven BreakEven);

/// <summary>The self-hosted option at the planned volume.</summary>
/// <param name="Option">The inputs it was computed from.</param>
/// <param name="Replicas">Replicas needed at the planned volume (at least the minimum).</param>
/// <param name="CapacityTokensPerDay">Usable tokens/day of those replicas at the target utilisation and peak factor.</param>
/// <param name="AverageUtilization">Average tokens/s ÷ the replicas' full throughput.</param>
/// <param name="GpuMonthlyCostUsd">GPU rental per month.</param>
/// <param name="MonthlyCostUsd">GPU rental + staff + fixed per month.</param>
/// <param name="UsdPerMillionTokens">GPU cost per million tokens when replicas run at the target utilisation.</param>
/// <param name="UsdPerMillionTokensAtPeakFactor">The same, for average traffic when capacity is sized for the peak (× peak factor).</param>
/// <param name="UsdPerMillionTokensAtVolume">All-in monthly cost ÷ monthly tokens at the planned volume (null at zero volume).</param>
public sealed record SelfHostedResult(
    SelfHostedOption Option,
    int Replicas,
    decimal CapacityTokensPerDay,
    decimal AverageUtilization,
    decimal GpuMonthlyCostUsd,
    decimal MonthlyCostUsd,
    decimal UsdPerMillionTokens,
    decimal UsdPerMillionTokensAtPeakFactor,
    decimal? UsdPerMillionTokensAtVolume);

/// <summary>The cheapest option at the planned volume and its margin over the next one.</summary>
public sealed record CheapestOption(string Name, decimal MonthlyCostUsd, string? RunnerUp, decimal? SavingUsdPerMonth, decimal? SavingPercent);

/// <summary>The full plan.</summary>
public sealed record PlanResult(
    PlanInputs Inputs,
    decimal PeakTokensPerSecond,
    decimal MonthlyTokens,
    IReadOnlyList<ApiResult> Apis,
    SelfHostedResult SelfHosted,
    CheapestOption Cheapest,
    IReadOnlyList<string> Warnings);
