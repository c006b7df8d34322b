using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Stores;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Sqlite;
// Store cost at an empty ledger and at a large one (bench/README.md): ledger batch insert (the writer's 64-row
// flush), budget reservation (reserve + settle on two counters) and key snapshot load (1,000 keys), on SQLite and,
// when SWITCHYARD_TEST_PG names a server, on PostgreSQL. Usage: dotnet run -c Release --project
// bench/Switchyard.Bench.Store [-- --rows 1000000 --iterations 200]
var rows = 1_000_000;
var iterations = 200;
for (var i = 0; i + 1 < args.Length; i += 2)
{
    switch (args[i])
    {
        case "--rows": rows = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        case "--iterations": iterations = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
        default: Console.Error.WriteLine($"unknown option {args[i]}"); return 2;
    }
}

var ct = CancellationToken.None;
Console.WriteLine($"| Store | Ledger rows (at the end: fill + 201 × 64) | Batch insert (64 rows) p50 / p99 | Batch insert CPU (process, mean) | Reserve + settle p50 / p99 | Snapshot load (1,000 keys) p50 / p99 |");
Console.WriteLine("|---|---|---|---|---|---|");

var directory = Directory.CreateTempSubdirectory("switchyard-bench-store-");
try
{
    foreach (var size in new[] { 0, rows })
    {
        var path = Path.Combine(directory.FullName, $"ledger-{size}.db");
        using var ledger = new SqliteLedgerStore(path);
        using var tenancy = new SqliteTenancyStore(ledger);
        await tenancy.InitializeAsync(ct);
        await FillSqliteAsync(path, size);
        Console.WriteLine(await MeasureAsync("SQLite", size, ledger, tenancy, tenancy));
    }
}
finally
{
    SqliteConnection.ClearAllPools();
    directory.Delete(recursive: true);
}

if (Environment.GetEnvironmentVariable("SWITCHYARD_TEST_PG") is { Length: > 0 } admin)
{
    foreach (var size in new[] { 0, rows })
    {
        var database = $"switchyard_bench_store_{size}_{Environment.ProcessId}";
        await AdminAsync(admin, $"CREATE DATABASE {database}");
        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = database }.ConnectionString;
            await using (var store = new PostgresStore(connectionString))
            {
                await store.InitializeAsync(ct);
                await FillPostgresAsync(connectionString, size);
                Console.WriteLine(await MeasureAsync("PostgreSQL", size, store.Ledger, store.Tenancy, store.Budgets));
            }

            NpgsqlConnection.ClearAllPools();
        }
        finally
        {
            await AdminAsync(admin, $"DROP DATABASE IF EXISTS {database} WITH (FORCE)");
        }
    }
}
else
{
    Console.WriteLine("(PostgreSQL skipped: set SWITCHYARD_TEST_PG to a connection string of a server you may create databases on)");
}

return 0;

async Task<string> MeasureAsync(string name, int size, ILedgerStore ledger, ITenancyStore tenancy, IBudgetStore budgets)
{
    var now = DateTimeOffset.UtcNow;
    await tenancy.SaveOrganisationAsync(new Organisation("org_bench", "bench", TenantPolicy.None, now), ct);
    await tenancy.SaveTeamAsync(new Team("team_bench", "org_bench", "bench", TenantPolicy.None, now), ct);
    await tenancy.SaveKeysAsync([.. Enumerable.Range(0, 1_000).Select(i => VirtualKeyFactory.Create("team_bench", $"key-{i}", TenantPolicy.None, now, null).Record)], ct);

    // Warm-up: connection pools, prepared plans, JIT.
    await ledger.AppendAsync(Batch("warm", 0, now), ct);
    await ReserveSettleAsync(budgets);
    await tenancy.LoadAsync(ct);

    // Wall time is at the mercy of the shared machine; the process's CPU time per batch (mostly the insert, the
    // rest is building 64 records) is what a flush takes away from requests on the same cores.
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var insert = await TimeAsync(i => ledger.AppendAsync(Batch("b", i, now), ct));
    var insertCpu = (Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalMilliseconds / iterations;
    var reserve = await TimeAsync(_ => ReserveSettleAsync(budgets));
    var load = await TimeAsync(_ => tenancy.LoadAsync(ct));
    var count = await ledger.CountAsync(ct);
    return string.Create(CultureInfo.InvariantCulture, $"| {name} | {count:N0} | {insert} | {insertCpu:0.00} ms | {reserve} | {load} |");
}

static async Task ReserveSettleAsync(IBudgetStore budgets)
{
    BudgetCharge[] charges = [new("team:team_bench|total", long.MaxValue / 4, "team total"), new("key:bench|day", long.MaxValue / 4, "key daily")];
    var (reservation, _) = await budgets.TryReserveAsync(charges, 1_000, CancellationToken.None);
    await budgets.SettleAsync(reservation!, 900, CancellationToken.None);
}

async Task<string> TimeAsync(Func<int, Task> action)
{
    var samples = new double[iterations];
    for (var i = 0; i < iterations; i++)
    {
        var start = Stopwatch.GetTimestamp();
        await action(i);
        samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    Array.Sort(samples);
    return string.Create(CultureInfo.InvariantCulture, $"{samples[iterations / 2]:0.00} / {samples[Math.Min(iterations - 1, (int)(iterations * 0.99))]:0.00} ms");
}

static LedgerRecord[] Batch(string prefix, int index, DateTimeOffset at) =>
    [.. Enumerable.Range(0, 64).Select(i => new LedgerRecord
    {
        RequestId = $"{prefix}-{index}-{i}-{Guid.NewGuid():N}",
        Timestamp = at,
        KeyName = "bench",
        KeyId = "abcdef012345",
        ClientFormat = ApiFormat.OpenAI,
        Operation = Operation.ChatCompletion,
        RequestedModel = "gpt-4o-mini",
        ServedModel = "gpt-4o-mini",
        DeploymentId = "openai-gpt-4o-mini",
        Provider = "openai",
        Outcome = LedgerOutcome.Success,
        HttpStatus = 200,
        Usage = new Usage { InputTokens = 120, OutputTokens = 40 },
        CostUsd = 0.000042m,
        TotalMs = 350,
        UpstreamMs = 348,
        OverheadMs = 2,
    })];

static async Task FillSqliteAsync(string path, int size)
{
    if (size == 0)
    {
        return;
    }

    await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
    await connection.OpenAsync();
    await using var fill = connection.CreateCommand();
    fill.CommandText = $"""
        WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < {size})
        INSERT INTO ledger (request_id, ts_unix_ms, day, key_name, key_id, client_format, operation, requested_model, simulated, outcome,
            http_status, input_tokens, output_tokens, cached_tokens, cache_write_tokens, usage_estimated, cost_nusd, total_ms, upstream_ms, overhead_ms, streamed)
        SELECT 'fill_' || i, 1763700000000 + i * 1000, '2026-11-21', 'k', 'abcdef012345', 'openai', 'chat', 'm', 0, 'Success', 200, 10, 10, 0, 0, 0, 5, 1, 1, 0, 0 FROM n;
        ANALYZE;
        """;
    fill.CommandTimeout = 600;
    await fill.ExecuteNonQueryAsync();
}

static async Task FillPostgresAsync(string connectionString, int size)
{
    if (size == 0)
    {
        return;
    }

    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var fill = new NpgsqlCommand($"""
        INSERT INTO ledger (request_id, ts_unix_ms, day, key_name, key_id, client_format, operation, requested_model, simulated, outcome,
            http_status, input_tokens, output_tokens, cached_tokens, cache_write_tokens, usage_estimated, cost_nusd, total_ms, upstream_ms, overhead_ms, streamed)
        SELECT 'fill_' || i, 1763700000000 + i * 1000, '2026-11-21', 'k', 'abcdef012345', 'openai', 'chat', 'm', false, 'Success', 200, 10, 10, 0, 0, false, 5, 1, 1, 0, false
        FROM generate_series(1, {size}) AS i;
        ANALYZE;
        """, connection) { CommandTimeout = 600 };
    await fill.ExecuteNonQueryAsync();
}

static async Task AdminAsync(string connectionString, string sql)
{
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new NpgsqlCommand(sql, connection);
    await command.ExecuteNonQueryAsync();
}
