using System.Text;
using Npgsql;
using NpgsqlTypes;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
namespace Switchyard.Storage.Postgres;

/// <summary>The ledger: batched multi-row inserts, lookups, reports, spend and the daily roll-up.</summary>
public sealed class PostgresLedgerStore(PostgresStore database) : ILedgerStore
{
    private readonly PostgresStore _database = database;
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    private const string Columns = LedgerCodec.Columns;

    private static readonly int _columnCount = Columns.Split(", ").Length;

    /// <summary>
    /// Rows per multi-row INSERT: PostgreSQL's wire protocol allows at most 65,535 parameters per statement, so a
    /// batch larger than this is written as several statements (in one transaction).
    /// </summary>
    internal static readonly int RowsPerInsert = 65_535 / _columnCount;

    private const string LiveSpend = """
        SELECT day, COALESCE(org, '') AS org, COALESCE(team, '') AS team, key_id, key_name, COALESCE(served_model, requested_model) AS model,
               1::bigint AS requests, input_tokens::bigint AS input_tokens, output_tokens::bigint AS output_tokens, cached_tokens::bigint AS cached_tokens,
               cache_write_tokens::bigint AS cache_write_tokens, cost_nusd, CASE WHEN outcome = 'Success' THEN 0::bigint ELSE 1::bigint END AS failures
        FROM ledger
        """;

    public async Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var npgBatch = new NpgsqlBatch(connection, transaction);
        for (var offset = 0; offset < batch.Count; offset += RowsPerInsert)
        {
            npgBatch.BatchCommands.Add(InsertCommand(batch, offset, Math.Min(RowsPerInsert, batch.Count - offset)));
        }

        // One round trip: the inserts and the aggregates of every record of the batch go together, in its transaction.
        // A record the insert skipped (its id was stored already: a retry after an unclear commit) is taken back after.
        var aggregator = new LedgerAggregator();
        foreach (var record in batch)
        {
            aggregator.Add(record);
        }

        foreach (var (sql, values) in AggregateWriter.Statements(aggregator, "GREATEST", AggregateWriter.ManyRows, positional: true))
        {
            var command = new NpgsqlBatchCommand(sql);
            foreach (var value in values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            npgBatch.BatchCommands.Add(command);
        }

        var inserted = new HashSet<string>(batch.Count, StringComparer.Ordinal);
        await using (var reader = await npgBatch.ExecuteReaderAsync(cancellationToken))
        {
            do
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    inserted.Add(reader.GetString(0));
                }
            }
            while (await reader.NextResultAsync(cancellationToken));
        }

        if (inserted.Count < batch.Count)
        {
            var skipped = new LedgerAggregator();
            foreach (var record in batch)
            {
                if (!inserted.Remove(record.RequestId))
                {
                    skipped.Subtract(record);
                }
            }

            await AggregateWriter.WriteAsync(connection, transaction, skipped, "GREATEST", AggregateWriter.ManyRows, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>One multi-row <c>INSERT … VALUES (…), (…) ON CONFLICT (request_id) DO NOTHING</c> for <paramref name="count"/> records.</summary>
    private static NpgsqlBatchCommand InsertCommand(IReadOnlyList<LedgerRecord> batch, int offset, int count)
    {
        var sql = new StringBuilder(64 + (count * _columnCount * 6));
        sql.Append("INSERT INTO ledger (").Append(Columns).Append(") VALUES ");
        var command = new NpgsqlBatchCommand();
        for (var row = 0; row < count; row++)
        {
            var r = batch[offset + row];
            object?[] values =
            [
                r.RequestId, r.Timestamp.ToUnixTimeMilliseconds(), LedgerCodec.Day(r.Timestamp), r.KeyName, r.KeyId, r.Team,
                LedgerCodec.Name(r.ClientFormat), LedgerCodec.Name(r.Operation), r.RequestedModel, r.ServedModel,
                r.DeploymentId, r.Provider, r.Simulated, r.Outcome.ToString(), r.HttpStatus, r.ErrorClass,
                r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.CachedInputTokens, r.Usage.CacheWriteTokens,
                r.Usage.Estimated, Money.ToNanoUsd(r.CostUsd), r.PriceVersion, r.TotalMs, r.UpstreamMs,
                r.OverheadMs, r.Streamed, r.DataClass, r.RouteReason, LedgerCodec.EncodeAttempts(r.Attempts),
                r.BaselineModel, r.BaselineCostUsd is { } baseline ? Money.ToNanoUsd(baseline) : null, r.TaskCategory, r.Org, r.EndUser,
                r.PiiTypes, r.RouteObjective, r.RouteCandidates, r.FallbackExtraCostUsd is { } extra ? Money.ToNanoUsd(extra) : null, r.TrustZone, r.RouteExcluded,
            ];
            sql.Append(row == 0 ? "(" : ", (");
            for (var i = 0; i < values.Length; i++)
            {
                sql.Append(i == 0 ? "$" : ", $").Append((row * _columnCount) + i + 1);

                // Typed NULLs: the nullable numbers (baseline cost, fallback extra cost) must still be bigints.
                command.Parameters.Add(values[i] is { } value
                    ? new NpgsqlParameter { Value = value }
                    : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = i is 31 or 38 ? NpgsqlDbType.Bigint : NpgsqlDbType.Text });
            }

            sql.Append(')');
        }

        sql.Append(" ON CONFLICT (request_id) DO NOTHING RETURNING request_id");
        command.CommandText = sql.ToString();
        return command;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT COUNT(*) FROM ledger");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<LedgerRecord?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM ledger WHERE request_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = requestId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? LedgerCodec.ReadRecord(reader) : null;
    }

    public async Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var spend = await SpendAsync(from, to, cancellationToken);
        return [.. spend
            .GroupBy(r => (r.Day, r.KeyName, r.Model))
            .OrderBy(g => g.Key.Day, StringComparer.Ordinal).ThenBy(g => g.Key.KeyName, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new UsageSummaryRow(g.Key.Day, g.Key.KeyName, g.Key.Model, g.Sum(r => r.Requests), g.Sum(r => r.InputTokens), g.Sum(r => r.OutputTokens),
                g.Sum(r => r.CachedTokens), g.Sum(r => r.CostUsd), g.Sum(r => r.Failures)))];
    }

    public async Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await ReportRows.ReadAsync(connection, from, to, cancellationToken);
    }

    public async Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT day, org, team, key_name, key_id, model, SUM(requests)::bigint, SUM(input_tokens)::bigint, SUM(output_tokens)::bigint,
                   SUM(cached_tokens)::bigint, SUM(cache_write_tokens)::bigint, SUM(cost_nusd)::bigint, SUM(failures)::bigint
            FROM (
                {LiveSpend} WHERE ts_unix_ms >= $1 AND ts_unix_ms < $2
                UNION ALL
                SELECT day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures
                FROM ledger_daily WHERE day >= $3 AND day < $4
            ) AS spend
            GROUP BY day, org, team, key_name, key_id, model ORDER BY day, org, team, key_name, model
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerCodec.DayAtOrAfter(from) });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerCodec.DayAtOrAfter(to) });
        var rows = new List<SpendRow>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(LedgerCodec.ReadSpendRow(r));
        }

        return rows;
    }

    public async Task<long> RollUpAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"""
            INSERT INTO ledger_daily (day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures)
            SELECT day, org, team, key_id, key_name, model, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
                   SUM(cache_write_tokens), SUM(cost_nusd), SUM(failures)
            FROM ({LiveSpend} WHERE ts_unix_ms < $1) AS live
            GROUP BY day, org, team, key_id, key_name, model
            ON CONFLICT (day, key_id, key_name, team, org, model) DO UPDATE SET
                requests = ledger_daily.requests + excluded.requests, input_tokens = ledger_daily.input_tokens + excluded.input_tokens,
                output_tokens = ledger_daily.output_tokens + excluded.output_tokens, cached_tokens = ledger_daily.cached_tokens + excluded.cached_tokens,
                cache_write_tokens = ledger_daily.cache_write_tokens + excluded.cache_write_tokens, cost_nusd = ledger_daily.cost_nusd + excluded.cost_nusd,
                failures = ledger_daily.failures + excluded.failures
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = before.ToUnixTimeMilliseconds() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        long moved;
        await using (var command = new NpgsqlCommand("DELETE FROM ledger WHERE ts_unix_ms < $1", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = before.ToUnixTimeMilliseconds() });
            moved = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);
}
