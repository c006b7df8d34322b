using Npgsql;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Stores;
namespace Switchyard.Storage.Postgres;

/// <summary>
/// The scale-out store: ledger, tenancy, budgets and rate-limit reconciliation in one PostgreSQL database shared
/// by every replica, through one <see cref="NpgsqlDataSource"/> (Npgsql's builder → immutable data source).
/// Budget reservations are atomic in the database: conditional <c>UPDATE … WHERE spent + reserved + x ≤ limit</c>
/// on every counter, in a fixed order, in one transaction.
/// </summary>
public sealed partial class PostgresStore : ILedgerStore, ITenancyStore, IBudgetStore, IRateLimitSync, IAsyncDisposable, IDisposable
{
    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await PostgresMigrations.ApplyAsync(connection, cancellationToken);
    }

    private static void Add(NpgsqlBatchCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
