using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Resilience;

public sealed class DeploymentHealthTests
{
    private static readonly ResiliencePolicy _policy = new()
    {
        BreakerConsecutiveFailures = 3,
        BreakerFailureRatio = 0.5,
        BreakerMinimumThroughput = 10,
        BreakerWindow = TimeSpan.FromSeconds(10),
        BreakDuration = TimeSpan.FromSeconds(30),
        RateLimitCooldown = TimeSpan.FromSeconds(2),
    };

    private static void Fail(DeploymentState health, ResiliencePolicy policy, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(health.TryEnter(policy, 0, out _, out _, out var probe, out var reservation));
            health.Record(policy, AttemptVerdict.Failure, TimeSpan.FromMilliseconds(5), null, probe);
            health.Leave(reservation, null);
        }
    }

    private static void Succeed(DeploymentState health, ResiliencePolicy policy, int times = 1, double ms = 5)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(health.TryEnter(policy, 0, out _, out _, out var probe, out var reservation));
            health.Record(policy, AttemptVerdict.Success, TimeSpan.FromMilliseconds(ms), null, probe);
            health.Leave(reservation, null);
        }
    }

    [Fact]
    public void Breaker_ConsecutiveFailures_OpensForBreakDurationThenLetsExactlyOneProbe()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);

        Fail(health, _policy, 3);

        Assert.Equal(BreakerState.Open, health.State);
        Assert.Equal(Availability.CircuitOpen, health.View(_policy).Availability);
        Assert.False(health.TryEnter(_policy, 0, out var refusal, out var wait, out _, out _));
        Assert.Equal(Availability.CircuitOpen, refusal);
        Assert.Equal(TimeSpan.FromSeconds(30), wait);

        time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Equal(Availability.CircuitOpen, health.View(_policy).Availability);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Availability.Available, health.View(_policy).Availability);

        Assert.True(health.TryEnter(_policy, 0, out _, out _, out var isProbe, out _));
        Assert.True(isProbe);
        Assert.Equal(BreakerState.HalfOpen, health.State);
        // While the probe is out, nobody else gets through.
        Assert.False(health.TryEnter(_policy, 0, out refusal, out _, out _, out _));
        Assert.Equal(Availability.CircuitOpen, refusal);

        health.Record(_policy, AttemptVerdict.Success, TimeSpan.FromMilliseconds(5), null, wasProbe: true);
        health.Leave(default, null);
        Assert.Equal(BreakerState.Closed, health.State);
        Assert.True(health.TryEnter(_policy, 0, out _, out _, out isProbe, out _));
        Assert.False(isProbe);
    }

    [Fact]
    public void Breaker_ProbeFails_ReopensForAnotherBreakDuration()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        Fail(health, _policy, 3);
        time.Advance(_policy.BreakDuration);

        Fail(health, _policy);

        Assert.Equal(BreakerState.Open, health.State);
        Assert.Equal(_policy.BreakDuration, health.Report(_policy).OpenRemaining);
        Assert.Equal(2, health.Report(_policy).TimesOpened);
    }

    [Fact]
    public void Breaker_FailureRatioOverWindow_OpensOnlyWithMinimumThroughput()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var policy = _policy with { BreakerConsecutiveFailures = 100 };

        // Alternating: never 2 failures in a row, but half of all attempts fail.
        for (var i = 0; i < 4; i++)
        {
            Succeed(health, policy);
            Fail(health, policy);
        }

        Assert.Equal(BreakerState.Closed, health.State); // 8 attempts < minimum throughput 10
        Succeed(health, policy);
        Fail(health, policy);

        Assert.Equal(BreakerState.Open, health.State);
    }

    [Fact]
    public void Breaker_FailuresOlderThanTheWindow_DoNotCount()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var policy = _policy with { BreakerConsecutiveFailures = 100 };
        for (var i = 0; i < 5; i++)
        {
            Fail(health, policy);
            Succeed(health, policy);
        }

        time.Advance(TimeSpan.FromSeconds(11));
        Fail(health, policy);
        Succeed(health, policy, 9);

        Assert.Equal(BreakerState.Closed, health.State);
        Assert.Equal(10, health.Report(policy).WindowAttempts);
        Assert.Equal(1, health.Report(policy).WindowFailures);
    }

    [Fact]
    public void RateLimited_WithRetryAfter_CoolsDownForExactlyThatLong()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        Assert.True(health.TryEnter(_policy, 0, out _, out _, out _, out _));

        health.Record(_policy, AttemptVerdict.RateLimited, TimeSpan.Zero, TimeSpan.FromSeconds(7), wasProbe: false);
        health.Leave(default, null);

        var view = health.View(_policy);
        Assert.Equal(Availability.CoolingDown, view.Availability);
        Assert.Equal(TimeSpan.FromSeconds(7), view.Wait);
        Assert.Equal(BreakerState.Closed, health.State);
        time.Advance(TimeSpan.FromMilliseconds(6999));
        Assert.Equal(Availability.CoolingDown, health.View(_policy).Availability);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Availability.Available, health.View(_policy).Availability);
    }

    [Fact]
    public void RateLimited_WithoutRetryAfter_UsesTheDefaultCooldown()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        Assert.True(health.TryEnter(_policy, 0, out _, out _, out _, out _));

        health.Record(_policy, AttemptVerdict.RateLimited, TimeSpan.Zero, null, wasProbe: false);
        health.Leave(default, null);

        Assert.Equal(_policy.RateLimitCooldown, health.View(_policy).Wait);
        time.Advance(_policy.RateLimitCooldown);
        Assert.Equal(Availability.Available, health.View(_policy).Availability);
    }

    [Fact]
    public void ConcurrencyCap_FullDeploymentRefused_UntilASlotIsLeft()
    {
        var health = new DeploymentState("d", new FakeTimeProvider());
        var capped = _policy with { MaxConcurrency = 2 };

        Assert.True(health.TryEnter(capped, 0, out _, out _, out _, out _));
        Assert.True(health.TryEnter(capped, 0, out _, out _, out _, out _));
        Assert.False(health.TryEnter(capped, 0, out var refusal, out _, out _, out _));

        Assert.Equal(Availability.AtCapacity, refusal);
        Assert.Equal(2, health.View(capped).Outstanding);
        health.Leave(default, null);
        Assert.True(health.TryEnter(capped, 0, out _, out _, out _, out _));
    }

    [Fact]
    public void RequestsPerMinute_FullClockMinuteRefusedWithTheWaitUntilItTurns()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var limited = _policy with { RequestsPerMinute = 3 };

        Succeed(health, limited);
        time.Advance(TimeSpan.FromSeconds(20));
        Succeed(health, limited, 2);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(health.TryEnter(limited, 0, out var refusal, out var wait, out _, out _));
        Assert.Equal(Availability.OverRateLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(35), wait);
        Assert.Equal(Availability.OverRateLimit, health.View(limited).Availability);
        Assert.Equal(0, health.View(limited).Outstanding);
        Assert.Equal(Availability.Available, health.View(_policy).Availability);
        Assert.Equal(3, health.RateUsage().Requests);

        time.Advance(TimeSpan.FromSeconds(34.999));
        Assert.Equal(Availability.OverRateLimit, health.View(limited).Availability);
        time.Advance(TimeSpan.FromMilliseconds(1));

        // Clock-aligned minutes, as key limits count (one limiter): the new minute starts empty.
        Assert.Equal(0, health.RateUsage().Requests);
        Succeed(health, limited, 3);
        Assert.False(health.TryEnter(limited, 0, out refusal, out wait, out _, out _));
        Assert.Equal(Availability.OverRateLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(60), wait);
    }

    [Fact]
    public void RequestsPerMinute_RefusedAttemptsAndOtherDeploymentsDoNotCount()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var other = new DeploymentState("e", time);
        var limited = _policy with { RequestsPerMinute = 2, MaxConcurrency = 1 };

        Assert.True(health.TryEnter(limited, 0, out _, out _, out _, out _));
        Assert.False(health.TryEnter(limited, 0, out var refusal, out _, out _, out _));
        Assert.Equal(Availability.AtCapacity, refusal);
        health.Leave(default, null);
        Succeed(other, limited, 2);

        Assert.True(health.TryEnter(limited, 0, out _, out _, out _, out _));
        health.Leave(default, null);
        Assert.False(health.TryEnter(limited, 0, out refusal, out var wait, out _, out _));
        Assert.Equal(Availability.OverRateLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(60), wait);
    }

    [Fact]
    public void TokensPerMinute_InFlightReservationsCount_SettledToTheReportedUsage()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var limited = _policy with { TokensPerMinute = 1_000 };

        Assert.True(health.TryEnter(limited, 600, out _, out _, out _, out var first));
        Assert.True(health.TryEnter(limited, 500, out _, out _, out _, out var second));

        // Both in flight: 1,100 reserved, so the next is refused before it is sent (as one over its requests).
        Assert.Equal(1_100, health.RateUsage().Tokens);

        // In flight is counted once, by the deployment's state; the shared limiter keeps only the per-minute counts.
        Assert.Equal((2, 0L), (health.Outstanding, health.RateUsage().InFlight));
        Assert.False(health.TryEnter(limited, 1, out var refusal, out var wait, out _, out _));
        Assert.Equal(Availability.OverTokenLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(60), wait);
        Assert.Equal(Availability.OverTokenLimit, health.View(limited).Availability);

        health.Leave(first, 100);
        Assert.Equal(600, health.RateUsage().Tokens);
        Assert.Equal(Availability.Available, health.View(limited).Availability);
        health.Leave(second, null);
        Assert.Equal(600, health.RateUsage().Tokens);
        Assert.True(health.TryEnter(limited, 400, out _, out _, out _, out var third));
        Assert.Equal(Availability.OverTokenLimit, health.View(limited).Availability);
        health.Leave(third, 0);
        Assert.Equal(600, health.RateUsage().Tokens);
        Assert.Equal(0, health.Outstanding);
    }

    [Fact]
    public void TokensPerMinute_SettledAfterTheMinuteTurned_LeavesTheNewMinuteAlone()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        var limited = _policy with { TokensPerMinute = 1_000 };
        time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(health.TryEnter(limited, 2_000, out _, out _, out _, out var late));
        Assert.False(health.TryEnter(limited, 1, out _, out var wait, out _, out _));
        Assert.Equal(TimeSpan.FromSeconds(1), wait);

        time.Advance(TimeSpan.FromSeconds(2));
        Assert.True(health.TryEnter(limited, 300, out _, out _, out _, out var next));
        health.Leave(late, 50);

        Assert.Equal(300, health.RateUsage().Tokens);
        health.Leave(next, 250);
        Assert.Equal(250, health.RateUsage().Tokens);
    }

    [Fact]
    public void RateLimits_NoLimits_NothingReservedNorCounted()
    {
        var limiter = new RateLimiter();
        var health = new DeploymentState("d", new FakeTimeProvider(), limiter);

        Assert.True(health.TryEnter(_policy, 5_000, out _, out _, out _, out var reservation));

        Assert.True(reservation.IsEmpty);
        Assert.Empty(limiter.Snapshot(new FakeTimeProvider().GetUtcNow()));
        health.Leave(reservation, 10);
        Assert.Equal(0, health.Outstanding);
    }

    [Fact]
    public void RateLimits_TwoReplicasExchangingCounts_EachSeesTheOthersRequestsAndTokens()
    {
        var time = new FakeTimeProvider();
        var (limiterA, limiterB) = (new RateLimiter(), new RateLimiter());
        var a = new DeploymentStates(time, limiterA).Get("d");
        var b = new DeploymentStates(time, limiterB).Get("d");
        var limited = _policy with { RequestsPerMinute = 4, TokensPerMinute = 10_000 };

        void Exchange()
        {
            var now = time.GetUtcNow();
            var (snapA, snapB) = (limiterA.Snapshot(now), limiterB.Snapshot(now));
            limiterA.ApplyRemote(snapB, 2, now);
            limiterB.ApplyRemote(snapA, 2, now);
        }

        Assert.True(a.TryEnter(limited, 3_000, out _, out _, out _, out var ra1));
        Assert.True(a.TryEnter(limited, 3_000, out _, out _, out _, out var ra2));
        Exchange();
        Assert.Equal((2, 6_000), (b.RateUsage().Requests, b.RateUsage().Tokens));
        Assert.True(b.TryEnter(limited, 3_000, out _, out _, out _, out var rb1));
        Exchange();

        // 9,000 tokens and 3 requests across both: one more fits (a's share); then the other replica sees the deployment full.
        Assert.True(a.TryEnter(limited, 3_000, out _, out _, out _, out _));
        Exchange();
        Assert.Equal(Availability.OverRateLimit, b.View(limited).Availability);
        Assert.Equal((4, 12_000), (b.RateUsage().Requests, b.RateUsage().Tokens));

        a.Leave(ra1, 10);
        a.Leave(ra2, 10);
        b.Leave(rb1, 10);
        Exchange();
        Assert.Equal(3_030, a.RateUsage().Tokens);
        Assert.Equal(3_030, b.RateUsage().Tokens);
    }

    [Fact]
    public void Latency_Ewma_FollowsRecentSuccesses()
    {
        var health = new DeploymentState("d", new FakeTimeProvider());

        Succeed(health, _policy, ms: 100);
        Assert.Equal(100, health.View(_policy).LatencyEwmaMs, 3);
        Succeed(health, _policy, ms: 200);

        Assert.Equal(130, health.View(_policy).LatencyEwmaMs, 3);
    }

    [Fact]
    public void ActiveProbe_HealthyClosesAnOpenBreaker_FailingCountsAsFailure()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentState("d", time);
        Fail(health, _policy, 3);

        health.RecordProbe(_policy, healthy: true);

        Assert.Equal(BreakerState.Closed, health.State);
        Assert.Equal(time.GetUtcNow(), health.Report(_policy).LastProbeAt);
        health.RecordProbe(_policy, healthy: false);
        health.RecordProbe(_policy, healthy: false);
        health.RecordProbe(_policy, healthy: false);
        Assert.Equal(BreakerState.Open, health.State);
    }

    [Fact]
    public void States_Reload_KeepsStateOfDeploymentsThatStillExistAndForgetsTheRest()
    {
        var time = new FakeTimeProvider();
        var states = new DeploymentStates(time);
        Succeed(states.Get("kept"), _policy, ms: 80);
        states.Get("kept").RecordGenerationRate(50);
        Succeed(states.Get("removed"), _policy, ms: 80);
        Fail(states.Get("kept"), _policy, 3);
        Fail(states.Get("removed"), _policy, 3);
        var table = new RouteTableCompiler([new InertAdapterFactory()], time, static _ => null).Compile(new GatewayConfig
        {
            Providers = [new ProviderConfig { Name = "p", Type = "inert" }],
            Models = [new ModelConfig { Name = "m", Price = new PriceOverride(1m, 1m, null, null) }],
            Deployments = [new DeploymentConfig { Id = "kept", Provider = "p", Model = "m" }],
        });

        states.Retain(table);

        Assert.True(states.TryGet("kept", out var kept));
        Assert.Equal(BreakerState.Open, kept!.State);
        Assert.False(states.TryGet("removed", out _));
        var stats = states;
        Assert.True(stats.TryGetSpeed("kept", out var speed));
        Assert.Equal(new DeploymentSpeed(80, 50), speed);
        Assert.False(stats.TryGetSpeed("removed", out _));
    }

    [Fact]
    public void Speed_NoSuccessYet_Unmeasured_RateOnlyFromPositiveSamples()
    {
        var health = new DeploymentState("d", new FakeTimeProvider());
        health.RecordGenerationRate(40);
        Assert.False(health.TryGetSpeed(out _));

        Succeed(health, _policy, ms: 0);
        health.RecordGenerationRate(0);
        health.RecordGenerationRate(double.NaN);
        health.RecordGenerationRate(double.PositiveInfinity);
        health.RecordGenerationRate(140);

        Assert.True(health.TryGetSpeed(out var speed));
        // A 0 ms success is a sample (not "none yet"); 40 then 140 tok/s, the newest weighing 0.3.
        Assert.Equal(0, speed.TimeToFirstTokenMs);
        Assert.Equal(70, speed.TokensPerSecond, 6);
    }
}
