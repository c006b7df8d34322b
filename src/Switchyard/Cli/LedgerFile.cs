using Switchyard.Storage.Sqlite;

namespace Switchyard.Cli;

/// <summary>How the offline verbs (usage, report, plan) open the gateway's embedded ledger.</summary>
internal static class LedgerFile
{
    /// <summary>Opens the ledger in <paramref name="dataDir"/> (migrating it if older); an error when there is none.</summary>
    public static async Task<(SqliteLedgerStore? Store, string? Error)> OpenAsync(string dataDir, CancellationToken cancellationToken)
    {
        var path = SqliteLedgerStore.PathIn(dataDir);
        if (!File.Exists(path))
        {
            return (null, $"No ledger at {path} (run the gateway first, or pass --data-dir).");
        }

        var store = new SqliteLedgerStore(path);
        await store.InitializeAsync(cancellationToken);
        return (store, null);
    }
}
