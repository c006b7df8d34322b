using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Routing;

/// <summary>The Router with live deployment state passed in: exclusions for open/cooling/capped deployments and load balancing.</summary>
public sealed class RouterResilienceTests
{
    private static readonly Caller _caller = new() { KeyName = "test", KeyId = "000000000000" };
    private static readonly ResiliencePolicy _policy = new() { BreakerConsecutiveFailures = 1, BreakDuration = TimeSpan.FromSeconds(30), MaxConcurrency = 1 };

    private static RouteTable Table(LoadBalancing loadBalancing, params string[] ids) => Table(loadBalancing, _policy, ids);

    private static RouteTable Table(LoadBalancing loadBalancing, ResiliencePolicy policy, params string[] ids)
    {
        var deployments = ids.Select(id => new DeploymentConfig { Id = id, Provider = "p", Model = "m" }).ToList();
        return new RouteTableCompiler([new InertAdapterFactory()], new FakeTimeProvider(), static _ => null).Compile(new GatewayConfig
        {
            Providers = [new ProviderConfig { Name = "p", Type = "inert" }],
            Models = [new ModelConfig { Name = "m", Price = new PriceOverride(1m, 1m, null, null) }],
            Deployments = deployments,
            Resilience = new ResilienceConfig
            {
                Defaults = policy,
                Models = new Dictionary<string, LoadBalancing> { ["m"] = loadBalancing },
            },
        });
    }

    private static readonly CanonicalRequest _request = new() { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = "m" };
    private static readonly Inspect.Inspection _inspection = new(DataClass.Internal, "test", 10, RequestFeatures.None);

    private static void Open(DeploymentStates states, string id)
    {
        var h = states.Get(id);
        Assert.True(h.TryEnter(_policy, 0, out _, out _, out _, out _));
        h.Record(_policy, AttemptVerdict.Failure, TimeSpan.Zero, null, false);
        h.Leave(default, null);
    }

    private static void RateLimit(DeploymentStates states, string id, TimeSpan retryAfter)
    {
        var h = states.Get(id);
        Assert.True(h.TryEnter(_policy, 0, out _, out _, out _, out _));
        h.Record(_policy, AttemptVerdict.RateLimited, TimeSpan.Zero, retryAfter, false);
        h.Leave(default, null);
    }

    [Fact]
    public void Plan_OpenBreaker_DeploymentExcludedImmediately()
    {
        var states = new DeploymentStates(new FakeTimeProvider());
        var table = Table(LoadBalancing.Weighted, "a", "b");
        Open(states, "a");

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table, states);

        Assert.Null(error);
        Assert.Equal(["b"], plan!.Candidates.Select(c => c.Deployment.Id));
        Assert.Contains(plan.Exclusions, e => e.DeploymentId == "a" && e.Kind == ExclusionKind.CircuitOpen);
    }

    [Fact]
    public void Plan_SingleDeploymentOpen_503NamingTheReason()
    {
        var states = new DeploymentStates(new FakeTimeProvider());
        var table = Table(LoadBalancing.Weighted, "only");
        Open(states, "only");

        var (_, error) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table, states);

        Assert.Equal(503, error!.Status);
        Assert.Equal("no_deployment_available", error.Code);
        Assert.Contains("only: circuit open", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_EveryDeploymentCoolingDown_PlansTheOneWithTheShortestCooldownAsTheLastResort()
    {
        var time = new FakeTimeProvider();
        var states = new DeploymentStates(time);
        var table = Table(LoadBalancing.Weighted, "a", "b");
        RateLimit(states, "a", TimeSpan.FromSeconds(12));
        RateLimit(states, "b", TimeSpan.FromSeconds(5));
        time.Advance(TimeSpan.FromSeconds(1));

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table, states);

        // Nothing else could serve: Execute waits out b's 4 s or probes it (429 with that wait when it can do neither).
        Assert.Null(error);
        var only = Assert.Single(plan!.Candidates);
        Assert.Equal("b", only.Deployment.Id);
        Assert.Equal("model m pinned, cooling down after a 429 (4s left), nothing as cheap available", only.Reason);
        var excluded = Assert.Single(plan.Exclusions);
        Assert.Equal(("a", ExclusionKind.CoolingDown, TimeSpan.FromSeconds(11)), (excluded.DeploymentId, excluded.Kind, excluded.Wait));
    }

    [Fact]
    public void Plan_CoolingDeploymentAndOneAsCheapAvailable_CoolingOneSkipped()
    {
        var time = new FakeTimeProvider();
        var states = new DeploymentStates(time);
        var table = Table(LoadBalancing.Weighted, "a", "b");
        RateLimit(states, "a", TimeSpan.FromSeconds(12));

        var (plan, _) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table, states);

        Assert.Equal(["b"], plan!.Candidates.Select(c => c.Deployment.Id));
        Assert.Equal("model m pinned", plan.Candidates[0].Reason);
        Assert.Contains(plan.Exclusions, e => e.DeploymentId == "a" && e.Kind == ExclusionKind.CoolingDown);
    }

    [Fact]
    public void Plan_DeploymentAtItsCap_SkippedNotQueued()
    {
        var states = new DeploymentStates(new FakeTimeProvider());
        var table = Table(LoadBalancing.Weighted, "a", "b");
        Assert.True(states.Get("a").TryEnter(_policy, 0, out _, out _, out _, out _));

        var (plan, _) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table, states);

        Assert.Equal(["b"], plan!.Candidates.Select(c => c.Deployment.Id));
        Assert.Contains(plan.Exclusions, e => e.DeploymentId == "a" && e.Kind == ExclusionKind.AtCapacity);
    }

    [Fact]
    public void Plan_DeploymentOverItsRequestsPerMinute_SkippedThen429WithTheWaitWhenNoneIsLeft()
    {
        var time = new FakeTimeProvider();
        var states = new DeploymentStates(time);
        var limited = _policy with { RequestsPerMinute = 1 };
        var table = Table(LoadBalancing.Weighted, limited, "a", "b");
        var router = new Router(new SeededRandomSource(1));
        Assert.True(states.Get("a").TryEnter(limited, 0, out _, out _, out _, out _));
        states.Get("a").Leave(default, null);

        var (plan, error) = router.Plan(_request, _caller, _inspection, table, states);

        Assert.Null(error);
        Assert.Equal(["b"], plan!.Candidates.Select(c => c.Deployment.Id));
        var excluded = Assert.Single(plan.Exclusions);
        Assert.Equal(("a", ExclusionKind.OverRateLimit), (excluded.DeploymentId, excluded.Kind));
        Assert.Equal("over its requests-per-minute limit, next slot in 60s", excluded.Reason);

        time.Advance(TimeSpan.FromSeconds(15));
        Assert.True(states.Get("b").TryEnter(limited, 0, out _, out _, out _, out _));
        states.Get("b").Leave(default, null);
        (_, error) = router.Plan(_request, _caller, _inspection, table, states);

        Assert.Equal(429, error!.Status);
        Assert.Equal("rate_limit_exceeded", error.Code);
        Assert.Equal(TimeSpan.FromSeconds(45), error.RetryAfter);
        Assert.Contains("a: over its requests-per-minute limit", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Real deployment states, with something happening right after the router's first read (a race made certain).</summary>
    private sealed class AfterFirstRead(DeploymentStates inner, Action then) : IDeploymentStates
    {
        private int _reads;

        public bool TryGetSpeed(string deploymentId, out DeploymentSpeed speed) => inner.TryGetSpeed(deploymentId, out speed);

        public DeploymentView View(Deployment deployment)
        {
            var view = inner.View(deployment);
            if (++_reads == 1)
            {
                then();
            }

            return view;
        }
    }

    [Fact]
    public void Plan_OnlyDeploymentFreedRightAfterItWasLeftOut_429StillCarriesTheWaitReadThen()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 50, TimeSpan.Zero));
        var states = new DeploymentStates(time);
        var limited = _policy with { RequestsPerMinute = 1 };
        var table = Table(LoadBalancing.Weighted, limited, "a");
        Assert.True(states.Get("a").TryEnter(limited, 0, out _, out _, out _, out var reservation));
        states.Get("a").Leave(reservation, null);

        // The minute turns (or another replica's exchange renews the share) between the router's read and its answer.
        var (_, error) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table,
            new AfterFirstRead(states, () => time.Advance(TimeSpan.FromSeconds(10))));

        Assert.Equal(429, error!.Status);
        Assert.Equal(TimeSpan.FromSeconds(10), error.RetryAfter);
    }

    [Fact]
    public void Plan_DeploymentOverItsTokensPerMinute_SkippedWithTheReason()
    {
        var states = new DeploymentStates(new FakeTimeProvider());
        var limited = _policy with { TokensPerMinute = 100 };
        var table = Table(LoadBalancing.Weighted, limited, "a", "b");
        // A request of 100 estimated tokens that ended without reported usage: its reservation stays.
        Assert.True(states.Get("b").TryEnter(limited, 100, out _, out _, out _, out var reservation));
        states.Get("b").Leave(reservation, null);

        var (plan, error) = new Router(new SeededRandomSource(1)).Plan(_request, _caller, _inspection, table, states);

        Assert.Null(error);
        Assert.Equal(["a"], plan!.Candidates.Select(c => c.Deployment.Id));
        var excluded = Assert.Single(plan.Exclusions);
        Assert.Equal(("b", ExclusionKind.OverRateLimit, "over its tokens-per-minute limit, next tokens in 60s"), (excluded.DeploymentId, excluded.Kind, excluded.Reason));
    }

    [Fact]
    public void Plan_LeastOutstanding_LeastLoadedFirstWhateverTheRandomOrder()
    {
        var states = new DeploymentStates(new FakeTimeProvider());
        var table = Table(LoadBalancing.LeastOutstanding, "a", "b", "c");
        var uncapped = _policy with { MaxConcurrency = null };
        for (var i = 0; i < 3; i++)
        {
            states.Get("a").TryEnter(uncapped, 0, out _, out _, out _, out _);
        }

        states.Get("c").TryEnter(uncapped, 0, out _, out _, out _, out _);
        var router = new Router(new SeededRandomSource(7));

        for (var i = 0; i < 50; i++)
        {
            var (plan, _) = router.Plan(_request, _caller, _inspection, table, new UncappedView(states));
            Assert.Equal(["b", "c", "a"], plan!.Candidates.Select(c => c.Deployment.Id));
        }
    }

    [Fact]
    public void Plan_PowerOfTwoChoices_LowerLatencyOfTheTwoGoesFirst()
    {
        var states = new DeploymentStates(new FakeTimeProvider());
        var table = Table(LoadBalancing.PowerOfTwoLatency, "slow", "fast");
        Record(states, "slow", 400);
        Record(states, "fast", 40);
        var router = new Router(new SeededRandomSource(3));

        for (var i = 0; i < 50; i++)
        {
            var (plan, _) = router.Plan(_request, _caller, _inspection, table, states);
            Assert.Equal(["fast", "slow"], plan!.Candidates.Select(c => c.Deployment.Id));
        }
    }

    private static void Record(DeploymentStates states, string id, double ms)
    {
        var h = states.Get(id);
        Assert.True(h.TryEnter(_policy, 0, out _, out _, out _, out _));
        h.Record(_policy, AttemptVerdict.Success, TimeSpan.FromMilliseconds(ms), null, false);
        h.Leave(default, null);
    }

    /// <summary>The same live state, read without the cap (so loads above 1 stay routable in this test).</summary>
    private sealed class UncappedView(DeploymentStates states) : IDeploymentStates
    {
        public DeploymentView View(Deployment deployment) =>
            states.TryGet(deployment.Id, out var h) ? h!.View(deployment.Resilience with { MaxConcurrency = null }) : DeploymentView.Idle;

        public bool TryGetSpeed(string deploymentId, out DeploymentSpeed speed) => states.TryGetSpeed(deploymentId, out speed);
    }
}
