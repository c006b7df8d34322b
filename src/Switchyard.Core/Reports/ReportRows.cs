using System.Data.Common;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>
/// The savings report's aggregate (<see cref="ILedgerStore.AggregateForReportAsync"/>) for both stores: whole days
/// from the daily table, whole hours from the hourly one, and only the partial hours at the window's two edges from
/// raw rows (an index range of under an hour each), so any window is exact and no read scans the ledger.
/// </summary>
public static class ReportRows
{
    private static readonly AggregateDimension[] _groups =
        [AggregateDimension.Team, AggregateDimension.RequestedModel, AggregateDimension.TaskCategory, AggregateDimension.DataClass, AggregateDimension.ServedModel,
            AggregateDimension.Outcome];

    public static async Task<IReadOnlyList<LedgerReportRow>> ReadAsync(DbConnection connection, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var fromMs = from.ToUnixTimeMilliseconds();
        var toMs = to.ToUnixTimeMilliseconds();
        var sums = new Dictionary<(string?, string, string?, string?, string?), LedgerReportRow>();
        if (fromMs >= toMs)
        {
            return [];
        }

        var h1 = Ceiling(fromMs, LedgerAggregator.HourMs);
        var h2 = LedgerAggregator.HourOf(toMs);
        if (h1 >= h2)
        {
            await AddRawAsync(connection, fromMs, toMs, sums, cancellationToken);
        }
        else
        {
            await AddRawAsync(connection, fromMs, h1, sums, cancellationToken);
            var d1 = Ceiling(h1, LedgerAggregator.DayMs);
            var d2 = LedgerAggregator.DayOf(h2);
            if (d1 < d2)
            {
                await AddAggregatesAsync(connection, AggregateGrain.Hour, h1, d1, sums, cancellationToken);
                await AddAggregatesAsync(connection, AggregateGrain.Day, d1, d2, sums, cancellationToken);
                await AddAggregatesAsync(connection, AggregateGrain.Hour, d2, h2, sums, cancellationToken);
            }
            else
            {
                await AddAggregatesAsync(connection, AggregateGrain.Hour, h1, h2, sums, cancellationToken);
            }

            await AddRawAsync(connection, h2, toMs, sums, cancellationToken);
        }

        return [.. sums.Values
            .OrderBy(r => r.Team, NullsFirst.Instance).ThenBy(r => r.RequestedModel, StringComparer.Ordinal).ThenBy(r => r.TaskCategory, NullsFirst.Instance)
            .ThenBy(r => r.DataClass, NullsFirst.Instance).ThenBy(r => r.ServedModel, NullsFirst.Instance)];
    }

    private static async Task AddAggregatesAsync(DbConnection connection, AggregateGrain grain, long fromMs, long toMs,
        Dictionary<(string?, string, string?, string?, string?), LedgerReportRow> sums, CancellationToken cancellationToken)
    {
        if (fromMs >= toMs)
        {
            return;
        }

        var rows = await AnalyticsSql.ReadAggregatesAsync(connection, new AggregateQuery(grain, fromMs, toMs, _groups, false, AggregateFilter.None), cancellationToken);
        foreach (var row in rows)
        {
            var m = row.Measures;
            if (m[AggregateMeasures.Requests] == 0)
            {
                continue;
            }

            static string? Null(string v) => v.Length == 0 ? null : v;
            Add(sums, new LedgerReportRow(Null(row.Values[0]), row.Values[1], Null(row.Values[2]), Null(row.Values[3]), Null(row.Values[4]),
                m[AggregateMeasures.Requests], m[AggregateMeasures.InputTokens], m[AggregateMeasures.OutputTokens], m[AggregateMeasures.CachedTokens],
                m.CostUsd, m.BaselineUsd, m[AggregateMeasures.NoBaseline], row.Values[5] == OutcomeClass.Ok ? 0 : m[AggregateMeasures.Requests],
                m[AggregateMeasures.FallbackServed], Money.FromNanoUsd(m[AggregateMeasures.FallbackExtraNanoUsd])));
        }
    }

    private static async Task AddRawAsync(DbConnection connection, long fromMs, long toMs, Dictionary<(string?, string, string?, string?, string?), LedgerReportRow> sums,
        CancellationToken cancellationToken)
    {
        if (fromMs >= toMs)
        {
            return;
        }

        // A record without a baseline counts at its own cost: no saving is claimed for it.
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT team, requested_model, task_category, data_class, served_model, CAST(COUNT(*) AS BIGINT),
                   CAST(SUM(input_tokens) AS BIGINT), CAST(SUM(output_tokens) AS BIGINT), CAST(SUM(cached_tokens) AS BIGINT), CAST(SUM(cost_nusd) AS BIGINT),
                   CAST(SUM(COALESCE(baseline_cost_nusd, cost_nusd)) AS BIGINT),
                   CAST(SUM(CASE WHEN baseline_cost_nusd IS NULL THEN 1 ELSE 0 END) AS BIGINT),
                   CAST(SUM(CASE WHEN outcome = 'Success' THEN 0 ELSE 1 END) AS BIGINT),
                   CAST(SUM(CASE WHEN fallback_extra_cost_nusd IS NULL THEN 0 ELSE 1 END) AS BIGINT),
                   CAST(COALESCE(SUM(fallback_extra_cost_nusd), 0) AS BIGINT)
            FROM ledger WHERE ts_unix_ms >= @p0 AND ts_unix_ms < @p1
            GROUP BY team, requested_model, task_category, data_class, served_model
            """;
        foreach (var (name, value) in new[] { ("@p0", fromMs), ("@p1", toMs) })
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value;
            command.Parameters.Add(p);
        }

        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            Add(sums, LedgerCodec.ReadReportRow(reader));
        }
    }

    private static void Add(Dictionary<(string?, string, string?, string?, string?), LedgerReportRow> sums, LedgerReportRow row)
    {
        var key = (row.Team, row.RequestedModel, row.TaskCategory, row.DataClass, row.ServedModel);
        sums[key] = sums.TryGetValue(key, out var s)
            ? s with
            {
                Requests = s.Requests + row.Requests,
                InputTokens = s.InputTokens + row.InputTokens,
                OutputTokens = s.OutputTokens + row.OutputTokens,
                CachedTokens = s.CachedTokens + row.CachedTokens,
                CostUsd = s.CostUsd + row.CostUsd,
                BaselineCostUsd = s.BaselineCostUsd + row.BaselineCostUsd,
                RequestsWithoutBaseline = s.RequestsWithoutBaseline + row.RequestsWithoutBaseline,
                Failures = s.Failures + row.Failures,
                FallbackRequests = s.FallbackRequests + row.FallbackRequests,
                FallbackExtraCostUsd = s.FallbackExtraCostUsd + row.FallbackExtraCostUsd,
            }
            : row;
    }

    private static long Ceiling(long ms, long unit) => ms % unit == 0 ? ms : ms - (((ms % unit) + unit) % unit) + unit;

    private sealed class NullsFirst : IComparer<string?>
    {
        public static readonly NullsFirst Instance = new();

        public int Compare(string? x, string? y) => x is null ? (y is null ? 0 : -1) : y is null ? 1 : string.CompareOrdinal(x, y);
    }
}
