using Npgsql;
namespace Switchyard.Storage.Postgres;

/// <summary>
/// The scale-out store: one PostgreSQL database shared by every replica, through one <see cref="NpgsqlDataSource"/>
/// (Npgsql's builder → immutable data source). It owns the connection pool and the migrations; each concern is its
/// own type behind its store interface: <see cref="Ledger"/>, <see cref="Analytics"/>, <see cref="Tenancy"/>,
/// <see cref="Budgets"/> (reservations atomic in the database: conditional <c>UPDATE … WHERE spent + reserved + x ≤
/// limit</c> on every counter, in a fixed order, in one transaction), <see cref="RateLimits"/> and <see cref="Console"/>.
/// </summary>
public sealed class PostgresStore : IAsyncDisposable, IDisposable
{
    public PostgresStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        DataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
        Ledger = new PostgresLedgerStore(this);
        Analytics = new PostgresAnalytics(this);
        Tenancy = new PostgresTenancyStore(this);
        Budgets = new PostgresBudgetStore(this);
        RateLimits = new PostgresRateLimitSync(this);
        Console = new PostgresConsoleStore(this);
    }

    public PostgresLedgerStore Ledger { get; }

    public PostgresAnalytics Analytics { get; }

    public PostgresTenancyStore Tenancy { get; }

    public PostgresBudgetStore Budgets { get; }

    public PostgresRateLimitSync RateLimits { get; }

    public PostgresConsoleStore Console { get; }

    internal NpgsqlDataSource DataSource { get; }

    /// <summary>Applies the migrations (idempotent; every concern's <c>InitializeAsync</c> comes here).</summary>
    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        await PostgresMigrations.ApplyAsync(connection, cancellationToken);
    }

    internal static void Add(NpgsqlBatchCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    public ValueTask DisposeAsync() => DataSource.DisposeAsync();

    public void Dispose() => DataSource.Dispose();
}
