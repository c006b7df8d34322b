using Microsoft.Data.Sqlite;
using Switchyard.Ledger;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Storage.Tests.Sqlite;

/// <summary>The contract against an embedded SQLite file in a fresh temp directory.</summary>
public sealed class SqliteLedgerStoreTests : LedgerStoreContract
{
    private string? _directory;

    protected override Task<ILedgerStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _directory = Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N"));
        return Task.FromResult<ILedgerStore>(new SqliteLedgerStore(Path.Combine(_directory, "nested", "ledger.db")));
    }

    protected override ValueTask DeleteStoreAsync(ILedgerStore store)
    {
        ((SqliteLedgerStore)store).Dispose();
        SqliteConnection.ClearAllPools();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
