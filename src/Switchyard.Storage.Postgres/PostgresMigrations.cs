using Npgsql;
using Switchyard.Core.Accounts;
using Switchyard.Core.Reports;
namespace Switchyard.Storage.Postgres;

/// <summary>
/// Ordered schema migrations, applied once each (recorded in <c>schema_migrations</c>) under an advisory lock, so
/// replicas starting together migrate once. Append new migrations; never edit one that has shipped. The tables and
/// columns mirror the SQLite store's (one contract, two stores).
/// </summary>
internal static class PostgresMigrations
{
    private const long LockId = 0x5377_6974_6368;

    private static readonly (int Version, string Name, string Sql)[] _migrations =
    [
        (1, "ledger_tenancy_budgets", """
            CREATE TABLE ledger (
                request_id TEXT PRIMARY KEY,
                ts_unix_ms BIGINT NOT NULL,
                day TEXT NOT NULL,
                key_name TEXT NOT NULL,
                key_id TEXT NOT NULL,
                team TEXT,
                client_format TEXT NOT NULL,
                operation TEXT NOT NULL,
                requested_model TEXT NOT NULL,
                served_model TEXT,
                deployment_id TEXT,
                provider TEXT,
                simulated BOOLEAN NOT NULL,
                outcome TEXT NOT NULL,
                http_status INTEGER NOT NULL,
                error_class TEXT,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cached_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL,
                usage_estimated BOOLEAN NOT NULL,
                cost_nusd BIGINT NOT NULL,
                price_version TEXT,
                total_ms DOUBLE PRECISION NOT NULL,
                upstream_ms DOUBLE PRECISION NOT NULL,
                overhead_ms DOUBLE PRECISION NOT NULL,
                streamed BOOLEAN NOT NULL,
                data_class TEXT,
                route_reason TEXT,
                attempts TEXT,
                baseline_model TEXT,
                baseline_cost_nusd BIGINT,
                task_category TEXT,
                org TEXT,
                end_user TEXT,
                pii_types TEXT,
                route_objective TEXT,
                route_candidates TEXT
            );
            CREATE INDEX ix_ledger_ts ON ledger (ts_unix_ms);
            CREATE TABLE ledger_daily (
                day TEXT NOT NULL, key_id TEXT NOT NULL, key_name TEXT NOT NULL, team TEXT NOT NULL, org TEXT NOT NULL, model TEXT NOT NULL,
                requests BIGINT NOT NULL, input_tokens BIGINT NOT NULL, output_tokens BIGINT NOT NULL, cached_tokens BIGINT NOT NULL,
                cache_write_tokens BIGINT NOT NULL, cost_nusd BIGINT NOT NULL, failures BIGINT NOT NULL,
                PRIMARY KEY (day, key_id, key_name, team, org, model)
            );
            CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, policy TEXT NOT NULL, created_unix_ms BIGINT NOT NULL);
            CREATE TABLE teams (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id), name TEXT NOT NULL, policy TEXT NOT NULL,
                created_unix_ms BIGINT NOT NULL, UNIQUE (org_id, name));
            CREATE TABLE virtual_keys (id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
                display_prefix TEXT NOT NULL, policy TEXT NOT NULL, created_unix_ms BIGINT NOT NULL, expires_unix_ms BIGINT, revoked_unix_ms BIGINT,
                rotated_to TEXT);
            CREATE TABLE tenancy_version (id INTEGER PRIMARY KEY CHECK (id = 1), version BIGINT NOT NULL);
            INSERT INTO tenancy_version (id, version) VALUES (1, 0);
            CREATE TABLE budget_counters (counter TEXT PRIMARY KEY, spent_nusd BIGINT NOT NULL DEFAULT 0, reserved_nusd BIGINT NOT NULL DEFAULT 0);
            CREATE TABLE budget_reservations (id TEXT PRIMARY KEY, counters TEXT[] NOT NULL, amount_nusd BIGINT NOT NULL, created_unix_ms BIGINT NOT NULL);
            CREATE INDEX ix_budget_reservations_created ON budget_reservations (created_unix_ms);
            CREATE TABLE rate_counters (scope TEXT NOT NULL, replica TEXT NOT NULL, window_start BIGINT NOT NULL, requests BIGINT NOT NULL,
                tokens BIGINT NOT NULL, in_flight BIGINT NOT NULL, updated_unix_ms BIGINT NOT NULL, PRIMARY KEY (scope, replica));
            CREATE TABLE replicas (replica TEXT PRIMARY KEY, updated_unix_ms BIGINT NOT NULL)
            """),
        (2, "ledger_fallback_extra_cost", """
            ALTER TABLE ledger ADD COLUMN fallback_extra_cost_nusd BIGINT
            """),
        (3, "aggregates", $"""
            ALTER TABLE ledger ADD COLUMN trust_zone TEXT;
            ALTER TABLE ledger ADD COLUMN route_excluded TEXT;
            DROP INDEX IF EXISTS ix_ledger_ts;
            CREATE INDEX ix_ledger_ts_id ON ledger (ts_unix_ms, request_id);
            {AggregateSchema.CreateTable(AggregateSchema.Hourly, "BIGINT", "DOUBLE PRECISION")};
            {AggregateSchema.CreateTable(AggregateSchema.Daily, "BIGINT", "DOUBLE PRECISION")};
            {AggregateSchema.CreateEventsTable("BIGINT", "DOUBLE PRECISION")}
            """),
        (4, "console", ConsoleStoreCodec.Schema("BIGINT")),
    ];

    /// <summary>Data steps run inside the migrations' transaction, after a migration's SQL (the aggregates are filled from the rows already stored).</summary>
    private static readonly Dictionary<int, Func<NpgsqlConnection, NpgsqlTransaction, CancellationToken, Task>> _dataSteps = new()
    {
        [3] = static (connection, transaction, ct) => AggregateWriter.BackfillAsync(connection, transaction, "GREATEST", AggregateWriter.ManyRows, ct),
    };

    public static async Task ApplyAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({LockId}); CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_unix_ms BIGINT NOT NULL)", connection, transaction))
        {
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<int>();
        await using (var command = new NpgsqlCommand("SELECT version FROM schema_migrations", connection, transaction))
        await using (var reader = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt32(0));
            }
        }

        foreach (var (version, name, sql) in _migrations)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var command = new NpgsqlCommand(sql + "; INSERT INTO schema_migrations (version, name, applied_unix_ms) VALUES (@v, @n, (extract(epoch from now()) * 1000)::bigint)", connection, transaction);
            command.Parameters.AddWithValue("v", version);
            command.Parameters.AddWithValue("n", name);
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (_dataSteps.TryGetValue(version, out var step))
            {
                await step(connection, transaction, cancellationToken);
            }
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public static int LatestVersion => _migrations[^1].Version;
}
