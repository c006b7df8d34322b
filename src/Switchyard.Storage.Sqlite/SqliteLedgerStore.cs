using System.Globalization;
using Microsoft.Data.Sqlite;
using Switchyard.Canonical;
using Switchyard.Ledger;

namespace Switchyard.Storage.Sqlite;

/// <summary>
/// The embedded ledger: one SQLite file in WAL mode under the data directory. Writes come from one background
/// writer in batches (one transaction each); request ids are the primary key, so a batch retried after a
/// failure never writes a record twice.
/// </summary>
public sealed class SqliteLedgerStore : ILedgerStore, IDisposable
{
    private const string Columns =
        "request_id, ts_unix_ms, day, key_name, key_id, team, client_format, operation, requested_model, served_model, " +
        "deployment_id, provider, simulated, outcome, http_status, error_class, input_tokens, output_tokens, cached_tokens, " +
        "cache_write_tokens, usage_estimated, cost_nusd, price_version, total_ms, upstream_ms, overhead_ms, streamed, " +
        "data_class, route_reason, attempts, baseline_model, baseline_cost_nusd, task_category, " +
        "route_objective, route_candidates";

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
            await using var transaction = (SqliteTransaction)await _writer.BeginTransactionAsync(cancellationToken);
            await using var command = _writer.CreateCommand();
            command.Transaction = transaction;
            var names = Columns.Split(", ");
            command.CommandText = $"INSERT OR IGNORE INTO ledger ({Columns}) VALUES ({string.Join(", ", names.Select(n => "$" + n))})";
            var parameters = names.Select(n => command.Parameters.Add(new SqliteParameter("$" + n, null))).ToArray();
            foreach (var r in batch)
            {
                object?[] values =
                [
                    r.RequestId, r.Timestamp.ToUnixTimeMilliseconds(), LedgerCodec.Day(r.Timestamp), r.KeyName, r.KeyId, r.Team,
                    LedgerCodec.Name(r.ClientFormat), LedgerCodec.Name(r.Operation), r.RequestedModel, r.ServedModel,
                    r.DeploymentId, r.Provider, r.Simulated ? 1 : 0, r.Outcome.ToString(), r.HttpStatus, r.ErrorClass,
                    r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.CachedInputTokens, r.Usage.CacheWriteTokens,
                    r.Usage.Estimated ? 1 : 0, LedgerCodec.ToNanoUsd(r.CostUsd), r.PriceVersion, r.TotalMs, r.UpstreamMs,
                    r.OverheadMs, r.Streamed ? 1 : 0, r.DataClass, r.RouteReason, LedgerCodec.EncodeAttempts(r.Attempts),
                    r.BaselineModel, r.BaselineCostUsd is { } baseline ? LedgerCodec.ToNanoUsd(baseline) : null, r.TaskCategory,
                    r.RouteObjective, r.RouteCandidates,
                ];
                for (var i = 0; i < values.Length; i++)
                {
                    parameters[i].Value = values[i] ?? DBNull.Value;
                }

                await command.ExecuteNonQueryAsync(cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
        catch (SqliteException)
        {
            // A broken connection is reopened on the next batch; the caller retries this one.
            if (_writer is not null)
            {
                await _writer.DisposeAsync();
                _writer = null;
            }

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
        return await reader.ReadAsync(cancellationToken) ? Read(reader) : null;
    }

    public async Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = """
            SELECT day, key_name, COALESCE(served_model, requested_model) AS model, COUNT(*),
                   SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_nusd),
                   SUM(CASE WHEN outcome = 'Success' THEN 0 ELSE 1 END)
            FROM ledger WHERE ts_unix_ms >= $from AND ts_unix_ms < $to
            GROUP BY day, key_name, model ORDER BY day, key_name, model
            """;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var rows = new List<UsageSummaryRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(new UsageSummaryRow(reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetInt64(3),
                reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6), LedgerCodec.FromNanoUsd(reader.GetInt64(7)), reader.GetInt64(8)));
        }

        return rows;
    }

    public async Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        // A record without a baseline (written before migration 2) counts at its own cost: no saving is claimed for it.
        command.CommandText = """
            SELECT team, requested_model, task_category, data_class, served_model, COUNT(*),
                   SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens), SUM(cost_nusd),
                   SUM(COALESCE(baseline_cost_nusd, cost_nusd)),
                   SUM(CASE WHEN baseline_cost_nusd IS NULL THEN 1 ELSE 0 END),
                   SUM(CASE WHEN outcome = 'Success' THEN 0 ELSE 1 END)
            FROM ledger WHERE ts_unix_ms >= $from AND ts_unix_ms < $to
            GROUP BY team, requested_model, task_category, data_class, served_model
            ORDER BY team, requested_model, task_category, data_class, served_model
            """;
        command.Parameters.AddWithValue("$from", from.ToUnixTimeMilliseconds());
        command.Parameters.AddWithValue("$to", to.ToUnixTimeMilliseconds());
        var rows = new List<LedgerReportRow>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(ReadReportRow(reader));
        }

        return rows;
    }

    private static LedgerReportRow ReadReportRow(SqliteDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new LedgerReportRow(S(0), r.GetString(1), S(2), S(3), S(4), r.GetInt64(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), LedgerCodec.FromNanoUsd(r.GetInt64(9)),
            LedgerCodec.FromNanoUsd(r.GetInt64(10)), r.GetInt64(11), r.GetInt64(12));
    }

    private static LedgerRecord Read(SqliteDataReader r)
    {
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new LedgerRecord
        {
            RequestId = r.GetString(0),
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            KeyName = r.GetString(3),
            KeyId = r.GetString(4),
            Team = S(5),
            ClientFormat = LedgerCodec.ParseFormat(r.GetString(6)),
            Operation = LedgerCodec.ParseOperation(r.GetString(7)),
            RequestedModel = r.GetString(8),
            ServedModel = S(9),
            DeploymentId = S(10),
            Provider = S(11),
            Simulated = r.GetInt64(12) != 0,
            Outcome = Enum.Parse<LedgerOutcome>(r.GetString(13)),
            HttpStatus = r.GetInt32(14),
            ErrorClass = S(15),
            Usage = new Usage(r.GetInt32(16), r.GetInt32(17), r.GetInt32(18), r.GetInt32(19), r.GetInt64(20) != 0),
            CostUsd = LedgerCodec.FromNanoUsd(r.GetInt64(21)),
            PriceVersion = S(22),
            TotalMs = r.GetDouble(23),
            UpstreamMs = r.GetDouble(24),
            OverheadMs = r.GetDouble(25),
            Streamed = r.GetInt64(26) != 0,
            DataClass = S(27),
            RouteReason = S(28),
            Attempts = LedgerCodec.DecodeAttempts(S(29)),
            BaselineModel = S(30),
            BaselineCostUsd = r.IsDBNull(31) ? null : LedgerCodec.FromNanoUsd(r.GetInt64(31)),
            TaskCategory = S(32),
            RouteObjective = S(33),
            RouteCandidates = S(34),
        };
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
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
        _writer?.Dispose();
        _writeLock.Dispose();
    }

}
