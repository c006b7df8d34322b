using System.Globalization;
using Microsoft.Data.Sqlite;
using SQLitePCL;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file in WAL mode under the data directory. Writes come from one background
/// writer in batches (one transaction each); request ids are the primary key, so a batch retried after a
/// failure never writes a record twice.
/// </summary>
public sealed class SqliteLedgerStore : ILedgerStore, IDisposable
{
    private const string Columns = LedgerCodec.Columns;

    private readonly string _connectionString;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private SqliteConnection? _writer;

    public SqliteLedgerStore(string databasePath)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        DatabasePath = databasePath;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = 30,
        }.ToString();
    }

    public string DatabasePath { get; }

    /// <summary>The ledger file's name in a data directory; the gateway and the offline verbs agree on it here.</summary>
    public const string FileName = "switchyard.db";

    public static string PathIn(string dataDir) => Path.Combine(dataDir, FileName);

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(DatabasePath));
        if (!string.IsNullOrEmpty(directory))
        {
            Directory.CreateDirectory(directory);
        }

        await using var connection = await OpenAsync(cancellationToken);
        await SqliteMigrations.ApplyAsync(connection, cancellationToken);
    }

    public async Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            _writer ??= await OpenAsync(cancellationToken);
            var db = _writer.Handle!;
            await using var transaction = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken);
            // Largest statement first (64 rows), then one each of 32, 16, …, 1 for the remainder: at most seven steps
            // for a batch of up to 127 rows, and a full 64-row flush is one.
            var offset = 0;
            var inserted = new HashSet<string>(batch.Count, StringComparer.Ordinal);
            for (var size = 0; size < _insertRows.Length; size++)
            {
                var rows = _insertRows[size];
                while (batch.Count - offset >= rows)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    _inserts[size] ??= Prepare(db, InsertSql(rows));
                    Insert(db, _inserts[size]!, batch, offset, rows, inserted);
                    offset += rows;
                    if (size > 0)
                    {
                        break;
                    }
                }
            }

            // The aggregates count exactly the rows this batch inserted (the first copy of an id), in its transaction.
            var aggregator = new LedgerAggregator();
            foreach (var record in batch)
            {
                if (inserted.Remove(record.RequestId))
                {
                    aggregator.Add(record);
                }
            }

            await AggregateWriter.WriteAsync(_writer, transaction, aggregator, "max", 1, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
        }
        catch (SqliteException)
        {
            // A broken connection is reopened on the next batch (its statements prepared again); the caller retries this one.
            CloseWriter();

            throw;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM ledger";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<LedgerRecord?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {Columns} FROM ledger WHERE request_id = $id";
        command.Parameters.AddWithValue("$id", requestId);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? LedgerCodec.ReadRecord(reader) : null;
    }

    public async Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT day, key_name, model, SUM(requests),
                   SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_nusd), SUM(failures)
            FROM (
                SELECT day, key_name, COALESCE(served_model, requested_model) AS model, 1 AS requests, input_tokens, output_tokens, cached_tokens, cost_nusd,
                       CASE WHEN outcome = 'Success' THEN 0 ELSE 1 END AS failures
                FROM ledger WHERE ts_unix_ms >= $from AND ts_unix_ms < $to
                UNION ALL
                SELECT day, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cost_nusd, failures
                FROM ledger_daily WHERE day >= $fromDay AND day < $toDay
            )
            GROUP BY day, key_name, model ORDER BY day, key_name, model
            """;
        command.Parameters.AddWithValue("$fromDay", LedgerCodec.DayAtOrAfter(from));
        command.Parameters.AddWithValue("$toDay", LedgerCodec.DayAtOrAfter(to));
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var rows = new List<UsageSummaryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UsageSummaryRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), Money.FromNanoUsd(reader.GetInt64(7)), reader.GetInt64(8)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        return await ReportRows.ReadAsync(connection, from, to, cancellationToken);
    }

    public async Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = $"""
            SELECT day, org, team, key_name, key_id, model, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
                   SUM(cache_write_tokens), SUM(cost_nusd), SUM(failures)
            FROM (
                {LiveSpend} WHERE ts_unix_ms >= $from AND ts_unix_ms < $to
                UNION ALL
                SELECT day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures
                FROM ledger_daily WHERE day >= $fromDay AND day < $toDay
            )
            GROUP BY day, org, team, key_name, key_id, model ORDER BY day, org, team, key_name, model
            """;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$fromDay", LedgerCodec.DayAtOrAfter(from));
        command.Parameters.AddWithValue("$toDay", LedgerCodec.DayAtOrAfter(to));
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
        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await using var connection = await OpenAsync(cancellationToken);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = $"""
                INSERT INTO ledger_daily (day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures)
                SELECT day, org, team, key_id, key_name, model, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
                       SUM(cache_write_tokens), SUM(cost_nusd), SUM(failures)
                FROM ({LiveSpend} WHERE ts_unix_ms < $before) AS live
                WHERE true
                GROUP BY day, org, team, key_id, key_name, model
                ON CONFLICT (day, key_id, key_name, team, org, model) DO UPDATE SET
                    requests = requests + excluded.requests, input_tokens = input_tokens + excluded.input_tokens,
                    output_tokens = output_tokens + excluded.output_tokens, cached_tokens = cached_tokens + excluded.cached_tokens,
                    cache_write_tokens = cache_write_tokens + excluded.cache_write_tokens, cost_nusd = cost_nusd + excluded.cost_nusd,
                    failures = failures + excluded.failures
                """;
            command.Parameters.AddWithValue("$before", before.ToUnixTimeMilliseconds());
            await command.ExecuteNonQueryAsync(cancellationToken);
            command.CommandText = "DELETE FROM ledger WHERE ts_unix_ms < $before";
            var moved = await command.ExecuteNonQueryAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return moved;
        }
        finally
        {
            _writeLock.Release();
        }
    }

    /// <summary>One live ledger row in the shape of a daily aggregate (empty strings for absent org and team).</summary>
    private const string LiveSpend = """
        SELECT day, COALESCE(org, '') AS org, COALESCE(team, '') AS team, key_id, key_name, COALESCE(served_model, requested_model) AS model,
               1 AS requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd,
               CASE WHEN outcome = 'Success' THEN 0 ELSE 1 END AS failures
        FROM ledger
        """;

    internal async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=30000;";
        await pragma.ExecuteNonQueryAsync(cancellationToken);
        return connection;
    }

    public void Dispose()
    {
        CloseWriter();
        _writeLock.Dispose();
    }

    /// <summary>
    /// Rows per multi-row INSERT, largest first. The largest is the writer's flush size; 64 rows × 40 columns is
    /// 2,560 host parameters, far under SQLite's 32,766.
    /// </summary>
    private static readonly int[] _insertRows = [64, 32, 16, 8, 4, 2, 1];

    private static readonly int _columnCount = Columns.Split(", ").Length;

    /// <summary>
    /// The writer's INSERT statements (one per entry of <see cref="_insertRows"/>), prepared once on the writer
    /// connection and kept across batches. They are bound through SQLitePCL by position with typed values:
    /// Microsoft.Data.Sqlite's parameters resolve every name with sqlite3_bind_parameter_index on every execute
    /// (a linear scan of the statement's names, so quadratic in a multi-row INSERT) and box every value.
    /// </summary>
    private readonly sqlite3_stmt?[] _inserts = new sqlite3_stmt?[_insertRows.Length];

    private static string InsertSql(int rows)
    {
        var row = "(" + string.Join(", ", Enumerable.Repeat("?", _columnCount)) + ")";
        return $"INSERT OR IGNORE INTO ledger ({Columns}) VALUES {string.Join(", ", Enumerable.Repeat(row, rows))} RETURNING request_id";
    }

    private static sqlite3_stmt Prepare(sqlite3 db, string sql)
    {
        var rc = raw.sqlite3_prepare_v2(db, sql, out var statement);
        if (rc != raw.SQLITE_OK)
        {
            statement.Dispose();
            SqliteException.ThrowExceptionForRC(rc, db);
        }

        return statement;
    }

    /// <summary>
    /// Binds rows [offset, offset + rows) of the batch to the statement's anonymous parameters, in <see cref="Columns"/>
    /// order, runs it, and adds the ids it inserted (not those it ignored as already stored) to <paramref name="inserted"/>.
    /// </summary>
    private static void Insert(sqlite3 db, sqlite3_stmt statement, IReadOnlyList<LedgerRecord> batch, int offset, int rows, HashSet<string> inserted)
    {
        var p = 0;
        for (var i = offset; i < offset + rows; i++)
        {
            var r = batch[i];
            Text(r.RequestId);
            Int(r.Timestamp.ToUnixTimeMilliseconds());
            Text(LedgerCodec.Day(r.Timestamp));
            Text(r.KeyName);
            Text(r.KeyId);
            Text(r.Team);
            Text(LedgerCodec.Name(r.ClientFormat));
            Text(LedgerCodec.Name(r.Operation));
            Text(r.RequestedModel);
            Text(r.ServedModel);
            Text(r.DeploymentId);
            Text(r.Provider);
            Int(r.Simulated ? 1 : 0);
            Text(r.Outcome.ToString());
            Int(r.HttpStatus);
            Text(r.ErrorClass);
            Int(r.Usage.InputTokens);
            Int(r.Usage.OutputTokens);
            Int(r.Usage.CachedInputTokens);
            Int(r.Usage.CacheWriteTokens);
            Int(r.Usage.Estimated ? 1 : 0);
            Int(Money.ToNanoUsd(r.CostUsd));
            Text(r.PriceVersion);
            Real(r.TotalMs);
            Real(r.UpstreamMs);
            Real(r.OverheadMs);
            Int(r.Streamed ? 1 : 0);
            Text(r.DataClass);
            Text(r.RouteReason);
            Text(LedgerCodec.EncodeAttempts(r.Attempts));
            Text(r.BaselineModel);
            Nano(r.BaselineCostUsd);

            Text(r.TaskCategory);
            Text(r.Org);
            Text(r.EndUser);
            Text(r.PiiTypes);
            Text(r.RouteObjective);
            Text(r.RouteCandidates);
            Nano(r.FallbackExtraCostUsd);
            Text(r.TrustZone);
            Text(r.RouteExcluded);
        }

        var step = raw.sqlite3_step(statement);
        while (step == raw.SQLITE_ROW)
        {
            inserted.Add(raw.sqlite3_column_text(statement, 0).utf8_to_string());
            step = raw.sqlite3_step(statement);
        }

        raw.sqlite3_reset(statement);
        if (step != raw.SQLITE_DONE)
        {
            SqliteException.ThrowExceptionForRC(step, db);
        }

        void Text(string? value) => Check(value is null ? raw.sqlite3_bind_null(statement, ++p) : raw.sqlite3_bind_text(statement, ++p, value));

        void Int(long value) => Check(raw.sqlite3_bind_int64(statement, ++p, value));

        void Nano(decimal? usd) => Check(usd is { } v ? raw.sqlite3_bind_int64(statement, ++p, Money.ToNanoUsd(v)) : raw.sqlite3_bind_null(statement, ++p));

        void Real(double value) => Check(raw.sqlite3_bind_double(statement, ++p, value));

        void Check(int rc)
        {
            if (rc != raw.SQLITE_OK)
            {
                SqliteException.ThrowExceptionForRC(rc, db);
            }
        }
    }

    /// <summary>Finalises the writer's statements, then returns its connection (a statement must not outlive it).</summary>
    private void CloseWriter()
    {
        for (var i = 0; i < _inserts.Length; i++)
        {
            _inserts[i]?.Dispose();
            _inserts[i] = null;
        }

        _writer?.Dispose();
        _writer = null;
    }

}
