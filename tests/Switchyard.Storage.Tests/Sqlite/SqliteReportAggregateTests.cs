using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Storage.Sqlite;
using Xunit;

namespace Switchyard.Storage.Tests.Sqlite;

public sealed class SqliteReportAggregateTests : IDisposable
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 1, 12, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "switchyard-store-" + Guid.NewGuid().ToString("N")[..12]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private static LedgerRecord Record(string id, DateTimeOffset at, string? team, string requested, string? served, Usage usage, decimal cost,
        decimal? baseline, string? baselineModel = "gpt-4o", LedgerOutcome outcome = LedgerOutcome.Success, string? dataClass = "internal") => new()
        {
            RequestId = id,
            Timestamp = at,
            KeyName = "k",
            KeyId = "0123456789ab",
            Team = team,
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            RequestedModel = requested,
            ServedModel = served,
            Outcome = outcome,
            HttpStatus = outcome == LedgerOutcome.Success ? 200 : 502,
            Usage = usage,
            CostUsd = cost,
            DataClass = dataClass,
            BaselineModel = baselineModel,
            BaselineCostUsd = baseline,
        };

    [Fact]
    public async Task AggregateForReport_SmallLedger_GroupsAndSumsExactly()
    {
        using var store = new SqliteLedgerStore(Path.Combine(_directory, "switchyard.db"));
        await store.InitializeAsync(Ct);
        await store.AppendAsync(
        [
            Record("r1", _t0, "search", "auto", "gpt-4o-mini", new Usage(11, 7, 3), 0.000005625m, 0.00009375m),
            Record("r2", _t0.AddMinutes(1), "search", "auto", "gpt-4o-mini", new Usage(11, 7, 3), 0.000005625m, 0.00009375m),
            Record("r3", _t0.AddMinutes(2), "search", "auto", null, default, 0m, 0m, outcome: LedgerOutcome.UpstreamFailed),
            Record("r4", _t0.AddMinutes(3), null, "gpt-4o", "gpt-4o", new Usage(100, 10, 0), 0.00035m, 0.00035m, dataClass: "restricted"),
            Record("r5", _t0.AddMinutes(4), "legacy", "gpt-4o-mini", "gpt-4o-mini", new Usage(1000, 1000, 0), 0.00075m, null, baselineModel: null),
            Record("late", _t0.AddDays(1), "search", "auto", "gpt-4o-mini", new Usage(11, 7, 3), 0.000005625m, 0.00009375m),
        ], Ct);

        var rows = await store.AggregateForReportAsync(_t0, _t0.AddHours(1), Ct);

        Assert.Equal(
            [
                new LedgerReportRow(null, "gpt-4o", null, "restricted", "gpt-4o", 1, 100, 10, 0, 0.00035m, 0.00035m, 0, 0),
                new LedgerReportRow("legacy", "gpt-4o-mini", null, "internal", "gpt-4o-mini", 1, 1000, 1000, 0, 0.00075m, 0.00075m, 1, 0),
                new LedgerReportRow("search", "auto", null, "internal", null, 1, 0, 0, 0, 0m, 0m, 0, 1),
                new LedgerReportRow("search", "auto", null, "internal", "gpt-4o-mini", 2, 22, 14, 6, 0.00001125m, 0.0001875m, 0, 0),
            ],
            rows);
        var stored = await store.FindAsync("r1", Ct);
        Assert.Equal("gpt-4o", stored!.BaselineModel);
        Assert.Equal(0.00009375m, stored.BaselineCostUsd);
        Assert.Null(stored.TaskCategory);
        Assert.Null((await store.FindAsync("r5", Ct))!.BaselineCostUsd);
    }

    [Fact]
    public async Task Initialize_DatabaseAtMigrationOne_AddsTheBaselineColumnsAndKeepsOldRows()
    {
        var path = Path.Combine(_directory, "switchyard.db");
        Directory.CreateDirectory(_directory);
        await using (var connection = new Microsoft.Data.Sqlite.SqliteConnection("Data Source=" + path))
        {
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            // A ledger as migration 1 left it, with one record.
            command.CommandText = """
                CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_unix_ms INTEGER NOT NULL);
                INSERT INTO schema_migrations VALUES (1, 'ledger', 0);
                CREATE TABLE ledger (request_id TEXT PRIMARY KEY, ts_unix_ms INTEGER NOT NULL, day TEXT NOT NULL, key_name TEXT NOT NULL,
                    key_id TEXT NOT NULL, team TEXT, client_format TEXT NOT NULL, operation TEXT NOT NULL, requested_model TEXT NOT NULL,
                    served_model TEXT, deployment_id TEXT, provider TEXT, simulated INTEGER NOT NULL, outcome TEXT NOT NULL,
                    http_status INTEGER NOT NULL, error_class TEXT, input_tokens INTEGER NOT NULL, output_tokens INTEGER NOT NULL,
                    cached_tokens INTEGER NOT NULL, cache_write_tokens INTEGER NOT NULL, usage_estimated INTEGER NOT NULL,
                    cost_nusd INTEGER NOT NULL, price_version TEXT, total_ms REAL NOT NULL, upstream_ms REAL NOT NULL,
                    overhead_ms REAL NOT NULL, streamed INTEGER NOT NULL, data_class TEXT, route_reason TEXT, attempts TEXT);
                INSERT INTO ledger VALUES ('old', 1793534400000, '2026-11-01', 'k', 'id', 't', 'openai', 'chat', 'm', 'm', 'd', 'p', 0,
                    'Success', 200, NULL, 10, 10, 0, 0, 0, 5000, NULL, 1, 1, 0, 0, 'public', NULL, '[]');
                """;
            await command.ExecuteNonQueryAsync(Ct);
        }

        using var store = new SqliteLedgerStore(path);
        await store.InitializeAsync(Ct);

        var old = await store.FindAsync("old", Ct);
        Assert.Null(old!.BaselineModel);
        Assert.Null(old.BaselineCostUsd);
        var row = Assert.Single(await store.AggregateForReportAsync(_t0.AddDays(-1), _t0.AddDays(1), Ct));
        Assert.Equal(0.000005m, row.BaselineCostUsd);
        Assert.Equal(1, row.RequestsWithoutBaseline);
        await using var migrated = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=false");
        await migrated.OpenAsync(Ct);
        await using var versions = migrated.CreateCommand();
        versions.CommandText = "SELECT group_concat(version) FROM (SELECT version FROM schema_migrations ORDER BY version)";
        Assert.Equal(string.Join(',', Enumerable.Range(1, SqliteMigrations.LatestVersion)), (string)(await versions.ExecuteScalarAsync(Ct))!);
    }
}
