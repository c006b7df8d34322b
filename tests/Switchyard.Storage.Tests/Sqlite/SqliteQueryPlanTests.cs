using Microsoft.Data.Sqlite;
using Switchyard.Storage.Sqlite;
using Xunit;

namespace Switchyard.Storage.Tests.Sqlite;

/// <summary>
/// Bounded storage: every query on the request path (ledger insert's duplicate check, budget counters, the tenancy
/// change counter, retention's delete) and every console read (the request list's keyset page, aggregate windows) searches an index, so its cost does not grow with the ledger (checked on
/// 200,000 rows by plan, not by timing; the timings are in bench/).
/// </summary>
public sealed class SqliteQueryPlanTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("switchyard-plan-").FullName;

    [Theory]
    [InlineData("SELECT 1 FROM ledger WHERE request_id = 'req_x'")]
    [InlineData("SELECT spent_nusd FROM budget_counters WHERE counter = 'team:t|total'")]
    [InlineData("SELECT version FROM tenancy_version WHERE id = 1")]
    [InlineData("DELETE FROM ledger WHERE ts_unix_ms < 1000")]
    [InlineData("SELECT * FROM ledger WHERE ts_unix_ms >= 0 AND ts_unix_ms < 90000000 ORDER BY ts_unix_ms DESC, request_id DESC LIMIT 51")]
    [InlineData("SELECT * FROM ledger WHERE ts_unix_ms >= 0 AND ts_unix_ms < 90000000 AND (ts_unix_ms < 500 OR (ts_unix_ms = 500 AND request_id < 'req_9')) ORDER BY ts_unix_ms DESC, request_id DESC LIMIT 51")]
    [InlineData("SELECT SUM(requests) FROM agg_hourly WHERE bucket_ms >= 0 AND bucket_ms < 90000000")]
    public async Task RequestPathQuery_OnALargeLedger_UsesAnIndex(string sql)
    {
        var path = Path.Combine(_directory, "switchyard.db");
        using (var store = new SqliteLedgerStore(path))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
        }

        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using (var fill = connection.CreateCommand())
        {
            fill.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000)
                INSERT INTO ledger (request_id, ts_unix_ms, day, key_name, key_id, client_format, operation, requested_model, simulated, outcome,
                    http_status, input_tokens, output_tokens, cached_tokens, cache_write_tokens, usage_estimated, cost_nusd, total_ms, upstream_ms, overhead_ms, streamed)
                SELECT 'req_' || i, i * 1000, '2026-11-21', 'k', 'abcdef012345', 'openai', 'chat', 'm', 0, 'Success', 200, 10, 10, 0, 0, 0, 5, 1, 1, 0, 0 FROM n;
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000)
                INSERT INTO budget_counters (counter, spent_nusd) SELECT 'team:' || i || '|total', i FROM n;
                ANALYZE;
                """;
            await fill.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        await using var explain = connection.CreateCommand();
        explain.CommandText = "EXPLAIN QUERY PLAN " + sql;
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(3));
            }
        }

        Assert.All(plan, step => Assert.Matches("^SEARCH .* USING (INDEX|COVERING INDEX|INTEGER PRIMARY KEY|PRIMARY KEY)", step));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
