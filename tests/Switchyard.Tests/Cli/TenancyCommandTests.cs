using System.CommandLine;
using Microsoft.Data.Sqlite;
using Switchyard.Cli;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using Switchyard.Storage.Sqlite;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard orgs|teams|keys</c> against a temp SQLite data directory: create, list, rotate, revoke, policy, bad input.</summary>
public sealed class TenancyCommandTests : IDisposable
{
    private readonly string _dataDir = Directory.CreateTempSubdirectory("switchyard-tenancy-cli-").FullName;
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 1, 9, 0, 0, TimeSpan.Zero));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_dataDir, recursive: true);
    }

    private async Task<(int Exit, string[] Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var root = new RootCommand();
        foreach (var command in TenancyCommands.Create(_time, static _ => null, stdout, stderr))
        {
            root.Subcommands.Add(command);
        }

        var exit = await root.Parse([.. args, "--data-dir", _dataDir]).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);
        return (exit, stdout.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), stderr.ToString());
    }

    private async Task<KeyRing> RingAsync(DateTimeOffset at)
    {
        using var ledger = new SqliteLedgerStore(SqliteLedgerStore.PathIn(_dataDir));
        using var tenancy = new SqliteTenancyStore(ledger);
        return TenantKeyRing.Build(await tenancy.LoadAsync(Ct), at);
    }

    private async Task<string> CreateOrgAndTeamAsync()
    {
        var (exit, org, stderr) = await RunAsync("orgs", "create", "acme", "--policy", """{"budget_daily_usd": 5, "requests_per_minute": 60}""");
        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        var (teamExit, team, _) = await RunAsync("teams", "create", "search", "--org", "acme");
        Assert.Equal(0, teamExit);
        Assert.StartsWith("org_", Assert.Single(org), StringComparison.Ordinal);
        Assert.EndsWith("\tacme", org[0], StringComparison.Ordinal);
        Assert.EndsWith("\tsearch", Assert.Single(team), StringComparison.Ordinal);
        return team[0].Split('\t')[0];
    }

    [Fact]
    public async Task OrgsAndTeams_CreateThenList_ShowNamesPoliciesAndTheOrganisation()
    {
        var teamId = await CreateOrgAndTeamAsync();

        var (orgsExit, orgs, _) = await RunAsync("orgs", "list");
        var (teamsExit, teams, _) = await RunAsync("teams", "list");

        Assert.Equal((0, 0), (orgsExit, teamsExit));
        Assert.Equal("id\tname\tpolicy", orgs[0]);
        var org = Assert.Single(orgs[1..]).Split('\t');
        Assert.Equal("acme", org[1]);
        Assert.Contains("\"budget_daily_usd\":5", org[2], StringComparison.Ordinal);
        Assert.Contains("\"requests_per_minute\":60", org[2], StringComparison.Ordinal);
        Assert.Equal("id\torg\tname\tpolicy\tspent_usd", teams[0]);
        Assert.Equal([teamId, "acme", "search"], Assert.Single(teams[1..]).Split('\t')[..3]);
        Assert.EndsWith("\t-", teams[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_CreateListRotateRevoke_TheStoreTheGatewayReadsFollows()
    {
        await CreateOrgAndTeamAsync();
        var now = _time.GetUtcNow();

        var (createExit, created, _) = await RunAsync("keys", "create", "svc", "--team", "search", "--expires-in", "30d");

        Assert.Equal(0, createExit);
        Assert.Equal(2, created.Length);
        var secret = created[0];
        var keyId = created[1].Split(' ')[1];
        Assert.Contains("expires 2026-12-01 09:00:00Z", created[1], StringComparison.Ordinal);
        Assert.True((await RingAsync(now)).TryAuthenticate(secret, out var caller));
        Assert.Equal(("svc", "search", "acme"), (caller.KeyName, caller.Team, caller.OrgName));
        var (_, listed, _) = await RunAsync("keys", "list");
        Assert.Equal("id\tname\tteam\tprefix\tstate\texpires", listed[0]);
        var row = Assert.Single(listed[1..]).Split('\t');
        Assert.Equal([keyId, "svc", "search"], row[..3]);
        Assert.Equal(("active", "2026-12-01 09:00:00Z"), (row[4], row[5]));
        Assert.StartsWith(row[3].TrimEnd('…'), secret, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, string.Join('\n', listed), StringComparison.Ordinal);

        var (rotateExit, rotated, _) = await RunAsync("keys", "rotate", "svc", "--overlap", "1h");

        Assert.Equal(0, rotateExit);
        var replacement = rotated[0];
        var replacementId = rotated[1].Split(' ')[1];
        Assert.NotEqual(secret, replacement);
        Assert.Contains($"replaces {keyId}, which expires 2026-11-01 10:00:00Z", rotated[1], StringComparison.Ordinal);
        var ring = await RingAsync(now);
        Assert.True(ring.TryAuthenticate(secret, out var old));
        Assert.Equal(now.AddHours(1), old.ExpiresAt);
        Assert.True(ring.TryAuthenticate(replacement, out _));
        var (_, afterRotate, _) = await RunAsync("keys", "list");
        Assert.Contains(afterRotate, l => l.StartsWith(keyId + "\t", StringComparison.Ordinal) && l.Contains("\trotating\t2026-11-01 10:00:00Z", StringComparison.Ordinal));
        Assert.Contains(afterRotate, l => l.StartsWith(replacementId + "\t", StringComparison.Ordinal) && l.Contains("\tactive\t", StringComparison.Ordinal));

        var (revokeExit, revoked, _) = await RunAsync("keys", "revoke", replacementId);

        Assert.Equal(0, revokeExit);
        Assert.Equal($"{replacementId} revoked at 2026-11-01 09:00:00Z", Assert.Single(revoked));
        Assert.False((await RingAsync(now)).TryAuthenticate(replacement, out _));
        var (_, afterRevoke, _) = await RunAsync("keys", "list");
        Assert.Contains(afterRevoke, l => l.StartsWith(replacementId + "\t", StringComparison.Ordinal) && l.Contains("\trevoked\t", StringComparison.Ordinal));
        var (showExit, shown, _) = await RunAsync("keys", "show", keyId);
        Assert.Equal(0, showExit);
        Assert.Contains($"state    rotating: replaced by {replacementId}, works until 2026-11-01 10:00:00Z", shown);
        var (_, shownRevoked, _) = await RunAsync("keys", "show", replacementId);
        Assert.Contains("state    revoked at 2026-11-01 09:00:00Z", shownRevoked);
        Assert.True((await RingAsync(now)).IsRevoked(KeyRing.Hash(replacement)));
    }

    [Fact]
    public async Task Keys_Show_OwnerStatePolicyBudgetsAndLimits_NeverTheHashOrInternalFields()
    {
        var teamId = await CreateOrgAndTeamAsync();
        var (_, created, _) = await RunAsync("keys", "create", "svc", "--team", "search", "--policy", """{"budget_monthly_usd": 2, "tokens_per_minute": 5000}""");
        var keyId = created[1].Split(' ')[1];

        var (exit, shown, stderr) = await RunAsync("keys", "show", "svc");

        Assert.Equal(0, exit);
        Assert.Empty(stderr);
        Assert.Equal(
        [
            $"id       {keyId}",
            "name     svc",
            $"team     search ({teamId})",
        ], shown[..3]);
        Assert.StartsWith("org      acme (org_", shown[3], StringComparison.Ordinal);
        Assert.Equal("state    active", shown[5]);
        Assert.Equal("""policy   {"budget_monthly_usd":2,"tokens_per_minute":5000}""", shown[8]);
        Assert.Equal(
        [
            "budget   organisation 'acme' daily budget: $0 spent of $5 today (UTC), $0 reserved",
            "budget   key 'svc' monthly budget: $0 spent of $2 this month (UTC), $0 reserved",
            "limits   organisation 'acme': 60 requests/min",
            "limits   key 'svc': 5000 tokens/min",
        ], shown[9..]);
        var text = string.Join('\n', shown);
        Assert.DoesNotContain(KeyRing.Hash(created[0]), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(KeyRing.Hash(created[0])[..12], text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("has_", text, StringComparison.Ordinal);
        Assert.DoesNotContain("|", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Keys_Policy_ReplacedAndSeenByTheKeyRing()
    {
        await CreateOrgAndTeamAsync();
        var (_, created, _) = await RunAsync("keys", "create", "svc", "--team", "search");

        var (exit, saved, _) = await RunAsync("keys", "policy", "svc", """{"allowed_models": ["auto"]}""");

        Assert.Equal(0, exit);
        Assert.Equal("policy saved", Assert.Single(saved));
        Assert.True((await RingAsync(_time.GetUtcNow())).TryAuthenticate(created[0], out var caller));
        Assert.Equal(["auto"], caller.AllowedModels!);
        Assert.Contains("expires never", created[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "teams", "create", "x", "--org", "nowhere" }, "nowhere")]
    [InlineData(new[] { "keys", "create", "svc", "--team", "search", "--expires-in", "soon" }, "--expires-in: 'soon' is not a duration")]
    [InlineData(new[] { "keys", "create", "svc", "--team", "search", "--policy", "{not json" }, "invalid policy JSON")]
    [InlineData(new[] { "keys", "rotate", "nokey" }, "nokey")]
    [InlineData(new[] { "keys", "revoke", "nokey" }, "nokey")]
    [InlineData(new[] { "keys", "rotate", "svc", "--overlap", "a while" }, "--overlap: 'a while' is not a duration")]
    public async Task BadInput_ExitsOneWithAClearMessageAndChangesNothing(string[] args, string message)
    {
        await CreateOrgAndTeamAsync();
        var (_, created, _) = await RunAsync("keys", "create", "svc", "--team", "search");
        var (_, before, _) = await RunAsync("keys", "list");

        var (exit, stdout, stderr) = await RunAsync(args);

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains(message, stderr, StringComparison.Ordinal);
        var (_, after, _) = await RunAsync("keys", "list");
        Assert.Equal(before, after);
        Assert.True((await RingAsync(_time.GetUtcNow())).TryAuthenticate(created[0], out _));
    }

    [Fact]
    public async Task List_NoStoreYet_ExitsOneWithoutCreatingOne()
    {
        Directory.Delete(_dataDir);

        var (exit, stdout, stderr) = await RunAsync("keys", "list");

        Assert.Equal(1, exit);
        Assert.Empty(stdout);
        Assert.Contains("No store at", stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(_dataDir));
        Directory.CreateDirectory(_dataDir);
    }
}
