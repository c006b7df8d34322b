using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Pricing;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Testing;
using Xunit;
using static Switchyard.Core.Tests.Execution.Steps;

namespace Switchyard.Core.Tests.Execution;

/// <summary>
/// Issue 13: resilience that knows what fallbacks cost (defect 12) and what to do when a rate-limited deployment has no
/// alternative (defect 11). A cheap primary's transient failure is retried before escalating to a dearer candidate; a
/// cool-down is waited out or probed when nothing as cheap is left.
/// </summary>
public sealed class CostAwareExecutionTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    private static readonly ResiliencePolicy _policy = new()
    {
        MaxRetries = 1,
        RetryBaseDelay = TimeSpan.Zero,
        RetryMaxDelay = TimeSpan.Zero,
        MaxRetryAfter = TimeSpan.FromSeconds(2),
        RateLimitProbeInterval = TimeSpan.FromSeconds(1),
    };

    private static ModelInfo Model(string name, decimal input, decimal output) => new()
    {
        Name = name,
        Supports = RequestFeatures.Streaming,
        SupportsEmbeddings = false,
        SupportsChat = true,
        Price = new ModelPrice(input, output, null, null, "test"),
    };

    private static readonly ModelInfo _cheap = Model("cheap", 0.1m, 0.2m);
    private static readonly ModelInfo _dear = Model("dear", 2.5m, 10m);

    private static Deployment Deployment(string id, ModelInfo model, ScriptedAdapter adapter, ResiliencePolicy? policy = null) => new()
    {
        Id = id,
        ProviderName = adapter.ProviderName,
        ProviderType = "openai",
        UpstreamModel = model.Name,
        Zone = TrustZone.External,
        Weight = 1,
        Adapter = adapter,
        Model = model,
        Resilience = policy ?? _policy,
    };

    private static RoutePlan Plan(params Deployment[] deployments) =>
        new("alias", true, [.. deployments.Select(d => new RouteCandidate(d, "test"))], [], "test");

    private static readonly CanonicalRequest _request = new() { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = "alias" };

    private static readonly Inspect.Inspection _inspection = new(DataClass.Internal, "test", 10, RequestFeatures.None);

    private static Executor Create(FakeTimeProvider time) =>
        new(time, new DeploymentStates(time), new RetryBudget(time), new ScriptedRandomSource(0.5));

    private static Task<Outcome> RunAsync(Executor executor, RoutePlan plan) =>
        executor.ExecuteAsync(_request, _inspection, plan, "r1", null, TestContext.Current.CancellationToken).AsTask();

    [Fact]
    public async Task Execute_CheapPrimaryFailsOnceDearFallbackNext_RetriesTheCheapOneBeforeEscalating()
    {
        var cheap = new ScriptedAdapter(Fails(DispatchStatus.UpstreamError, 503), Ok());
        var dear = new ScriptedAdapter(Ok());

        var outcome = await RunAsync(Create(new FakeTimeProvider()), Plan(Deployment("cheap", _cheap, cheap), Deployment("dear", _dear, dear)));

        Assert.Equal("cheap", outcome.Served!.Deployment.Id);
        Assert.Equal(0, dear.Calls);
        Assert.Equal(["UpstreamError", "Success"], outcome.Attempts.Select(a => a.Status));
        Assert.Null(outcome.FallbackExtraCost(new Usage(1000, 500)));
    }

    [Fact]
    public async Task Execute_FallbackAsCheap_FallsBackAtOnceWithoutRetrying()
    {
        var first = new ScriptedAdapter(Fails(DispatchStatus.UpstreamError, 503), Ok());
        var second = new ScriptedAdapter(Ok());

        var outcome = await RunAsync(Create(new FakeTimeProvider()), Plan(Deployment("a", _cheap, first), Deployment("b", _cheap, second)));

        Assert.Equal("b", outcome.Served!.Deployment.Id);
        Assert.Equal(1, first.Calls);
        Assert.Equal(0m, outcome.FallbackExtraCost(new Usage(1000, 500)));
    }

    [Fact]
    public async Task Execute_CheapPrimaryKeepsFailing_EscalatesAfterItsRetriesAndTheLedgerSeesTheExtraCost()
    {
        var cheap = new ScriptedAdapter(Fails(DispatchStatus.Timeout, 0));
        var dear = new ScriptedAdapter(Ok());

        var outcome = await RunAsync(Create(new FakeTimeProvider()), Plan(Deployment("cheap", _cheap, cheap), Deployment("dear", _dear, dear)));

        Assert.Equal("dear", outcome.Served!.Deployment.Id);
        Assert.Equal(2, cheap.Calls);
        // 1,000 in + 500 out: $0.0075 on the dear model against $0.0002 on the cheap one.
        Assert.Equal(0.0073m, outcome.FallbackExtraCost(new Usage(1000, 500)));
        Assert.Equal("model cheap pinned; fell back to dear after cheap: timeout (2 tries)",
            RouteStory.Tell(Plan(Deployment("cheap", _cheap, cheap)) with { Summary = "model cheap pinned" }, outcome));
    }

    [Fact]
    public async Task Execute_CheapPrimary429WithShortRetryAfter_SitsItOutInsteadOfEscalating()
    {
        var time = new FakeTimeProvider();
        var cheap = new ScriptedAdapter(Fails(DispatchStatus.RateLimited, 429, TimeSpan.FromSeconds(1)), Ok());
        var dear = new ScriptedAdapter(Ok());

        var task = RunAsync(Create(time), Plan(Deployment("cheap", _cheap, cheap), Deployment("dear", _dear, dear)));
        await WaitUntilAsync(() => cheap.Calls == 1 && time.PendingTimers == 1);
        time.Advance(TimeSpan.FromSeconds(1));
        var outcome = await task.WaitAsync(_wait, TestContext.Current.CancellationToken);

        Assert.Equal("cheap", outcome.Served!.Deployment.Id);
        Assert.Equal(0, dear.Calls);
    }

    [Fact]
    public async Task Execute_OnlyCandidateCoolingDownBriefly_WaitsItOutThenSends()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var adapter = new ScriptedAdapter(Ok());
        var d = Deployment("d", _cheap, adapter);
        CoolDown(executor, d, TimeSpan.FromMilliseconds(800));

        var task = RunAsync(executor, Plan(d));
        await WaitUntilAsync(() => time.PendingTimers == 1);
        Assert.Equal(0, adapter.Calls);
        time.Advance(TimeSpan.FromMilliseconds(800));
        var outcome = await task.WaitAsync(_wait, TestContext.Current.CancellationToken);

        Assert.True(outcome.Result.IsSuccess);
        Assert.Equal(["Waited:CoolingDown", "Success"], outcome.Attempts.Select(a => a.Status));
        Assert.Equal(800, outcome.Attempts[0].DurationMs);
        Assert.Equal("test; served by d after waiting 800ms for its rate-limit cool-down", RouteStory.Tell(Plan(d), outcome));
    }

    [Fact]
    public async Task Execute_OnlyCandidateCoolingDownLong_OneProbePerIntervalTheRest429WithTheWaitUntilTheNext()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var adapter = new ScriptedAdapter(Ok());
        var d = Deployment("d", _cheap, adapter);
        CoolDown(executor, d, TimeSpan.FromSeconds(30));

        var refused = await RunAsync(executor, Plan(d));
        time.Advance(TimeSpan.FromSeconds(1));
        var probe = await RunAsync(executor, Plan(d));
        var after = await RunAsync(executor, Plan(d));

        Assert.Equal(429, refused.Unavailable!.Status);
        Assert.Equal(TimeSpan.FromSeconds(1), refused.Unavailable.RetryAfter);
        Assert.True(probe.Result.IsSuccess);
        // The probe's success ended the cool-down: traffic flows again at once.
        Assert.True(after.Result.IsSuccess);
        Assert.Equal(2, adapter.Calls);
    }

    [Fact]
    public async Task Execute_CheapCoolingDownLongDearAvailable_ProbesTheCheapOneThenEscalatesWhileTheProbeIsOut()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var release = new TaskCompletionSource<UpstreamResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        var cheap = new ScriptedAdapter(_ => release.Task);
        var dear = new ScriptedAdapter(Ok());
        var plan = Plan(Deployment("cheap", _cheap, cheap), Deployment("dear", _dear, dear));
        CoolDown(executor, plan.Candidates[0].Deployment, TimeSpan.FromSeconds(30));
        time.Advance(TimeSpan.FromSeconds(1));

        var probing = RunAsync(executor, plan);
        await WaitUntilAsync(() => cheap.Calls == 1);
        var meanwhile = await RunAsync(executor, plan);
        release.SetResult(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = 200, Body = "{}"u8.ToArray() });
        var probed = await probing.WaitAsync(_wait, TestContext.Current.CancellationToken);

        Assert.Equal("cheap", probed.Served!.Deployment.Id);
        Assert.Equal("dear", meanwhile.Served!.Deployment.Id);
        Assert.Equal(["Skipped:CoolingDown", "Success"], meanwhile.Attempts.Select(a => a.Status));
    }

    /// <summary>The deployment answered a 429 asking for <paramref name="retryAfter"/>.</summary>
    private static void CoolDown(Executor executor, Deployment deployment, TimeSpan retryAfter)
    {
        var health = ((DeploymentStates)executor.Slots).Get(deployment.Id);
        Assert.True(health.TryEnter(deployment.Resilience, 0, out _, out _, out _, out var reservation));
        health.Record(deployment.Resilience, AttemptVerdict.RateLimited, TimeSpan.Zero, retryAfter, false);
        health.Leave(reservation, null);
    }
}
