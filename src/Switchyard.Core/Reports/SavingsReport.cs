using Switchyard.Core.Planning;
using Switchyard.Core.Pricing;
namespace Switchyard.Core.Reports;

/// <summary>How a model that served traffic is bought, for the planner verdicts.</summary>
public enum ReportModelKind
{
    /// <summary>A proprietary per-token API: no planner verdict.</summary>
    Api,

    /// <summary>An open-weights model bought per token from a host.</summary>
    HostedOpen,

    /// <summary>An open model on deployments in the self-hosted zone.</summary>
    SelfHosted,
}

/// <summary>What the report needs to know about a configured model.</summary>
/// <param name="Name">The configured model name (as stored in the ledger's served model).</param>
/// <param name="Kind">API, hosted open or self-hosted.</param>
/// <param name="Price">Its per-token price, as the ledger charges it.</param>
/// <param name="ThroughputNames">Names to look the model up by in <c>throughput.csv</c> (catalog model name, configured name).</param>
public sealed record ReportModel(string Name, ReportModelKind Kind, ModelPrice Price, IReadOnlyList<string> ThroughputNames);

/// <summary>Cost as routed against the all-frontier baseline for one group of requests.</summary>
/// <param name="Name">The group (team, requested name, task category, data class or served model).</param>
/// <param name="Requests">Ledger records in the group.</param>
/// <param name="InputTokens">Input tokens (cached included).</param>
/// <param name="OutputTokens">Output tokens.</param>
/// <param name="CostUsd">What the traffic cost as routed.</param>
/// <param name="BaselineCostUsd">What it would have cost on each request's most capable allowed model.</param>
/// <param name="SavingUsd">Baseline − as routed.</param>
/// <param name="SavingPercent">Saving ÷ baseline × 100, rounded to 2 decimals; null when the baseline is zero.</param>
public sealed record SavingsLine(
    string Name,
    long Requests,
    long InputTokens,
    long OutputTokens,
    decimal CostUsd,
    decimal BaselineCostUsd,
    decimal SavingUsd,
    decimal? SavingPercent);

/// <summary>The planner's verdict for the volume one open model served in the window.</summary>
/// <param name="Model">Configured model name.</param>
/// <param name="Kind"><c>hosted-open</c> or <c>self-hosted</c>.</param>
/// <param name="TokensPerDay">(Input + output tokens in the window) ÷ window days.</param>
/// <param name="InputOutputRatio">Input tokens per output token in the window; null without output tokens.</param>
/// <param name="CurrentUsdPerMillion">Today's blended per-token price for this traffic shape.</param>
/// <param name="ThroughputModel">The <c>throughput.csv</c> model used; null when none matched.</param>
/// <param name="Gpu">GPU type of the self-hosting option.</param>
/// <param name="GpusPerReplica">GPUs per replica.</param>
/// <param name="SelfHostedUsdPerMillion">Self-hosted GPU $/M at the target utilisation and peak factor.</param>
/// <param name="BreakEvenTokensPerDay">The planner's T*; null when self-hosting never breaks even or no plan was possible.</param>
/// <param name="BreakEvenReplicas">Replicas at T*.</param>
/// <param name="MultipleOfToday">T* ÷ today's tokens/day, rounded to 2 decimals.</param>
/// <param name="Verdict">One sentence.</param>
/// <param name="Assumptions">What the planner assumed (defaults and data rows).</param>
/// <param name="Warnings">The planner's warnings.</param>
public sealed record PlannerVerdict(
    string Model,
    string Kind,
    decimal TokensPerDay,
    decimal? InputOutputRatio,
    decimal? CurrentUsdPerMillion,
    string? ThroughputModel,
    string? Gpu,
    int? GpusPerReplica,
    decimal? SelfHostedUsdPerMillion,
    decimal? BreakEvenTokensPerDay,
    int? BreakEvenReplicas,
    decimal? MultipleOfToday,
    string Verdict,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<string> Warnings);

/// <summary>What failures cost in the window: the requests a fallback served, and what they cost more than the plans' first choices.</summary>
/// <param name="Requests">Records served by a fallback (not their plan's first choice).</param>
/// <param name="ExtraCostUsd">Their cost minus the same usage at their first choices' prices (the ledger's <c>fallback_extra_cost_nusd</c>).</param>
/// <param name="SharePercent">Extra cost ÷ the window's cost as routed × 100, rounded to 2 decimals; null when nothing was spent.</param>
public sealed record FallbackSummary(long Requests, decimal ExtraCostUsd, decimal? SharePercent);

/// <summary>The savings report of a time window [<paramref name="From"/>, <paramref name="To"/>).</summary>
/// <param name="From">Window start (inclusive).</param>
/// <param name="To">Window end (exclusive).</param>
/// <param name="Days">Window length in days (the divisor of tokens/day).</param>
/// <param name="Total">The whole window.</param>
/// <param name="ByTeam">Split by the key's team (<c>(no team)</c> when unset).</param>
/// <param name="ByAlias">Split by the requested name: an alias or a model.</param>
/// <param name="ByTaskCategory">Split by task category (<c>unclassified</c> for records without a category).</param>
/// <param name="ByDataClass">Split by data class.</param>
/// <param name="ByServedModel">Split by the model that served (<c>(none)</c> when no deployment did).</param>
/// <param name="Planner">Planner verdicts for the hosted-open and self-hosted models that served traffic.</param>
/// <param name="RequestsWithoutBaseline">Records counted at their own cost because they have no baseline.</param>
/// <param name="Failures">Records that did not succeed (they cost nothing on either side).</param>
/// <param name="Notes">How the figures are defined.</param>
/// <param name="Fallbacks">What failures cost: the requests fallbacks served and their extra cost.</param>
public sealed record SavingsReport(
    DateTimeOffset From,
    DateTimeOffset To,
    decimal Days,
    SavingsLine Total,
    IReadOnlyList<SavingsLine> ByTeam,
    IReadOnlyList<SavingsLine> ByAlias,
    IReadOnlyList<SavingsLine> ByTaskCategory,
    IReadOnlyList<SavingsLine> ByDataClass,
    IReadOnlyList<SavingsLine> ByServedModel,
    IReadOnlyList<PlannerVerdict> Planner,
    long RequestsWithoutBaseline,
    long Failures,
    IReadOnlyList<string> Notes,
    FallbackSummary Fallbacks);
