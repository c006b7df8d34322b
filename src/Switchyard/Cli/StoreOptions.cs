using System.CommandLine;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Stores;
using Switchyard.Ledger;
using Switchyard.Storage.Postgres;
using Switchyard.Storage.Sqlite;
namespace Switchyard.Cli;

/// <summary>An opened store for the offline verbs: the same one the gateway uses, by its data directory or its database.</summary>
internal sealed class OpenedStore : IAsyncDisposable
{
    private readonly PostgresStore? _owner;
    private readonly SqliteLedgerStore? _sqlite;
    private readonly SqliteTenancyStore? _sqliteTenancy;

    public OpenedStore(SqliteLedgerStore sqlite)
    {
        _sqlite = sqlite;
        _sqliteTenancy = new SqliteTenancyStore(sqlite);
        Ledger = sqlite;
        Tenancy = _sqliteTenancy;
        Budgets = _sqliteTenancy;
        Console = new SqliteConsoleStore(sqlite);
    }

    public OpenedStore(PostgresStore postgres)
    {
        _owner = postgres;
        Ledger = postgres.Ledger;
        Tenancy = postgres.Tenancy;
        Budgets = postgres.Budgets;
        Console = postgres.Console;
    }

    public ILedgerStore Ledger { get; }
    public ITenancyStore Tenancy { get; }
    public IBudgetStore Budgets { get; }
    public Core.Accounts.IConsoleStore Console { get; }

    public async ValueTask DisposeAsync()
    {
        _sqliteTenancy?.Dispose();
        _sqlite?.Dispose();
        if (_owner is not null)
        {
            await _owner.DisposeAsync();
        }
    }
}

/// <summary>
/// <c>--data-dir DIR</c> (the embedded SQLite store, default <c>data</c>) or <c>--database CONNECTION</c> (PostgreSQL;
/// also read from <c>SWITCHYARD_DATABASE</c>). The CLI writes to the store directly; a running gateway sees the change
/// within <c>storage.key_poll_interval</c>.
/// </summary>
internal sealed class StoreOptions
{
    public const string DatabaseEnv = "SWITCHYARD_DATABASE";

    public Option<string> DataDir { get; } = new("--data-dir") { Description = "Directory of the embedded SQLite store.", DefaultValueFactory = _ => "data" };

    public Option<string?> Database { get; } = new("--database") { Description = $"PostgreSQL connection string (default: ${DatabaseEnv}); overrides --data-dir." };

    public void AddTo(Command command)
    {
        command.Options.Add(DataDir);
        command.Options.Add(Database);
    }

    /// <summary>Opens (and migrates) the store; creates an empty SQLite store when <paramref name="create"/>.</summary>
    public async Task<(OpenedStore? Store, string? Error)> OpenAsync(ParseResult parse, bool create, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var database = parse.GetValue(Database) ?? environment(DatabaseEnv);
        if (!string.IsNullOrWhiteSpace(database))
        {
            var postgres = new PostgresStore(database);
            try
            {
                await postgres.InitializeAsync(cancellationToken);
            }
            catch (Exception ex) when (ex is Npgsql.NpgsqlException or ArgumentException or InvalidOperationException)
            {
                await postgres.DisposeAsync();
                return (null, "Cannot open the PostgreSQL store: " + ex.Message);
            }

            return (new OpenedStore(postgres), null);
        }

        var dataDir = parse.GetValue(DataDir)!;
        var path = SqliteLedgerStore.PathIn(dataDir);
        if (!create && !File.Exists(path))
        {
            return (null, $"No store at {path} (run the gateway first, or pass --data-dir or --database).");
        }

        var sqlite = new SqliteLedgerStore(path);
        await sqlite.InitializeAsync(cancellationToken);
        return (new OpenedStore(sqlite), null);
    }
}
