using Npgsql;
using Switchyard.Storage.Postgres;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Storage.Tests.Postgres;

/// <summary>The PostgreSQL side of bounded storage: request-path statements use an index on a 200,000-row ledger.</summary>
public sealed class PostgresQueryPlanTests
{
    private static readonly SemaphoreSlim _gate = new(1, 1);
    private static string? _filled;

    [Theory]
    [InlineData("SELECT 1 FROM ledger WHERE request_id = 'req_x'")]
    [InlineData("UPDATE budget_counters SET reserved_nusd = reserved_nusd + 5 WHERE counter = 'team:7|total' AND spent_nusd + reserved_nusd + 5 <= 100 RETURNING 1")]
    [InlineData("DELETE FROM budget_reservations WHERE id = 'r1' RETURNING counters, amount_nusd")]
    [InlineData("DELETE FROM ledger WHERE ts_unix_ms < 1000")]
    public async Task RequestPathStatement_OnALargeLedger_UsesAnIndex(string sql)
    {
        var connectionString = await FilledDatabaseAsync();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await using var explain = new NpgsqlCommand("EXPLAIN " + sql, connection, transaction);
        var plan = new List<string>();
        await using (var reader = await explain.ExecuteReaderAsync(TestContext.Current.CancellationToken))
        {
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                plan.Add(reader.GetString(0));
            }
        }

        var text = string.Join('\n', plan);
        Assert.DoesNotContain("Seq Scan", text, StringComparison.Ordinal);
        Assert.Contains("Index", text, StringComparison.Ordinal);
    }

    private static async Task<string> FilledDatabaseAsync()
    {
        await _gate.WaitAsync(TestContext.Current.CancellationToken);
        try
        {
            if (_filled is not null)
            {
                return _filled;
            }

            var (connectionString, reason) = await PostgresServer.CreateDatabaseAsync("plans");
            if (connectionString is null)
            {
                Assert.Skip(reason!);
            }

            await using (var store = new PostgresStore(connectionString!))
            {
                await store.InitializeAsync(TestContext.Current.CancellationToken);
            }

            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(TestContext.Current.CancellationToken);
            await using var fill = new NpgsqlCommand("""
                INSERT INTO ledger (request_id, ts_unix_ms, day, key_name, key_id, client_format, operation, requested_model, simulated, outcome,
                    http_status, input_tokens, output_tokens, cached_tokens, cache_write_tokens, usage_estimated, cost_nusd, total_ms, upstream_ms, overhead_ms, streamed)
                SELECT 'req_' || i, i * 1000, '2026-11-21', 'k', 'abcdef012345', 'openai', 'chat', 'm', false, 'Success', 200, 10, 10, 0, 0, false, 5, 1, 1, 0, false
                FROM generate_series(1, 200000) AS i;
                INSERT INTO budget_counters (counter, spent_nusd) SELECT 'team:' || i || '|total', i FROM generate_series(1, 20000) AS i;
                INSERT INTO budget_reservations (id, counters, amount_nusd, created_unix_ms) SELECT 'r' || i, ARRAY['team:1|total'], 1, i FROM generate_series(1, 20000) AS i;
                ANALYZE;
                """, connection);
            fill.CommandTimeout = 120;
            await fill.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
            return _filled = connectionString!;
        }
        finally
        {
            _gate.Release();
        }
    }
}
