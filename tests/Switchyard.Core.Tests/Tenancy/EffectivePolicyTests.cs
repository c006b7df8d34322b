using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Xunit;

namespace Switchyard.Core.Tests.Tenancy;

public sealed class EffectivePolicyTests
{
    [Fact]
    public void Combine_ThreeLevels_MostRestrictiveOfEachRuleAndEveryLevelsBudgets()
    {
        var org = new TenantPolicy { AllowedModels = ["auto", "gpt-4o", "gpt-4o-mini"], AllowedZones = [TrustZone.SelfHosted, TrustZone.Private], BudgetMonthlyUsd = 1000m, Objective = "cheapest" };
        var team = new TenantPolicy { AllowedModels = ["auto", "gpt-4o-mini"], DataClassFloor = DataClass.Confidential, BudgetDailyUsd = 5m, RequestsPerMinute = 60 };
        var key = new TenantPolicy { AllowedModels = ["*"], AllowedZones = [TrustZone.SelfHosted], DataClassFloor = DataClass.Internal, Objective = "fastest" };

        var effective = EffectivePolicy.Combine((TenantLevel.Organisation, "o1", "acme", org), (TenantLevel.Team, "t1", "search", team), (TenantLevel.Key, "k1", "svc", key));

        Assert.Equal(["auto", "gpt-4o-mini"], effective.AllowedModels!.Order(StringComparer.Ordinal));
        Assert.Equal([TrustZone.SelfHosted], effective.AllowedZones!);
        Assert.Equal(DataClass.Confidential, effective.DataClassFloor);
        Assert.Equal("fastest", effective.Objective);
        Assert.Equal(
        [
            new BudgetLimit("org:o1", "organisation 'acme' monthly budget", BudgetPeriod.Month, 1000m),
            new BudgetLimit("team:t1", "team 'search' daily budget", BudgetPeriod.Day, 5m),
        ], effective.Budgets);
        Assert.Equal([new RateLimit("team:t1", "team 'search'", 60, null, null)], effective.RateLimits);
    }

    [Fact]
    public void ChargesFor_Budgets_OneCounterPerPeriodInstanceSortedForLockOrder()
    {
        var caller = new Caller
        {
            KeyName = "svc",
            KeyId = "0123456789ab",
            Policy = EffectivePolicy.Combine(
                (TenantLevel.Team, "t1", "search", new TenantPolicy { BudgetDailyUsd = 5m, BudgetTotalUsd = 100m }),
                (TenantLevel.Key, "k1", "svc", new TenantPolicy { BudgetMonthlyUsd = 0.000000001m })),
        };

        var charges = BudgetCounters.ChargesFor(caller, new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero));

        Assert.Equal(
        [
            new BudgetCharge("key:k1|m:2026-11", 1, "key 'svc' monthly budget"),
            new BudgetCharge("team:t1|d:2026-11-21", 5_000_000_000, "team 'search' daily budget"),
            new BudgetCharge("team:t1|total", 100_000_000_000, "team 'search' total budget"),
        ], charges);
    }

    [Fact]
    public void TenantKeyRing_RevokedKeyOrUnknownTeam_NotInTheRing()
    {
        var t0 = new DateTimeOffset(2026, 11, 21, 0, 0, 0, TimeSpan.Zero);
        var (active, activeSecret) = VirtualKeyFactory.Create("t1", "a", null, t0, null);
        var (revoked, revokedSecret) = VirtualKeyFactory.Create("t1", "r", null, t0, null);
        var (orphan, orphanSecret) = VirtualKeyFactory.Create("t-gone", "o", null, t0, null);
        var snapshot = new TenancySnapshot(
            [new Organisation("o1", "acme", TenantPolicy.None, t0)],
            [new Team("t1", "o1", "search", new TenantPolicy { AllowedModels = ["auto"] }, t0)],
            [active, revoked with { RevokedAt = t0 }, orphan], 3);

        var ring = TenantKeyRing.Build(snapshot, t0.AddHours(1));

        Assert.True(ring.TryAuthenticate(activeSecret, out var caller));
        Assert.Equal(("a", "search", "acme", true, false), (caller.KeyName, caller.Team, caller.OrgName, caller.MayUse("auto"), caller.MayUse("gpt-4o")));
        Assert.False(ring.TryAuthenticate(revokedSecret, out _));
        Assert.False(ring.TryAuthenticate(orphanSecret, out _));
        Assert.Equal(1, ring.Count);
    }
}
