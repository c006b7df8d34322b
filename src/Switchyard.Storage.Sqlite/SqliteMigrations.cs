using Microsoft.Data.Sqlite;
using Switchyard.Core.Accounts;
using Switchyard.Core.Reports;
namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Ordered schema migrations, applied once each and recorded in <c>schema_migrations</c>. Add a migration by
/// appending to <see cref="_migrations"/>; never edit one that has shipped.
/// </summary>
internal static class SqliteMigrations
{
    private static readonly (int Version, string Name, string Sql)[] _migrations =
    [
        (1, "ledger", """
            CREATE TABLE ledger (
                request_id TEXT PRIMARY KEY,
                ts_unix_ms INTEGER NOT NULL,
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
                simulated INTEGER NOT NULL,
                outcome TEXT NOT NULL,
                http_status INTEGER NOT NULL,
                error_class TEXT,
                input_tokens INTEGER NOT NULL,
                output_tokens INTEGER NOT NULL,
                cached_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL,
                usage_estimated INTEGER NOT NULL,
                cost_nusd INTEGER NOT NULL,
                price_version TEXT,
                total_ms REAL NOT NULL,
                upstream_ms REAL NOT NULL,
                overhead_ms REAL NOT NULL,
                streamed INTEGER NOT NULL,
                data_class TEXT,
                route_reason TEXT,
                attempts TEXT
            );
            CREATE INDEX ix_ledger_ts ON ledger (ts_unix_ms);
            CREATE INDEX ix_ledger_day_key_model ON ledger (day, key_name, served_model);
            """),
        (2, "ledger_baseline", """
            ALTER TABLE ledger ADD COLUMN baseline_model TEXT;
            ALTER TABLE ledger ADD COLUMN baseline_cost_nusd INTEGER;
            ALTER TABLE ledger ADD COLUMN task_category TEXT
            """),
        (3, "tenancy_budgets_rollup", """
            ALTER TABLE ledger ADD COLUMN org TEXT;
            ALTER TABLE ledger ADD COLUMN end_user TEXT;
            CREATE TABLE organisations (id TEXT PRIMARY KEY, name TEXT NOT NULL UNIQUE, policy TEXT NOT NULL, created_unix_ms INTEGER NOT NULL);
            CREATE TABLE teams (id TEXT PRIMARY KEY, org_id TEXT NOT NULL REFERENCES organisations(id), name TEXT NOT NULL, policy TEXT NOT NULL,
                created_unix_ms INTEGER NOT NULL, UNIQUE (org_id, name));
            CREATE TABLE virtual_keys (id TEXT PRIMARY KEY, team_id TEXT NOT NULL REFERENCES teams(id), name TEXT NOT NULL, hash TEXT NOT NULL UNIQUE,
                display_prefix TEXT NOT NULL, policy TEXT NOT NULL, created_unix_ms INTEGER NOT NULL, expires_unix_ms INTEGER, revoked_unix_ms INTEGER,
                rotated_to TEXT);
            CREATE TABLE tenancy_version (id INTEGER PRIMARY KEY CHECK (id = 1), version INTEGER NOT NULL);
            INSERT INTO tenancy_version (id, version) VALUES (1, 0);
            CREATE TABLE budget_counters (counter TEXT PRIMARY KEY, spent_nusd INTEGER NOT NULL);
            CREATE TABLE ledger_daily (
                day TEXT NOT NULL, key_id TEXT NOT NULL, key_name TEXT NOT NULL, team TEXT NOT NULL, org TEXT NOT NULL, model TEXT NOT NULL,
                requests INTEGER NOT NULL, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL, cached_tokens INTEGER NOT NULL,
                cache_write_tokens INTEGER NOT NULL, cost_nusd INTEGER NOT NULL, failures INTEGER NOT NULL,
                PRIMARY KEY (day, key_id, key_name, team, org, model)
            )
            """),
        (4, "ledger_pii_types", """
            ALTER TABLE ledger ADD COLUMN pii_types TEXT
            """),
        (5, "ledger_route_decision", """
            ALTER TABLE ledger ADD COLUMN route_objective TEXT;
            ALTER TABLE ledger ADD COLUMN route_candidates TEXT
            """),
        (6, "ledger_fallback_extra_cost", """
            ALTER TABLE ledger ADD COLUMN fallback_extra_cost_nusd INTEGER
            """),
        (7, "aggregates", $"""
            ALTER TABLE ledger ADD COLUMN trust_zone TEXT;
            ALTER TABLE ledger ADD COLUMN route_excluded TEXT;
            DROP INDEX IF EXISTS ix_ledger_ts;
            CREATE INDEX ix_ledger_ts_id ON ledger (ts_unix_ms, request_id);
            {AggregateSchema.CreateTable(AggregateSchema.Hourly, "INTEGER", "REAL")};
            {AggregateSchema.CreateTable(AggregateSchema.Daily, "INTEGER", "REAL")};
            {AggregateSchema.CreateEventsTable("INTEGER", "REAL")}
            """),
        (8, "console", ConsoleStoreCodec.Schema("INTEGER")),
    ];

    /// <summary>Data steps run inside a migration's transaction, after its SQL (the aggregates are filled from the rows already stored).</summary>
    private static readonly Dictionary<int, Func<SqliteConnection, SqliteTransaction, CancellationToken, Task>> _dataSteps = new()
    {
        [7] = static (connection, transaction, ct) => AggregateWriter.BackfillAsync(connection, transaction, "max", 1, ct),
    };

    public static async Task ApplyAsync(SqliteConnection connection, CancellationToken cancellationToken)
    {
        await using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_unix_ms INTEGER NOT NULL)";
            await create.ExecuteNonQueryAsync(cancellationToken);
        }

        var applied = new HashSet<long>();
        await using (var query = connection.CreateCommand())
        {
            query.CommandText = "SELECT version FROM schema_migrations";
            await using var reader = await query.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                applied.Add(reader.GetInt64(0));
            }
        }

        foreach (var (version, name, sql) in _migrations)
        {
            if (applied.Contains(version))
            {
                continue;
            }

            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = sql + $"; INSERT INTO schema_migrations (version, name, applied_unix_ms) VALUES ({version}, '{name}', CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER));";
            await command.ExecuteNonQueryAsync(cancellationToken);
            if (_dataSteps.TryGetValue(version, out var step))
            {
                await step(connection, transaction, cancellationToken);
            }

            await transaction.CommitAsync(cancellationToken);
        }
    }

    /// <summary>The newest schema version this build knows.</summary>
    public static int LatestVersion => _migrations[^1].Version;
}
