using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Resilience;

public sealed class RetryBudgetTests
{
    [Fact]
    public void TryAcquire_RetriesCappedAtRatioOfRequestsPlusMinimum()
    {
        var time = new FakeTimeProvider();
        var budget = new RetryBudget(time);
        var settings = new RetryBudgetSettings { Ratio = 0.2, MinRetries = 2, Window = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 100; i++)
        {
            budget.RecordRequest(settings);
        }

        var granted = 0;
        while (budget.TryAcquire(settings) && granted < 1000)
        {
            granted++;
        }

        Assert.Equal(22, granted); // 20% of 100 requests + 2
        Assert.Equal(1, budget.Refused);
    }

    [Fact]
    public void Refund_RetriesThatSucceedGiveTheirShareBack_OnlyFailingRetriesAreBounded()
    {
        var budget = new RetryBudget(new FakeTimeProvider());
        var settings = new RetryBudgetSettings { Ratio = 0.2, MinRetries = 0, Window = TimeSpan.FromSeconds(10) };
        for (var i = 0; i < 100; i++)
        {
            budget.RecordRequest(settings);
        }

        // A 30 %-failing upstream: 30 retries, 21 of them served. 9 count, well within 20.
        for (var i = 0; i < 30; i++)
        {
            Assert.True(budget.TryAcquire(settings), $"retry {i} refused");
            if (i % 10 < 7)
            {
                budget.Refund(settings);
            }
        }

        var more = 0;
        while (budget.TryAcquire(settings) && more < 1000)
        {
            more++;
        }

        Assert.Equal(11, more);
        Assert.Equal(1, budget.Refused);
    }

    [Fact]
    public void TryAcquire_WindowSlides_OldRetriesAndRequestsExpire()
    {
        var time = new FakeTimeProvider();
        var budget = new RetryBudget(time);
        var settings = new RetryBudgetSettings { Ratio = 0, MinRetries = 1, Window = TimeSpan.FromSeconds(10) };
        Assert.True(budget.TryAcquire(settings));
        Assert.False(budget.TryAcquire(settings));

        time.Advance(TimeSpan.FromSeconds(11));

        Assert.True(budget.TryAcquire(settings));
    }
}
