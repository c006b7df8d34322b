using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Xunit;

namespace Switchyard.Storage.Tests;

/// <summary>
/// What every tenancy and budget store must do (SQLite and PostgreSQL run the same tests): records round-trip, every
/// save moves the change counter, and budget reservations are atomic — under concurrency exactly as many fit as the
/// limit allows, never one more.
/// </summary>
public abstract class TenancyStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(60);
    private static readonly DateTimeOffset _t0 = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    private (ITenancyStore Tenancy, IBudgetStore Budgets)? _stores;

    protected ITenancyStore Tenancy => _stores?.Tenancy ?? throw new InvalidOperationException("not initialised");

    protected IBudgetStore Budgets => _stores?.Budgets ?? throw new InvalidOperationException("not initialised");

    protected abstract Task<(ITenancyStore Tenancy, IBudgetStore Budgets)> CreateStoresAsync(CancellationToken cancellationToken);

    protected abstract ValueTask DeleteStoresAsync();

    public async ValueTask InitializeAsync()
    {
        _stores = await CreateStoresAsync(TestContext.Current.CancellationToken).WaitAsync(_timeout, TestContext.Current.CancellationToken);
        await Run(Tenancy.InitializeAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (_stores is not null)
        {
            await DeleteStoresAsync();
        }

        GC.SuppressFinalize(this);
    }

    protected static Task Run(Task task) => task.WaitAsync(_timeout, TestContext.Current.CancellationToken);

    protected static Task<T> Run<T>(Task<T> task) => task.WaitAsync(_timeout, TestContext.Current.CancellationToken);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task SaveThenLoad_OrgTeamKeyWithPolicies_RoundTripAndBumpTheChangeCounter()
    {
        var policy = new TenantPolicy
        {
            AllowedModels = ["auto", "gpt-4o-mini"],
            AllowedZones = [TrustZone.SelfHosted, TrustZone.Private],
            DataClassFloor = DataClass.Confidential,
            BudgetDailyUsd = 1.25m,
            BudgetMonthlyUsd = 30m,
            BudgetTotalUsd = 1000.000000001m,
            RequestsPerMinute = 60,
            TokensPerMinute = 100_000,
            MaxConcurrent = 4,
            Objective = "cheapest",
            AdminApi = true,
        };
        var before = await Run(Tenancy.ChangeCounterAsync(Ct));
        var org = new Organisation("org_1", "acme", policy, _t0);
        var team = new Team("team_1", "org_1", "search", TenantPolicy.None, _t0);
        var (key, _) = VirtualKeyFactory.Create("team_1", "svc", policy, _t0, _t0.AddDays(30));

        await Run(Tenancy.SaveOrganisationAsync(org, Ct));
        await Run(Tenancy.SaveTeamAsync(team, Ct));
        await Run(Tenancy.SaveKeysAsync([key], Ct));
        var snapshot = await Run(Tenancy.LoadAsync(Ct));

        Assert.Equal(before + 3, snapshot.Version);
        Assert.Equal(snapshot.Version, await Run(Tenancy.ChangeCounterAsync(Ct)));
        var loadedOrg = Assert.Single(snapshot.Organisations);
        Assert.Equal(TenancyCodec.WritePolicy(policy), TenancyCodec.WritePolicy(loadedOrg.Policy));
        Assert.Equal(org with { Policy = loadedOrg.Policy }, loadedOrg);
        Assert.Equal(team with { Policy = TenantPolicy.None }, Assert.Single(snapshot.Teams) with { Policy = TenantPolicy.None });
        var loadedKey = Assert.Single(snapshot.Keys);
        Assert.Equal(key with { Policy = loadedKey.Policy }, loadedKey);
        Assert.Equal(TenancyCodec.WritePolicy(policy), TenancyCodec.WritePolicy(loadedKey.Policy));
    }

    [Fact]
    public async Task SaveKeysAsync_RotationPair_BothSavedAndTheOldOneReplaced()
    {
        await Run(Tenancy.SaveOrganisationAsync(new Organisation("org_1", "acme", TenantPolicy.None, _t0), Ct));
        await Run(Tenancy.SaveTeamAsync(new Team("team_1", "org_1", "search", TenantPolicy.None, _t0), Ct));
        var admin = new TenancyAdmin(Tenancy, new FixedTime(_t0));
        var issued = (await Run(admin.CreateKeyAsync("search", "svc", null, null, Ct))).Value!;

        var rotated = (await Run(admin.RotateKeyAsync(issued.Key.Id, TimeSpan.FromMinutes(10), Ct))).Value!;
        var revoked = (await Run(admin.RevokeKeyAsync(rotated.Key.Id, Ct))).Value!;
        var snapshot = await Run(Tenancy.LoadAsync(Ct));

        Assert.Equal(2, snapshot.Keys.Count);
        var old = snapshot.Keys.Single(k => k.Id == issued.Key.Id);
        Assert.Equal(_t0.AddMinutes(10), old.ExpiresAt);
        Assert.Equal(rotated.Key.Id, old.RotatedTo);
        Assert.Equal(_t0, snapshot.Keys.Single(k => k.Id == rotated.Key.Id).RevokedAt);
        Assert.Equal(revoked.Id, rotated.Key.Id);
        Assert.NotEqual(issued.Secret, rotated.Secret);
        Assert.Equal(KeyRing.Hash(rotated.Secret), snapshot.Keys.Single(k => k.Id == rotated.Key.Id).Hash);
    }

    [Fact]
    public async Task TryReserveAsync_DoesNotFit_RefusedNamingTheFullBudget()
    {
        BudgetCharge[] charges = [new("org:o|total", 10_000, "organisation 'acme' total budget"), new("team:t|d:2026-11-21", 1_000, "team 'search' daily budget")];

        var (first, _) = await Run(Budgets.TryReserveAsync(charges, 600, Ct));
        var (second, refusal) = await Run(Budgets.TryReserveAsync(charges, 600, Ct));

        Assert.NotNull(first);
        Assert.Null(second);
        Assert.Equal(new BudgetRefusal("team 'search' daily budget", 1_000, 0, 600, 600), refusal);
        // The refused reservation left nothing behind on the counter that had room.
        var org = Assert.Single(await Run(Budgets.ReadCountersAsync("org:o|", Ct)));
        Assert.Equal(600, org.ReservedNanoUsd);
    }

    [Fact]
    public async Task SettleAsync_RealCost_MovesReservationToSpentOnce()
    {
        BudgetCharge[] charges = [new("key:k|total", 1_000, "key 'svc' total budget")];
        var (reservation, _) = await Run(Budgets.TryReserveAsync(charges, 700, Ct));

        await Run(Budgets.SettleAsync(reservation!, 250, Ct));
        await Run(Budgets.SettleAsync(reservation!, 250, Ct));
        var (next, _) = await Run(Budgets.TryReserveAsync(charges, 750, Ct));
        await Run(Budgets.ReleaseAsync(next!, Ct));

        var counter = Assert.Single(await Run(Budgets.ReadCountersAsync("key:k|", Ct)));
        Assert.Equal(new BudgetCounterState("key:k|total", 250, 0), counter);
        Assert.Null((await Run(Budgets.TryReserveAsync(charges, 751, Ct))).Reservation);
    }

    [Fact]
    public async Task TryReserveAsync_ManyConcurrent_ExactlyTheReservationsThatFitSucceed()
    {
        BudgetCharge[] charges = [new("team:t|d:2026-11-21", 10_000, "team daily"), new("team:t|total", 1_000_000, "team total")];

        var results = await Run(Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => Budgets.TryReserveAsync(charges, 300, Ct), Ct))));

        Assert.Equal(33, results.Count(r => r.Reservation is not null));
        var daily = (await Run(Budgets.ReadCountersAsync("team:t|d", Ct))).Single();
        Assert.Equal(9_900, daily.ReservedNanoUsd);
        await Run(Task.WhenAll(results.Where(r => r.Reservation is not null).Select(r => Budgets.SettleAsync(r.Reservation!, 300, Ct))));
        Assert.Equal(new BudgetCounterState("team:t|d:2026-11-21", 9_900, 0), (await Run(Budgets.ReadCountersAsync("team:t|d", Ct))).Single());
    }

    /// <summary>A clock standing still (the stores take time from the caller; this is for <see cref="TenancyAdmin"/>).</summary>
    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
