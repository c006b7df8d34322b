using Switchyard.Canonical;
using Switchyard.Configuration;
using Switchyard.Execution;
using Switchyard.Resilience;
using Switchyard.Routing;
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

    private static void Fail(DeploymentHealth health, ResiliencePolicy policy, int times = 1)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(health.TryEnter(policy, out _, out _, out var probe));
            health.Record(policy, AttemptVerdict.Failure, TimeSpan.FromMilliseconds(5), null, probe);
            health.Leave();
        }
    }

    private static void Succeed(DeploymentHealth health, ResiliencePolicy policy, int times = 1, double ms = 5)
    {
        for (var i = 0; i < times; i++)
        {
            Assert.True(health.TryEnter(policy, out _, out _, out var probe));
            health.Record(policy, AttemptVerdict.Success, TimeSpan.FromMilliseconds(ms), null, probe);
            health.Leave();
        }
    }

    [Fact]
    public void Breaker_ConsecutiveFailures_OpensForBreakDurationThenLetsExactlyOneProbe()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentHealth("d", time);

        Fail(health, _policy, 3);

        Assert.Equal(BreakerState.Open, health.State);
        Assert.Equal(Availability.CircuitOpen, health.View(_policy).Availability);
        Assert.False(health.TryEnter(_policy, out var refusal, out var wait, out _));
        Assert.Equal(Availability.CircuitOpen, refusal);
        Assert.Equal(TimeSpan.FromSeconds(30), wait);

        time.Advance(TimeSpan.FromSeconds(29.999));
        Assert.Equal(Availability.CircuitOpen, health.View(_policy).Availability);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(Availability.Available, health.View(_policy).Availability);

        Assert.True(health.TryEnter(_policy, out _, out _, out var isProbe));
        Assert.True(isProbe);
        Assert.Equal(BreakerState.HalfOpen, health.State);
        // While the probe is out, nobody else gets through.
        Assert.False(health.TryEnter(_policy, out refusal, out _, out _));
        Assert.Equal(Availability.CircuitOpen, refusal);

        health.Record(_policy, AttemptVerdict.Success, TimeSpan.FromMilliseconds(5), null, wasProbe: true);
        health.Leave();
        Assert.Equal(BreakerState.Closed, health.State);
        Assert.True(health.TryEnter(_policy, out _, out _, out isProbe));
        Assert.False(isProbe);
    }

    [Fact]
    public void Breaker_ProbeFails_ReopensForAnotherBreakDuration()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentHealth("d", time);
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
        var health = new DeploymentHealth("d", time);
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
        var health = new DeploymentHealth("d", time);
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
        var health = new DeploymentHealth("d", time);
        Assert.True(health.TryEnter(_policy, out _, out _, out _));

        health.Record(_policy, AttemptVerdict.RateLimited, TimeSpan.Zero, TimeSpan.FromSeconds(7), wasProbe: false);
        health.Leave();

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
        var health = new DeploymentHealth("d", time);
        Assert.True(health.TryEnter(_policy, out _, out _, out _));

        health.Record(_policy, AttemptVerdict.RateLimited, TimeSpan.Zero, null, wasProbe: false);
        health.Leave();

        Assert.Equal(_policy.RateLimitCooldown, health.View(_policy).Wait);
        time.Advance(_policy.RateLimitCooldown);
        Assert.Equal(Availability.Available, health.View(_policy).Availability);
    }

    [Fact]
    public void ConcurrencyCap_FullDeploymentRefused_UntilASlotIsLeft()
    {
        var health = new DeploymentHealth("d", new FakeTimeProvider());
        var capped = _policy with { MaxConcurrency = 2 };

        Assert.True(health.TryEnter(capped, out _, out _, out _));
        Assert.True(health.TryEnter(capped, out _, out _, out _));
        Assert.False(health.TryEnter(capped, out var refusal, out _, out _));

        Assert.Equal(Availability.AtCapacity, refusal);
        Assert.Equal(2, health.View(capped).Outstanding);
        health.Leave();
        Assert.True(health.TryEnter(capped, out _, out _, out _));
    }

    [Fact]
    public void RequestsPerMinute_FullMinuteRefusedWithTheWaitUntilTheOldestLeaves()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentHealth("d", time);
        var limited = _policy with { RequestsPerMinute = 3 };

        Succeed(health, limited);
        time.Advance(TimeSpan.FromSeconds(20));
        Succeed(health, limited, 2);
        time.Advance(TimeSpan.FromSeconds(5));

        Assert.False(health.TryEnter(limited, out var refusal, out var wait, out _));
        Assert.Equal(Availability.OverRateLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(35), wait);
        Assert.Equal(Availability.OverRateLimit, health.View(limited).Availability);
        Assert.Equal(0, health.View(limited).Outstanding);
        Assert.Equal(Availability.Available, health.View(_policy).Availability);

        time.Advance(TimeSpan.FromSeconds(34.999));
        Assert.Equal(Availability.OverRateLimit, health.View(limited).Availability);
        time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.True(health.TryEnter(limited, out _, out _, out _));
        health.Leave();

        // The two of second 20 are still in the window: refused until they leave at second 80.
        Assert.False(health.TryEnter(limited, out refusal, out wait, out _));
        Assert.Equal(Availability.OverRateLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(20), wait);
        time.Advance(TimeSpan.FromSeconds(20));
        Succeed(health, limited, 2);
        Assert.False(health.TryEnter(limited, out _, out _, out _));
    }

    [Fact]
    public void RequestsPerMinute_RefusedAttemptsAndOtherDeploymentsDoNotCount()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentHealth("d", time);
        var other = new DeploymentHealth("e", time);
        var limited = _policy with { RequestsPerMinute = 2, MaxConcurrency = 1 };

        Assert.True(health.TryEnter(limited, out _, out _, out _));
        Assert.False(health.TryEnter(limited, out var refusal, out _, out _));
        Assert.Equal(Availability.AtCapacity, refusal);
        health.Leave();
        Succeed(other, limited, 2);

        Assert.True(health.TryEnter(limited, out _, out _, out _));
        health.Leave();
        Assert.False(health.TryEnter(limited, out refusal, out var wait, out _));
        Assert.Equal(Availability.OverRateLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(60), wait);
    }

    [Fact]
    public void TokensPerMinute_EndedRequestsTokensFillTheMinuteThenLeaveIt()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentHealth("d", time);
        var limited = _policy with { TokensPerMinute = 1_000 };

        health.RecordTokens(600);
        time.Advance(TimeSpan.FromSeconds(10));
        health.RecordTokens(399);
        Assert.Equal(Availability.Available, health.View(limited).Availability);
        health.RecordTokens(1);

        Assert.False(health.TryEnter(limited, out var refusal, out var wait, out _));
        Assert.Equal(Availability.OverTokenLimit, refusal);
        Assert.Equal(TimeSpan.FromSeconds(50), wait);
        Assert.Equal(Availability.Available, health.View(_policy).Availability);
        time.Advance(TimeSpan.FromSeconds(50));
        Assert.True(health.TryEnter(limited, out _, out _, out _));
        health.Leave();
        health.RecordTokens(601);
        Assert.Equal(Availability.OverTokenLimit, health.View(limited).Availability);
        Assert.Equal(TimeSpan.FromSeconds(10), health.View(limited).Wait);
    }

    [Fact]
    public void Latency_Ewma_FollowsRecentSuccesses()
    {
        var health = new DeploymentHealth("d", new FakeTimeProvider());

        Succeed(health, _policy, ms: 100);
        Assert.Equal(100, health.View(_policy).LatencyEwmaMs, 3);
        Succeed(health, _policy, ms: 200);

        Assert.Equal(130, health.View(_policy).LatencyEwmaMs, 3);
    }

    [Fact]
    public void ActiveProbe_HealthyClosesAnOpenBreaker_FailingCountsAsFailure()
    {
        var time = new FakeTimeProvider();
        var health = new DeploymentHealth("d", time);
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
        IDeploymentStats stats = states;
        Assert.True(stats.TryGet("kept", out var speed));
        Assert.Equal(new DeploymentSpeed(80, 50), speed);
        Assert.False(stats.TryGet("removed", out _));
    }

    [Fact]
    public void Speed_NoSuccessYet_Unmeasured_RateOnlyFromPositiveSamples()
    {
        var health = new DeploymentHealth("d", new FakeTimeProvider());
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
