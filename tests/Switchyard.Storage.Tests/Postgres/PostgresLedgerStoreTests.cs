using Switchyard.Ledger;
using Switchyard.Storage.Postgres;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Storage.Tests.Postgres;

/// <summary>The ledger contract against PostgreSQL: a fresh database per test (skipped, and said so, without a server).</summary>
public sealed class PostgresLedgerStoreTests : LedgerStoreContract
{
    protected override async Task<ILedgerStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        var (connectionString, reason) = await PostgresServer.CreateDatabaseAsync("ledger");
        if (connectionString is null)
        {
            Assert.Skip(reason!);
        }

        return new PostgresStore(connectionString!);
    }

    protected override async ValueTask DeleteStoreAsync(ILedgerStore store) => await ((PostgresStore)store).DisposeAsync();
}
