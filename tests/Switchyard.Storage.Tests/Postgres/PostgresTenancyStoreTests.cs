using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using Switchyard.Storage.Postgres;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Storage.Tests.Postgres;

/// <summary>The tenancy and budget contract on PostgreSQL, plus what only a shared store does (abandoned reservations, rate exchange).</summary>
public sealed class PostgresTenancyStoreTests : TenancyStoreContract
{
    private PostgresStore? _store;

    protected override async Task<(ITenancyStore Tenancy, IBudgetStore Budgets)> CreateStoresAsync(CancellationToken cancellationToken)
    {
        var (connectionString, reason) = await PostgresServer.CreateDatabaseAsync("tenancy", maxPoolSize: 60);
        if (connectionString is null)
        {
            Assert.Skip(reason!);
        }

        _store = new PostgresStore(connectionString!);
        return (_store.Tenancy, _store.Budgets);
    }

    protected override async ValueTask DeleteStoresAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }
    }

    [Fact]
    public async Task ReleaseAbandonedAsync_OldReservation_ReleasedOnceAndCounterFreed()
    {
        BudgetCharge[] charges = [new("team:t|total", 1_000, "team total")];
        var (reservation, _) = await Run(_store!.Budgets.TryReserveAsync(charges, 800, TestContext.Current.CancellationToken));

        var released = await Run(_store.Budgets.ReleaseAbandonedAsync(DateTimeOffset.UtcNow.AddMinutes(1), TestContext.Current.CancellationToken));
        await Run(_store.Budgets.SettleAsync(reservation!, 800, TestContext.Current.CancellationToken));

        Assert.Equal(1, released);
        // The late settle finds no reservation: nothing is spent twice, nothing stays reserved.
        Assert.Equal(new BudgetCounterState("team:t|total", 0, 0), Assert.Single(await Run(_store.Budgets.ReadCountersAsync("team:", TestContext.Current.CancellationToken))));
    }

    [Fact]
    public async Task ExchangeAsync_TwoReplicas_EachSeesTheOthersCountersOfTheCurrentWindow()
    {
        var now = DateTimeOffset.UtcNow;
        var window = now.ToUnixTimeSeconds() - (now.ToUnixTimeSeconds() % 60);

        await Run(_store!.RateLimits.ExchangeAsync("a", [new RateCounter("team:t", window, 7, 700, 2), new RateCounter("key:k", window - 60, 5, 5, 0)], now, TestContext.Current.CancellationToken));
        var (others, live) = await Run(_store.RateLimits.ExchangeAsync("b", [new RateCounter("team:t", window, 3, 30, 1)], now, TestContext.Current.CancellationToken));

        Assert.Equal(2, live);
        Assert.Equal(new RateCounter("team:t", window, 7, 700, 2), others.Single(o => o.Scope == "team:t"));
        // A previous window's counts do not count in this one.
        Assert.Equal(new RateCounter("key:k", window, 0, 0, 0), others.Single(o => o.Scope == "key:k"));
    }
}
