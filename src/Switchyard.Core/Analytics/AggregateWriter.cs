using System.Data.Common;
using System.Globalization;
using Switchyard.Ledger;

namespace Switchyard.Analytics;

/// <summary>
/// Writes a <see cref="LedgerAggregator"/>'s rows with multi-row upserts on the store's open connection and transaction
/// (the ledger batch's own), and fills the aggregates from rows already stored (the migration that created them).
/// </summary>
public static class AggregateWriter
{
    /// <summary>Rows per upsert statement: 83 parameters a row stays under both stores' parameter limits.</summary>
    private const int RowsPerStatement = 200;

    /// <param name="connection">The store's connection.</param>
    /// <param name="transaction">The transaction the ledger rows were inserted in.</param>
    /// <param name="aggregator">The rows to add.</param>
    /// <param name="greatest">The store's two-argument maximum (<c>max</c> in SQLite, <c>GREATEST</c> in PostgreSQL).</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    public static async Task WriteAsync(DbConnection connection, DbTransaction? transaction, LedgerAggregator aggregator, string greatest, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(connection);
        ArgumentNullException.ThrowIfNull(aggregator);
        await WriteRowsAsync(connection, transaction, AggregateSchema.Hourly, aggregator.Hourly, cancellationToken);
        await WriteRowsAsync(connection, transaction, AggregateSchema.Daily, aggregator.Daily, cancellationToken);
        foreach (var chunk in aggregator.Events.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = AggregateSchema.UpsertEventSql(chunk.Length, greatest);
            foreach (var (key, m) in chunk)
            {
                Add(command, key.BucketMs);
                Add(command, key.Kind);
                Add(command, key.Subject);
                Add(command, key.Detail);
                Add(command, key.Team);
                Add(command, key.Model);
                Add(command, key.DataClass);
                Add(command, m.Count);
                Add(command, m.SumMs);
                Add(command, m.LastMs);
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    /// <summary>
    /// Fills the aggregates from every ledger row already stored, and the legacy daily roll-ups (rows retention had
    /// deleted: their spend under outcome <c>ok</c>, their failures under <c>upstream_error</c>, other dimensions empty).
    /// Runs once, inside the migration that creates the tables.
    /// </summary>
    public static async Task BackfillAsync(DbConnection connection, DbTransaction transaction, string greatest, CancellationToken cancellationToken)
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

        await WriteAsync(connection, transaction, aggregator, greatest, cancellationToken);
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

    private static async Task WriteRowsAsync(DbConnection connection, DbTransaction? transaction, string table,
        Dictionary<AggregateKey, AggregateMeasures> rows, CancellationToken cancellationToken)
    {
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = AggregateSchema.UpsertSql(table, chunk.Length);
            foreach (var (key, m) in chunk)
            {
                Add(command, key.BucketMs);
                foreach (var dimension in Enum.GetValues<AggregateDimension>())
                {
                    Add(command, key[dimension]);
                }

                foreach (var value in m.Longs)
                {
                    Add(command, value);
                }

                foreach (var value in m.Doubles)
                {
                    Add(command, value);
                }
            }

            await command.ExecuteNonQueryAsync(cancellationToken);
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
