using System.Data.Common;
using System.Globalization;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>
/// Writes a <see cref="LedgerAggregator"/>'s rows with multi-row upserts on the store's open connection and transaction
/// (the ledger batch's own), and fills the aggregates from rows already stored (the migration that created them).
/// </summary>
public static class AggregateWriter
{
    /// <summary>Rows per upsert statement where it pays (PostgreSQL: one round trip for many rows; 83 parameters a row stays under its limit).</summary>
    public const int ManyRows = 200;

    /// <param name="connection">The store's connection.</param>
    /// <param name="transaction">The transaction the ledger rows were inserted in.</param>
    /// <param name="aggregator">The rows to add.</param>
    /// <param name="greatest">The store's two-argument maximum (<c>max</c> in SQLite, <c>GREATEST</c> in PostgreSQL).</param>
    /// <param name="rowsPerStatement">
    /// Rows per upsert. SQLite: 1 — one prepared single-row statement reused for every row, because Microsoft.Data.Sqlite
    /// resolves each parameter's name on every execute (quadratic in a multi-row statement; a 200-row upsert made a
    /// 1M-row seed crawl at ~300 rows/s). PostgreSQL: <see cref="ManyRows"/>, one round trip for many rows.
    /// </param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(DbConnection connection, DbTransaction? transaction, LedgerAggregator aggregator, string greatest, int rowsPerStatement,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(aggregator);
        await WriteAsync(connection, transaction, aggregator.Hourly, rowsPerStatement, n => AggregateSchema.UpsertSql(AggregateSchema.Hourly, n), RowValues, cancellationToken);
        await WriteAsync(connection, transaction, aggregator.Daily, rowsPerStatement, n => AggregateSchema.UpsertSql(AggregateSchema.Daily, n), RowValues, cancellationToken);
        await WriteAsync(connection, transaction, aggregator.Events, rowsPerStatement, n => AggregateSchema.UpsertEventSql(n, greatest), EventValues, cancellationToken);
    }

    /// <summary>
    /// The upserts as (SQL, parameter values) statements of up to <paramref name="rowsPerStatement"/> rows, for a store
    /// that sends them in one batch with its insert (PostgreSQL: one round trip per ledger batch).
    /// </summary>
    public static IEnumerable<(string Sql, IReadOnlyList<object> Values)> Statements(LedgerAggregator aggregator, string greatest, int rowsPerStatement, bool positional)
    {
        ArgumentNullException.ThrowIfNull(aggregator);
        foreach (var chunk in aggregator.Hourly.Chunk(rowsPerStatement))
        {
            yield return (AggregateSchema.UpsertSql(AggregateSchema.Hourly, chunk.Length, positional), [.. chunk.SelectMany(r => RowValues(r.Key, r.Value))]);
        }

        foreach (var chunk in aggregator.Daily.Chunk(rowsPerStatement))
        {
            yield return (AggregateSchema.UpsertSql(AggregateSchema.Daily, chunk.Length, positional), [.. chunk.SelectMany(r => RowValues(r.Key, r.Value))]);
        }

        foreach (var chunk in aggregator.Events.Chunk(rowsPerStatement))
        {
            yield return (AggregateSchema.UpsertEventSql(chunk.Length, greatest, positional), [.. chunk.SelectMany(r => EventValues(r.Key, r.Value))]);
        }
    }

    private static IEnumerable<object> RowValues(AggregateKey key, AggregateMeasures m)
    {
        yield return key.BucketMs;
        foreach (var dimension in Enum.GetValues<AggregateDimension>())
        {
            yield return key[dimension];
        }

        foreach (var value in m.Longs)
        {
            yield return value;
        }

        foreach (var value in m.Doubles)
        {
            yield return value;
        }
    }

    private static IEnumerable<object> EventValues(AggregateEventKey key, AggregateEventMeasures m) =>
        [key.BucketMs, key.Kind, key.Subject, key.Detail, key.Team, key.Model, key.DataClass, m.Count, m.SumMs, m.LastMs];

    /// <summary>
    /// Upserts the rows in statements of <paramref name="rowsPerStatement"/> rows, each statement prepared once and reused
    /// (only parameter values change); a shorter last chunk gets its own.
    /// </summary>
    private static async Task WriteAsync<TKey, TMeasures>(DbConnection connection, DbTransaction? transaction, Dictionary<TKey, TMeasures> rows, int rowsPerStatement,
        Func<int, string> sql, Func<TKey, TMeasures, IEnumerable<object>> values, CancellationToken cancellationToken)
        where TKey : notnull
    {
        DbCommand? full = null;
        try
        {
            foreach (var chunk in rows.Chunk(Math.Max(1, rowsPerStatement)))
            {
                DbCommand command;
                if (chunk.Length == rowsPerStatement && full is not null)
                {
                    command = full;
                }
                else
                {
                    command = connection.CreateCommand();
                    command.Transaction = transaction;
                    command.CommandText = sql(chunk.Length);
                    if (chunk.Length == rowsPerStatement)
                    {
                        full = command;
                    }
                }

                var p = 0;
                foreach (var (key, m) in chunk)
                {
                    foreach (var value in values(key, m))
                    {
                        if (p < command.Parameters.Count)
                        {
                            command.Parameters[p].Value = value;
                        }
                        else
                        {
                            Add(command, value);
                        }

                        p++;
                    }
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
                if (command != full)
                {
                    await command.DisposeAsync();
                }
            }
        }
        finally
        {
            if (full is not null)
            {
                await full.DisposeAsync();
            }
        }
    }

    /// <summary>
    /// Fills the aggregates from every ledger row already stored, and the legacy daily roll-ups (rows retention had
    /// deleted: their spend under outcome <c>ok</c>, their failures under <c>upstream_error</c>, other dimensions empty).
    /// Runs once, inside the migration that creates the tables.
    /// </summary>
    public static async Task BackfillAsync(DbConnection connection, DbTransaction transaction, string greatest, int rowsPerStatement, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var aggregator = new LedgerAggregator();
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {LedgerCodec.Columns} FROM ledger";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                aggregator.Add(LedgerCodec.ReadRecord(reader));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures FROM ledger_daily";
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                var day = DateTimeOffset.ParseExact(reader.GetString(0), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeMilliseconds();
                var model = reader.GetString(5);
                var key = new AggregateKey(day, reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), model, model, "", "", "", "",
                    OutcomeClass.Ok, "", "", PrivacyAction.Allow);
                var requests = reader.GetInt64(6);
                var failures = reader.GetInt64(12);
                var ok = new AggregateMeasures();
                ok.Longs[AggregateMeasures.Requests] = requests - failures;
                ok.Longs[AggregateMeasures.InputTokens] = reader.GetInt64(7);
                ok.Longs[AggregateMeasures.OutputTokens] = reader.GetInt64(8);
                ok.Longs[AggregateMeasures.CachedTokens] = reader.GetInt64(9);
                ok.Longs[AggregateMeasures.CacheWriteTokens] = reader.GetInt64(10);
                ok.Longs[AggregateMeasures.CostNanoUsd] = reader.GetInt64(11);
                ok.Longs[AggregateMeasures.BaselineNanoUsd] = reader.GetInt64(11);
                ok.Longs[AggregateMeasures.NoBaseline] = requests - failures;
                Merge(aggregator.Daily, key, ok);
                if (failures > 0)
                {
                    var failed = new AggregateMeasures();
                    failed.Longs[AggregateMeasures.Requests] = failures;
                    failed.Longs[AggregateMeasures.NoBaseline] = failures;
                    Merge(aggregator.Daily, key with { Outcome = OutcomeClass.UpstreamError }, failed);
                }
            }
        }

        await WriteAsync(connection, transaction, aggregator, greatest, rowsPerStatement, cancellationToken);
    }

    private static void Merge(Dictionary<AggregateKey, AggregateMeasures> rows, AggregateKey key, AggregateMeasures measures)
    {
        if (rows.TryGetValue(key, out var existing))
        {
            existing.Add(measures);
        }
        else
        {
            rows[key] = measures;
        }
    }

    private static void Add(DbCommand command, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = "@p" + command.Parameters.Count.ToString(CultureInfo.InvariantCulture);
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }
}
