using System.Data.Common;
using System.Globalization;
using System.Text;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>
/// The SQL of the console's reads, written once for both stores (SQLite and PostgreSQL read the same text, with
/// named parameters <c>@p0…</c>), and the code that runs it on an open connection.
/// </summary>
public static class AnalyticsSql
{
    /// <summary>The request list never returns more than this per page.</summary>
    public const int MaxPageSize = 500;

    public static async Task<IReadOnlyList<AggregateRow>> ReadAggregatesAsync(DbConnection connection, AggregateQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(query);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder("SELECT ");
        if (query.ByBucket)
        {
            sql.Append("bucket_ms, ");
        }

        foreach (var d in query.GroupBy)
        {
            sql.Append(AggregateSchema.Column(d)).Append(", ");
        }

        sql.AppendJoin(", ", AggregateSchema.AllLongColumns.Select(c => $"CAST(SUM({c}) AS BIGINT)"));
        sql.Append(", ").AppendJoin(", ", AggregateSchema.DoubleColumns.Select(c => $"CAST(SUM({c}) AS DOUBLE PRECISION)"));
        sql.Append(" FROM ").Append(query.Grain == AggregateGrain.Hour ? AggregateSchema.Hourly : AggregateSchema.Daily);
        sql.Append(" WHERE bucket_ms >= ").Append(Add(command, query.FromMs)).Append(" AND bucket_ms < ").Append(Add(command, query.ToMs));
        foreach (var (dimension, values) in query.Filter.Values)
        {
            sql.Append(" AND ").Append(AggregateSchema.Column(dimension)).Append(In(command, values));
        }

        var groups = (query.ByBucket ? ["bucket_ms"] : Array.Empty<string>()).Concat(query.GroupBy.Select(AggregateSchema.Column)).ToList();
        return await ReadGroupedAsync<AggregateRow>(command, sql, groups, query.ByBucket, query.GroupBy.Count, async (reader, i, bucket, values) =>
        {
            var measures = new AggregateMeasures();
            if (await reader.IsDBNullAsync(i, cancellationToken))
            {
                // SUM over no rows (an ungrouped total of an empty window): every sum is zero.
                return new AggregateRow(bucket, values, measures);
            }

            for (var m = 0; m < measures.Longs.Length; m++)
            {
                measures.Longs[m] = reader.GetInt64(i++);
            }

            for (var m = 0; m < measures.Doubles.Length; m++)
            {
                measures.Doubles[m] = reader.GetDouble(i++);
            }

            return new AggregateRow(bucket, values, measures);
        }, cancellationToken);
    }

    /// <summary>
    /// The tail both grouped reads share: GROUP BY and ORDER BY the groups, run the query, and read each row's bucket
    /// and group values; <paramref name="measures"/> reads the rest from column <c>i</c> on and returns the row, or
    /// null to leave it out.
    /// </summary>
    private static async Task<IReadOnlyList<TRow>> ReadGroupedAsync<TRow>(DbCommand command, StringBuilder sql, List<string> groups, bool byBucket, int groupCount,
        Func<DbDataReader, int, long?, string[], Task<TRow?>> measures, CancellationToken cancellationToken)
        where TRow : class
    {
        if (groups.Count > 0)
        {
            sql.Append(" GROUP BY ").AppendJoin(", ", groups).Append(" ORDER BY ").AppendJoin(", ", groups);
        }

        command.CommandText = sql.ToString();
        var rows = new List<TRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var i = 0;
            long? bucket = byBucket ? reader.GetInt64(i++) : null;
            var values = new string[groupCount];
            for (var v = 0; v < values.Length; v++)
            {
                values[v] = reader.GetString(i++);
            }

            if (await measures(reader, i, bucket, values) is { } row)
            {
                rows.Add(row);
            }
        }

        return rows;
    }

    /// <summary>The event columns a query may group by.</summary>
    public static readonly IReadOnlySet<string> EventGroupColumns = new HashSet<string>(StringComparer.Ordinal) { "subject", "detail", "team", "model", "data_class" };

    public static async Task<IReadOnlyList<EventRow>> ReadEventsAsync(DbConnection connection, EventQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(query);
        if (query.GroupBy.FirstOrDefault(g => !EventGroupColumns.Contains(g)) is { } unknown)
        {
            throw new ArgumentException($"cannot group events by '{unknown}'", nameof(query));
        }

        await using var command = connection.CreateCommand();
        var groups = (query.ByBucket ? ["bucket_ms"] : Array.Empty<string>()).Concat(query.GroupBy).ToList();
        var sql = new StringBuilder("SELECT ");
        foreach (var g in groups)
        {
            sql.Append(g).Append(", ");
        }

        sql.Append($"CAST(SUM(count) AS BIGINT), CAST(SUM(sum_ms) AS DOUBLE PRECISION), CAST(MAX(last_ms) AS BIGINT) FROM ").Append(AggregateSchema.Events);
        sql.Append(" WHERE kind = ").Append(Add(command, query.Kind));
        sql.Append(" AND bucket_ms >= ").Append(Add(command, query.FromMs)).Append(" AND bucket_ms < ").Append(Add(command, query.ToMs));
        if (query.Teams is { } teams)
        {
            sql.Append(" AND team").Append(In(command, teams));
        }

        return await ReadGroupedAsync<EventRow>(command, sql, groups, query.ByBucket, query.GroupBy.Count, async (reader, i, bucket, values) =>
            await reader.IsDBNullAsync(i, cancellationToken) ? null : new EventRow(bucket, values, reader.GetInt64(i), reader.GetDouble(i + 1), reader.GetInt64(i + 2)),
            cancellationToken);
    }

    /// <summary>One page of the request list: <c>ORDER BY ts DESC, request_id DESC LIMIT n + 1</c> after the cursor, on the (ts, id) index.</summary>
    public static async Task<RequestPage> ListRequestsAsync(DbConnection connection, RequestQuery query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(query);
        var limit = Math.Clamp(query.Limit, 1, MaxPageSize);
        await using var command = connection.CreateCommand();
        var sql = new StringBuilder($"SELECT {LedgerCodec.Columns} FROM ledger WHERE ts_unix_ms >= ");
        sql.Append(Add(command, query.FromMs)).Append(" AND ts_unix_ms < ").Append(Add(command, query.ToMs));
        if (query.After is { } after)
        {
            var ts = Add(command, after.TimestampMs);
            sql.Append($" AND (ts_unix_ms < {ts} OR (ts_unix_ms = {ts} AND request_id < ").Append(Add(command, after.RequestId)).Append("))");
        }

        if (query.RequestId is { } id)
        {
            sql.Append(" AND request_id = ").Append(Add(command, id));
        }

        foreach (var (dimension, values) in query.Filter.Values)
        {
            sql.Append(" AND ").Append(RawPredicate(command, dimension, values));
        }

        if (query.MinCostUsd is { } minCost)
        {
            sql.Append(" AND cost_nusd >= ").Append(Add(command, Money.ToNanoUsd(minCost)));
        }

        if (query.MaxCostUsd is { } maxCost)
        {
            sql.Append(" AND cost_nusd <= ").Append(Add(command, Money.ToNanoUsd(maxCost)));
        }

        if (query.MinLatencyMs is { } minMs)
        {
            sql.Append(" AND total_ms >= ").Append(Add(command, minMs));
        }

        if (query.MaxLatencyMs is { } maxMs)
        {
            sql.Append(" AND total_ms <= ").Append(Add(command, maxMs));
        }

        sql.Append(" ORDER BY ts_unix_ms DESC, request_id DESC LIMIT ").Append(limit + 1);
        command.CommandText = sql.ToString();
        var rows = new List<LedgerRecord>(limit + 1);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(LedgerCodec.ReadRecord(reader));
        }

        if (rows.Count <= limit)
        {
            return new RequestPage(rows, null);
        }

        rows.RemoveAt(rows.Count - 1);
        var last = rows[^1];
        return new RequestPage(rows, new RequestCursor(last.Timestamp.ToUnixTimeMilliseconds(), last.RequestId));
    }

    /// <summary>The condition on raw ledger columns that matches what the aggregates file under these values of a dimension.</summary>
    private static string RawPredicate(DbCommand command, AggregateDimension dimension, IReadOnlyList<string> values)
    {
        if (dimension == AggregateDimension.Outcome)
        {
            var parts = values.Select(v => OutcomeClass.Predicate(v) ?? "1 = 0").ToList();
            return "(" + string.Join(" OR ", parts) + ")";
        }

        if (dimension == AggregateDimension.PrivacyAction)
        {
            const string Blocked = "COALESCE(error_class, '') = 'data_class_forbidden'";
            const string Redacted = "COALESCE(route_reason, '') LIKE '%; redacted %'";
            const string Rerouted = "deployment_id IS NOT NULL AND COALESCE(route_excluded, '') LIKE '%\"kind\":\"trust_zone\"%'";
            var parts = values.Select(v => v switch
            {
                PrivacyAction.Block => Blocked,
                PrivacyAction.Redact => $"(NOT ({Blocked}) AND {Redacted})",
                PrivacyAction.Reroute => $"(NOT ({Blocked}) AND NOT ({Redacted}) AND {Rerouted})",
                PrivacyAction.Allow => $"(NOT ({Blocked}) AND NOT ({Redacted}) AND NOT ({Rerouted}))",
                _ => "1 = 0",
            }).ToList();
            return "(" + string.Join(" OR ", parts) + ")";
        }

        var column = AggregateSchema.Column(dimension);
        return $"COALESCE({column}, ''){In(command, values)}";
    }

    private static string In(DbCommand command, IReadOnlyList<string> values) =>
        values.Count == 0 ? " IN (NULL)" : " IN (" + string.Join(", ", values.Select(v => Add(command, v))) + ")";

    private static string Add(DbCommand command, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameter.Value = value;
        command.Parameters.Add(parameter);
        return parameter.ParameterName;
    }
}
