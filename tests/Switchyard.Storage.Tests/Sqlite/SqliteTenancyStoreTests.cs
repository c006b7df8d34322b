using Microsoft.Data.Sqlite;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using Switchyard.Storage.Sqlite;
namespace Switchyard.Storage.Tests.Sqlite;

/// <summary>The tenancy and budget contract on the embedded SQLite file.</summary>
public sealed class SqliteTenancyStoreTests : TenancyStoreContract
{
    private string? _directory;
    private SqliteLedgerStore? _ledger;
    private SqliteTenancyStore? _store;

    protected override Task<(ITenancyStore Tenancy, IBudgetStore Budgets)> CreateStoresAsync(CancellationToken cancellationToken)
    {
        _directory = Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N"));
        _ledger = new SqliteLedgerStore(Path.Combine(_directory, "switchyard.db"));
        _store = new SqliteTenancyStore(_ledger);
        return Task.FromResult<(ITenancyStore, IBudgetStore)>((_store, _store));
    }

    protected override ValueTask DeleteStoresAsync()
    {
        _store?.Dispose();
        _ledger?.Dispose();
        SqliteConnection.ClearAllPools();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }
}
