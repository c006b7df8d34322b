using System.CommandLine;
using Microsoft.Data.Sqlite;
using Switchyard.Cli;
using Switchyard.Core.Accounts;
using Switchyard.Storage.Sqlite;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard accounts</c> against a temp SQLite data directory: create (password from stdin), list, password, delete, audit.</summary>
public sealed class AccountsCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("switchyard-accounts-cli-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(string stdin, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand { AccountsCommand.Create(_time, static _ => null, new StringReader(stdin), stdout, stderr) };
        var exit = await root.Parse([.. args, "--data-dir", _dataDir]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Accounts_CreateListPasswordDelete_StoredHashedAndAudited()
    {
        var (weakExit, _, weak) = await RunAsync("short\n", "accounts", "create", "ops", "--role", "admin");
        Assert.Equal(2, weakExit);
        Assert.Contains("12 characters", weak, StringComparison.Ordinal);

        Assert.Equal(0, (await RunAsync("correct horse battery\n", "accounts", "create", "ops", "--role", "admin")).Exit);
        Assert.Equal(0, (await RunAsync("correct horse battery\n", "accounts", "create", "res", "--role", "team-viewer", "--teams", "research,ml")).Exit);
        Assert.Equal(1, (await RunAsync("correct horse battery\n", "accounts", "create", "ops")).Exit);
        var (_, list, _) = await RunAsync("", "accounts", "list");
        Assert.Contains("ops\tadmin\t\tset", list, StringComparison.Ordinal);
        Assert.Contains("res\tteam-viewer\tresearch,ml\tset", list, StringComparison.Ordinal);
        Assert.DoesNotContain("pbkdf2", list, StringComparison.Ordinal);
        Assert.Equal(0, (await RunAsync("another long passphrase\n", "accounts", "password", "ops")).Exit);
        Assert.Equal(0, (await RunAsync("", "accounts", "delete", "res")).Exit);
        Assert.Equal(1, (await RunAsync("", "accounts", "delete", "res")).Exit);

        using var ledger = new SqliteLedgerStore(SqliteLedgerStore.PathIn(_dataDir));
        var store = new SqliteConsoleStore(ledger);
        var ops = Assert.Single(await store.ListAccountsAsync(Ct));
        Assert.True(PasswordHasher.Verify("another long passphrase", ops.PasswordHash));
        var audit = await store.ReadAuditAsync(null, 100, Ct);
        Assert.Equal(["account_created", "account_created", "password_set", "account_deleted"], audit.Reverse().Select(e => e.Action));
        Assert.Null(AuditChain.Verify(audit.Reverse()));
    }
}
