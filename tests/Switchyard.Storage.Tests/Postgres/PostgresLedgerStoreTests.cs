using Switchyard.Core.Ledger;
using Switchyard.Storage.Postgres;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Storage.Tests.Postgres;

/// <summary>The ledger contract against PostgreSQL: a fresh database per test (skipped, and said so, without a server).</summary>
public sealed class PostgresLedgerStoreTests : LedgerAnalyticsContract
{
    private string? _connectionString;
    private PostgresStore? _database;

    protected override Switchyard.Core.Reports.ILedgerAnalytics Analytics => _database!.Analytics;

    protected override int AggregatesMigration => 3;

    protected override async Task ExecuteSqlAsync(string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(_connectionString);
        await connection.OpenAsync(TestContext.Current.CancellationToken);
        await using var command = new Npgsql.NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    protected override async Task<ILedgerStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var (connectionString, reason) = await PostgresServer.CreateDatabaseAsync("ledger");
        if (connectionString is null)
        {
            Assert.Skip(reason!);
        }

        _connectionString = connectionString;
        _database = new PostgresStore(connectionString!);
        return _database.Ledger;
    }

    protected override async ValueTask DeleteStoreAsync(ILedgerStore store)
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}
