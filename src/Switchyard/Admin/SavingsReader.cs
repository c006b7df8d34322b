using System.Globalization;
using Switchyard.Core.Catalog;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>
/// <c>GET /admin/api/v1/savings</c>: the savings report of the window (the same builder and the same store aggregate as
/// <c>switchyard report</c>, so the same numbers), with actual and baseline cost per bucket for the chart.
/// </summary>
/// <param name="Window">The window.</param>
/// <param name="Report">The report, as <c>switchyard report --json</c> prints it.</param>
/// <param name="Chart">As routed vs baseline per bucket.</param>
/// <param name="Cli">The command that prints the same report.</param>
/// <param name="Method">How the figures are made.</param>
internal sealed record SavingsDto(WindowDto Window, SavingsReport Report, ChartDto Chart, string Cli, IReadOnlyList<string> Method);

/// <summary>Reads the Savings page.</summary>
internal sealed class SavingsReader
{
    private readonly AggregateReads _reads;
    private readonly ILedgerStore _store;
    private readonly RouteTableHolder _routes;

    public SavingsReader(AggregateReads reads, ILedgerStore store, RouteTableHolder routes)
    {
        _reads = reads;
        _store = store;
        _routes = routes;
    }

    public async Task<SavingsDto> ReadAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var from = DateTimeOffset.FromUnixTimeMilliseconds(query.FromMs);
        var to = DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs);
        var rows = (await _store.AggregateForReportAsync(from, to, cancellationToken)).Where(r => Matches(query.Filter, r)).ToList();
        var catalog = PriceCatalog.BuiltIn;
        var report = SavingsReportBuilder.Build(rows, from, to, SavingsReportBuilder.ModelsOf(_routes.Current, catalog), catalog, PlanningData.BuiltIn,
            DateOnly.FromDateTime(to.UtcDateTime));
        var series = await _reads.SeriesAsync(query, [], cancellationToken);
        var routed = ChartData.Lines(query, _reads, series.Select(r => r with { Values = ["as routed"] }).ToList(), 0, null, "usd", m => (double)m.CostUsd);
        var baseline = ChartData.Lines(query, _reads, series.Select(r => r with { Values = ["baseline (all-frontier)"] }).ToList(), 0, null, "usd", m => (double)m.BaselineUsd);
        var chart = routed with { Lines = [.. routed.Lines, .. baseline.Lines] };
        var inv = CultureInfo.InvariantCulture;
        return new SavingsDto(ChartData.Window(query, _reads), report, chart,
            $"switchyard report --from {from.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", inv)} --to {to.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", inv)}",
            SavingsReportBuilder.Notes);
    }

    /// <summary>The report's rows carry team, requested name, task category, data class and served model: filters on those apply.</summary>
    private static bool Matches(AggregateFilter filter, LedgerReportRow row)
    {
        foreach (var (dimension, values) in filter.Values)
        {
            string? value = dimension switch
            {
                AggregateDimension.Team => row.Team ?? "",
                AggregateDimension.RequestedModel => row.RequestedModel,
                AggregateDimension.TaskCategory => row.TaskCategory ?? "",
                AggregateDimension.DataClass => row.DataClass ?? "",
                AggregateDimension.ServedModel => row.ServedModel ?? "",
                _ => null,
            };
            if (value is not null && !values.Contains(value, StringComparer.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
