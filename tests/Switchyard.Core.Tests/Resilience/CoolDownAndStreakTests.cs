using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Resilience;

/// <summary>
/// Issue 13: a streak of failures opens the breaker only when it is more than chance at the deployment's failure share
/// (defect 12), and a deployment cooling down after a 429 takes one probe per interval (defect 11).
/// </summary>
public sealed class CoolDownAndStreakTests
{
    private static readonly ResiliencePolicy _policy = new()
    {
        BreakerConsecutiveFailures = 5,
        BreakerFailureRatio = 0.5,
        BreakerMinimumThroughput = 20,
        BreakerWindow = TimeSpan.FromSeconds(30),
        BreakDuration = TimeSpan.FromSeconds(30),
        RateLimitCooldown = TimeSpan.FromSeconds(2),
        RateLimitProbeInterval = TimeSpan.FromSeconds(1),
    };

    private static void Attempt(DeploymentState health, AttemptVerdict verdict, int times = 1, TimeSpan? retryAfter = null)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(health.TryEnter(_policy, 0, out _, out _, out var probe, out var reservation));
            health.Record(_policy, verdict, TimeSpan.FromMilliseconds(5), retryAfter, probe);
            health.Leave(reservation, null);
        }
    }

    [Fact]
    public void Breaker_ThirtyPercentFailingDeployment_FiveInARowIsChanceAndDoesNotOpen()
    {
        var health = new DeploymentState("flaky", new FakeTimeProvider());
        // 30 of 100 attempts failed, never more than 3 in a row; then one served.
        for (var i = 0; i < 10; i++)
        {
            Attempt(health, AttemptVerdict.Success, 7);
            Attempt(health, AttemptVerdict.Failure, 3);
        }

        Attempt(health, AttemptVerdict.Success);

        // At a third failing, 5 in a row comes every few hundred attempts by chance: not an outage. A run chance would
        // give less than once in a million tries is (ln 10^-6 / ln p, p = 45/116 by then: 15).
        Attempt(health, AttemptVerdict.Failure, 5);
        Assert.Equal(BreakerState.Closed, health.State);
        Attempt(health, AttemptVerdict.Failure, 9);
        Assert.Equal(BreakerState.Closed, health.State);
        Attempt(health, AttemptVerdict.Failure);
        Assert.Equal(BreakerState.Open, health.State);
    }

    [Fact]
    public void Breaker_HealthyDeploymentDies_OpensAfterConsecutiveFailuresAsBefore()
    {
        var health = new DeploymentState("dying", new FakeTimeProvider());
        Attempt(health, AttemptVerdict.Success, 200);

        Attempt(health, AttemptVerdict.Failure, 4);
        Assert.Equal(BreakerState.Closed, health.State);
        Attempt(health, AttemptVerdict.Failure);

        Assert.Equal(BreakerState.Open, health.State);
    }

    [Fact]
    public void Breaker_NewDeploymentFailsEverything_OpensAfterConsecutiveFailures()
    {
        var health = new DeploymentState("dead", new FakeTimeProvider());

        Attempt(health, AttemptVerdict.Failure, 5);

        Assert.Equal(BreakerState.Open, health.State);
    }

    [Fact]
    public void CoolDownProbe_OnePerIntervalOneAtATime_SuccessLiftsTheCoolDown()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        Attempt(health, AttemptVerdict.RateLimited, retryAfter: TimeSpan.FromSeconds(30));

        // Before the interval: no probe; the wait is until the next probe, not the whole cool-down.
        Assert.False(health.TryEnterCoolDownProbe(_policy, 0, out var refusal, out var wait, out _));
        Assert.Equal((Availability.CoolingDown, TimeSpan.FromSeconds(1)), (refusal, wait));
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(health.TryEnterCoolDownProbe(_policy, 0, out _, out _, out var reservation));
        // One at a time: while it is out, and until the next interval, nobody else.
        Assert.False(health.TryEnterCoolDownProbe(_policy, 0, out _, out wait, out _));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
        Assert.False(health.TryEnter(_policy, 0, out refusal, out _, out _, out _));
        Assert.Equal(Availability.CoolingDown, refusal);

        health.Record(_policy, AttemptVerdict.Success, TimeSpan.FromMilliseconds(5), null, wasProbe: false);
        health.EndCoolDownProbe(_policy, AttemptVerdict.Success, null);
        health.Leave(reservation, null);

        Assert.Equal(Availability.Available, health.View(_policy).Availability);
    }

    [Fact]
    public void CoolDownProbe_Answered429_CoolDownReplacedByTheNewWait()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        Attempt(health, AttemptVerdict.RateLimited, retryAfter: TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(2));

        Assert.True(health.TryEnterCoolDownProbe(_policy, 0, out _, out _, out var reservation));
        health.Record(_policy, AttemptVerdict.RateLimited, TimeSpan.FromMilliseconds(5), TimeSpan.FromSeconds(3), wasProbe: false);
        health.EndCoolDownProbe(_policy, AttemptVerdict.RateLimited, TimeSpan.FromSeconds(3));
        health.Leave(reservation, null);

        // The upstream's newest word: 3 s from now, not the 28 s left of the first 429.
        var view = health.View(_policy);
        Assert.Equal((Availability.CoolingDown, TimeSpan.FromSeconds(3)), (view.Availability, view.Wait));
        Assert.False(health.TryEnterCoolDownProbe(_policy, 0, out _, out var wait, out _));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);
    }

    [Fact]
    public void CoolDownProbe_ProbesOff_TheWholeCoolDownIsHonoured()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var strict = _policy with { RateLimitProbeInterval = TimeSpan.Zero };
        Attempt(health, AttemptVerdict.RateLimited, retryAfter: TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(10));

        Assert.False(health.TryEnterCoolDownProbe(strict, 0, out var refusal, out var wait, out _));
        Assert.Equal((Availability.CoolingDown, TimeSpan.FromSeconds(20)), (refusal, wait));
    }
}
