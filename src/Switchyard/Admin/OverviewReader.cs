using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Admin;

/// <summary>The Overview's headline figures over the window.</summary>
/// <param name="Requests">Requests in the ledger.</param>
/// <param name="Errors">Requests whose outcome was not ok.</param>
/// <param name="ErrorRate">Errors ÷ requests.</param>
/// <param name="P50LatencyMs">Median total time (from the latency histogram).</param>
/// <param name="P95LatencyMs">95th percentile total time.</param>
/// <param name="P95TtftMs">95th percentile time to first token of served streams.</param>
/// <param name="SpendUsd">Cost as routed.</param>
/// <param name="BaselineUsd">The all-frontier baseline's cost of the same usage.</param>
/// <param name="SavedUsd">Baseline − spend.</param>
/// <param name="SavedPercent">Saved ÷ baseline × 100.</param>
/// <param name="Tokens">Input + output tokens.</param>
/// <param name="SelfHostedTokenShare">Share of those tokens served in the self-hosted zone.</param>
internal sealed record KpiDto(long Requests, long Errors, double? ErrorRate, double? P50LatencyMs, double? P95LatencyMs, double? P95TtftMs,
    decimal SpendUsd, decimal BaselineUsd, decimal SavedUsd, decimal? SavedPercent, long Tokens, double? SelfHostedTokenShare);

/// <summary>One deployment on the health strip.</summary>
internal sealed record HealthDto(string Deployment, string Model, string Provider, string Zone, string Breaker, string Availability, bool Simulated);

/// <summary><c>GET /admin/api/v1/overview</c>.</summary>
internal sealed record OverviewDto(WindowDto Window, KpiDto Kpis, ChartDto RequestsByOutcome, ChartDto SpendByModel, ChartDto Latency, IReadOnlyList<HealthDto> Providers);

/// <summary>Reads the Overview: one aggregate read for the figures, one for the series.</summary>
internal sealed class OverviewReader
{
    private readonly AggregateReads _reads;
    private readonly RouteTableHolder _routes;
    private readonly DeploymentStates _states;

    public OverviewReader(AggregateReads reads, RouteTableHolder routes, DeploymentStates states)
    {
        _reads = reads;
        _routes = routes;
        _states = states;
    }

    public async Task<OverviewDto> ReadAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var totals = await _reads.TotalsAsync(query, [AggregateDimension.Outcome, AggregateDimension.TrustZone], cancellationToken);
        var series = await _reads.SeriesAsync(query, [AggregateDimension.Outcome, AggregateDimension.ServedModel], cancellationToken);
        return new OverviewDto(
            ChartData.Window(query, _reads),
            Kpis(totals),
            ChartData.Lines(query, _reads, series, 0, AggregateDimension.Outcome, "requests", m => m[AggregateMeasures.Requests]),
            ChartData.Lines(query, _reads, series, 1, AggregateDimension.ServedModel, "usd", m => (double)m.CostUsd),
            ChartData.Percentiles(query, _reads, series, ttft: false),
            Health(_routes.Current, _states));
    }

    /// <summary>The figures from rows grouped by outcome (first value) and trust zone (second).</summary>
    public static KpiDto Kpis(IReadOnlyList<AggregateRow> rows)
    {
        var all = new AggregateMeasures();
        long errors = 0, selfHosted = 0;
        foreach (var row in rows)
        {
            all.Add(row.Measures);
            if (row.Values[0] != OutcomeClass.Ok)
            {
                errors += row.Measures[AggregateMeasures.Requests];
            }

            if (row.Values[1] == "self-hosted")
            {
                selfHosted += row.Measures[AggregateMeasures.InputTokens] + row.Measures[AggregateMeasures.OutputTokens];
            }
        }

        var requests = all[AggregateMeasures.Requests];
        var tokens = all[AggregateMeasures.InputTokens] + all[AggregateMeasures.OutputTokens];
        var saved = all.BaselineUsd - all.CostUsd;
        return new KpiDto(requests, errors, requests == 0 ? null : Math.Round((double)errors / requests, 6),
            LatencyHistogram.Percentile(all.Latency, 0.5), LatencyHistogram.Percentile(all.Latency, 0.95), LatencyHistogram.Percentile(all.Ttft, 0.95),
            all.CostUsd, all.BaselineUsd, saved, all.BaselineUsd == 0 ? null : Math.Round(saved / all.BaselineUsd * 100m, 2, MidpointRounding.AwayFromZero),
            tokens, tokens == 0 ? null : Math.Round((double)selfHosted / tokens, 6));
    }

    /// <summary>Every deployment's live breaker and availability.</summary>
    public static IReadOnlyList<HealthDto> Health(RouteTable table, DeploymentStates states) =>
        [.. table.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).SelectMany(m => m.Deployments).Select(d =>
        {
            var report = states.Get(d.Id).Report(d.Resilience);
            return new HealthDto(d.Id, d.Model.Name, d.ProviderName, RouteRefusals.ZoneName(d.Zone), Snake(report.State.ToString()), Snake(report.Availability.ToString()),
                d.Adapter.IsSimulated);
        })];

    /// <summary>PascalCase → snake_case (<c>HalfOpen</c> → <c>half_open</c>).</summary>
    public static string Snake(string name) =>
        string.Concat(name.Select((c, i) => char.IsUpper(c) && i > 0 ? "_" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
