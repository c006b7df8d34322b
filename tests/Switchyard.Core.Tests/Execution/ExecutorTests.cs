using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
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

public sealed class ExecutorTests
{
    private static readonly TimeSpan _wait = TimeSpan.FromSeconds(10);

    private static readonly ModelInfo _model = new()
    {
        Name = "m",
        Supports = RequestFeatures.Streaming,
        SupportsEmbeddings = false,
        SupportsChat = true,
        Price = new ModelPrice(1m, 2m, null, null, "test"),
    };

    private static Deployment Deployment(string id, ScriptedAdapter adapter, TrustZone zone = TrustZone.External, ResiliencePolicy? policy = null) => new()
    {
        Id = id,
        ProviderName = adapter.ProviderName,
        ProviderType = "openai",
        UpstreamModel = "m",
        Zone = zone,
        Weight = 1,
        Adapter = adapter,
        Model = _model,
        Resilience = policy ?? new ResiliencePolicy(),
    };

    private static RoutePlan Plan(params Deployment[] deployments) =>
        new("m", false, [.. deployments.Select(d => new RouteCandidate(d, "test"))], [], "test");

    private static readonly CanonicalRequest _request = new() { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = "m" };

    private static readonly CanonicalRequest _streamRequest = new() { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = "m", Stream = true };

    private static Inspect.Inspection Inspect(DataClass dataClass = DataClass.Internal) => new(dataClass, "test", 10, RequestFeatures.None);

    private static Executor Create(FakeTimeProvider time) =>
        new(time, new DeploymentStates(time), new RetryBudget(time), new ScriptedRandomSource(0.5));

    [Fact]
    public async Task Execute_TokensPerMinute_EachAttemptReservesInputPlusMaxOutputAndSettlesToWhatItSpent()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var policy = new ResiliencePolicy { MaxRetries = 1, TokensPerMinute = 10_000, MaxRetryAfter = TimeSpan.FromSeconds(2) };
        var request = _request with { MaxOutputTokens = 200 };
        var reported = Deployment("reported", new ScriptedAdapter(Fails(DispatchStatus.RateLimited, 429, TimeSpan.FromSeconds(1)), OkAfter(time, TimeSpan.Zero, 5)), policy: policy);
        var silent = Deployment("silent", new ScriptedAdapter(Ok()), policy: policy);
        var failed = Deployment("failed", new ScriptedAdapter(Fails(DispatchStatus.UpstreamError, 500)), policy: policy with { MaxRetries = 0 });
        var timedOut = Deployment("timed-out", new ScriptedAdapter(Fails(DispatchStatus.Timeout, 0)), policy: policy with { MaxRetries = 0 });

        var retried = executor.ExecuteAsync(request, Inspect(), Plan(reported), "r1", null, TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => ((DeploymentStates)executor.Slots).Get("reported").RateUsage().Requests == 1 && ((DeploymentStates)executor.Slots).Get("reported").Outstanding == 0);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True((await retried.WaitAsync(_wait, TestContext.Current.CancellationToken)).Result.IsSuccess);
        await executor.ExecuteAsync(request, Inspect(), Plan(silent), "r2", null, TestContext.Current.CancellationToken);
        await executor.ExecuteAsync(request, Inspect(), Plan(failed), "r3", null, TestContext.Current.CancellationToken);
        await executor.ExecuteAsync(request, Inspect(), Plan(timedOut), "r4", null, TestContext.Current.CancellationToken);

        // Reserved 10 (inspection's estimate) + 200 (max_tokens) = 210 per attempt. The 429 settled to 0, the retry to its
        // reported 10 + 5; no usage reported, or a timeout: the reservation stays; a 500 spent nothing.
        Assert.Equal((2, 15), (((DeploymentStates)executor.Slots).Get("reported").RateUsage().Requests, ((DeploymentStates)executor.Slots).Get("reported").RateUsage().Tokens));
        Assert.Equal(210, ((DeploymentStates)executor.Slots).Get("silent").RateUsage().Tokens);
        Assert.Equal(0, ((DeploymentStates)executor.Slots).Get("failed").RateUsage().Tokens);
        Assert.Equal(210, ((DeploymentStates)executor.Slots).Get("timed-out").RateUsage().Tokens);
    }

    [Fact]
    public async Task Execute_TokensPerMinuteWithoutMaxTokens_ReservesTheDefaultOutput()
    {
        var executor = Create(new FakeTimeProvider());
        var d = Deployment("d", new ScriptedAdapter(Hangs()), policy: new ResiliencePolicy { TokensPerMinute = 10_000, MaxRetries = 0 });
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);

        var call = executor.ExecuteAsync(_request, Inspect(), Plan(d), "r1", null, cancel.Token, defaultOutputTokens: 1_000).AsTask();
        await WaitUntilAsync(() => ((DeploymentStates)executor.Slots).Get("d").Outstanding == 1);

        Assert.Equal(1_010, ((DeploymentStates)executor.Slots).Get("d").RateUsage().Tokens);
        await cancel.CancelAsync();
        await call.WaitAsync(_wait, TestContext.Current.CancellationToken);
        Assert.Equal(0, ((DeploymentStates)executor.Slots).Get("d").Outstanding);
    }

    [Fact]
    public async Task Execute_RestrictedRequestWithExternalCandidate_NeverSentThere()
    {
        var external = new ScriptedAdapter(Ok());
        var executor = Create(new FakeTimeProvider());

        var outcome = await executor.ExecuteAsync(_request, Inspect(DataClass.Restricted), Plan(Deployment("ext", external)), "r1", null,
            TestContext.Current.CancellationToken);

        Assert.Equal(0, external.Calls);
        Assert.False(outcome.Result.IsSuccess);
        Assert.Equal(403, outcome.Unavailable!.Status);
        Assert.Equal("Refused:TrustZone", Assert.Single(outcome.Attempts).Status);
    }

    [Fact]
    public async Task Execute_CandidateOutsideTheCallersZones_NeverSentThereAndTheNextServes()
    {
        // The same hard constraints as Route's, caller's allowed zones included: a plan that names a zone the caller
        // may not reach (a bug, or a policy change between planning and sending) never sends there.
        var external = new ScriptedAdapter(Ok());
        var selfHosted = new ScriptedAdapter(Ok());
        var executor = Create(new FakeTimeProvider());
        var caller = new Caller { KeyName = "k", KeyId = "000000000000", AllowedZones = new HashSet<TrustZone> { TrustZone.SelfHosted } };
        var plan = Plan(Deployment("ext", external), Deployment("own", selfHosted, TrustZone.SelfHosted)) with { Caller = caller };

        var outcome = await executor.ExecuteAsync(_request, Inspect(), plan, "r1", null, TestContext.Current.CancellationToken);

        Assert.True(outcome.Result.IsSuccess);
        Assert.Equal((0, 1), (external.Calls, selfHosted.Calls));
        Assert.Equal("Refused:TrustZone", outcome.Attempts[0].Status);
    }

    [Fact]
    public async Task Execute_OnlyCandidate429WithShortRetryAfter_WaitsExactlyThatLongThenRetries()
    {
        var time = new FakeTimeProvider();
        var adapter = new ScriptedAdapter(Fails(DispatchStatus.RateLimited, 429, TimeSpan.FromSeconds(1)), Ok());
        var executor = Create(time);
        var policy = new ResiliencePolicy { MaxRetries = 1, MaxRetryAfter = TimeSpan.FromSeconds(2) };

        var task = executor.ExecuteAsync(_request, Inspect(), Plan(Deployment("d", adapter, policy: policy)), "r1", null, TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => adapter.Calls == 1);
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(50, TestContext.Current.CancellationToken);
        Assert.Equal(1, adapter.Calls);
        time.Advance(TimeSpan.FromMilliseconds(1));
        var outcome = await task.WaitAsync(_wait, TestContext.Current.CancellationToken);

        Assert.True(outcome.Result.IsSuccess);
        Assert.Equal(2, adapter.Calls);
        Assert.Equal(["RateLimited", "Success"], outcome.Attempts.Select(a => a.Status));
    }

    [Fact]
    public async Task Execute_Primary429WithFallback_FallsBackAtOnceAndCoolsPrimaryDown()
    {
        var time = new FakeTimeProvider();
        var primary = new ScriptedAdapter(Fails(DispatchStatus.RateLimited, 429, TimeSpan.FromSeconds(30)));
        var secondary = new ScriptedAdapter(Ok());
        var executor = Create(time);
        var p = Deployment("p", primary);

        var outcome = await executor.ExecuteAsync(_request, Inspect(), Plan(p, Deployment("s", secondary)), "r1", null, TestContext.Current.CancellationToken);

        Assert.Equal("s", outcome.Served!.Deployment.Id);
        Assert.Equal(1, primary.Calls);
        var view = ((DeploymentStates)executor.Slots).View(p);
        Assert.Equal(Availability.CoolingDown, view.Availability);
        Assert.Equal(TimeSpan.FromSeconds(30), view.Wait);
    }

    [Fact]
    public async Task Execute_AllCandidatesRateLimited_Returns429WithShortestRetryAfter()
    {
        var executor = Create(new FakeTimeProvider());
        var a = new ScriptedAdapter(Fails(DispatchStatus.RateLimited, 429, TimeSpan.FromSeconds(20)));
        var b = new ScriptedAdapter(Fails(DispatchStatus.UpstreamError, 500));
        var c = new ScriptedAdapter(Fails(DispatchStatus.RateLimited, 429, TimeSpan.FromSeconds(8)));
        var policy = new ResiliencePolicy { MaxRetries = 0 };

        var outcome = await executor.ExecuteAsync(_request, Inspect(),
            Plan(Deployment("a", a, policy: policy), Deployment("b", b, policy: policy), Deployment("c", c, policy: policy)), "r1", null,
            TestContext.Current.CancellationToken);

        Assert.Equal(DispatchStatus.RateLimited, outcome.Result.Status);
        Assert.Equal(TimeSpan.FromSeconds(8), outcome.Result.RetryAfter);
        Assert.Equal(3, outcome.Attempts.Count);
    }

    [Fact]
    public async Task Execute_AttemptExceedsItsTimeout_ReportsTimeoutNotClientCanceled()
    {
        var time = new FakeTimeProvider();
        var adapter = new ScriptedAdapter(Hangs());
        var executor = Create(time);
        var policy = new ResiliencePolicy { MaxRetries = 0, Timeout = TimeSpan.FromSeconds(3) };

        var task = executor.ExecuteAsync(_request, Inspect(), Plan(Deployment("d", adapter, policy: policy)), "r1", null, TestContext.Current.CancellationToken).AsTask();
        await WaitUntilAsync(() => adapter.Calls == 1);
        time.Advance(TimeSpan.FromSeconds(3));
        var outcome = await task.WaitAsync(_wait, TestContext.Current.CancellationToken);

        Assert.Equal(DispatchStatus.Timeout, outcome.Result.Status);
        Assert.Contains("timeout", outcome.Result.SafeMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_ClientCancels_UpstreamCallCancelledAtOnceAndNotRetried()
    {
        var adapter = new ScriptedAdapter(Hangs());
        var executor = Create(new FakeTimeProvider());
        using var client = new CancellationTokenSource();

        var task = executor.ExecuteAsync(_request, Inspect(), Plan(Deployment("d", adapter), Deployment("e", new ScriptedAdapter(Ok()))), "r1", null, client.Token).AsTask();
        await WaitUntilAsync(() => adapter.Calls == 1);
        await client.CancelAsync();
        var outcome = await task.WaitAsync(_wait, TestContext.Current.CancellationToken);

        Assert.True(adapter.LastToken.IsCancellationRequested);
        Assert.Equal(DispatchStatus.ClientCanceled, outcome.Result.Status);
        Assert.Single(outcome.Attempts);
    }

    [Fact]
    public async Task Execute_RetryBudgetExhausted_DoesNotRetry()
    {
        var adapter = new ScriptedAdapter(Fails(DispatchStatus.UpstreamError, 500), Ok());
        var executor = Create(new FakeTimeProvider());
        var none = new RetryBudgetSettings { Ratio = 0, MinRetries = 0 };

        var outcome = await executor.ExecuteAsync(_request, Inspect(), Plan(Deployment("d", adapter)), "r1", none, TestContext.Current.CancellationToken);

        Assert.Equal(1, adapter.Calls);
        Assert.Equal(DispatchStatus.UpstreamError, outcome.Result.Status);
        Assert.Equal(1, executor.Budget.Refused);
    }

    [Fact]
    public async Task Execute_BreakerOpen_CandidateSkippedWith503NamingTheReason()
    {
        var adapter = new ScriptedAdapter(Fails(DispatchStatus.ConnectFailed, 0));
        var executor = Create(new FakeTimeProvider());
        var policy = new ResiliencePolicy { MaxRetries = 0, BreakerConsecutiveFailures = 2 };
        var d = Deployment("d", adapter, policy: policy);
        for (var i = 0; i < 2; i++)
        {
            await executor.ExecuteAsync(_request, Inspect(), Plan(d), "r" + i, null, TestContext.Current.CancellationToken);
        }

        var outcome = await executor.ExecuteAsync(_request, Inspect(), Plan(d), "r3", null, TestContext.Current.CancellationToken);

        Assert.Equal(2, adapter.Calls);
        Assert.Equal(503, outcome.Unavailable!.Status);
        Assert.Contains("d: circuit open", outcome.Unavailable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_WholeResponse_FeedsTheSpeedTheFastestObjectiveReads()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var d = Deployment("d", new ScriptedAdapter(OkAfter(time, TimeSpan.FromMilliseconds(200), 100), OkAfter(time, TimeSpan.FromMilliseconds(400), 100)));
        IDeploymentStates stats = ((DeploymentStates)executor.Slots);
        Assert.False(stats.TryGetSpeed("d", out _));

        await executor.ExecuteAsync(_request, Inspect(), Plan(d), "r1", null, TestContext.Current.CancellationToken);
        Assert.True(stats.TryGetSpeed("d", out var first));
        await executor.ExecuteAsync(_request, Inspect(), Plan(d), "r2", null, TestContext.Current.CancellationToken);
        Assert.True(stats.TryGetSpeed("d", out var second));

        // 100 tokens over 200 ms, then over 400 ms: 500 then 250 tok/s; both averages weigh the newest sample 0.3.
        Assert.Equal(new DeploymentSpeed(200, 500), first);
        Assert.Equal(260, second.TimeToFirstTokenMs, 6);
        Assert.Equal(425, second.TokensPerSecond, 6);
        Assert.Equal(second.TimeToFirstTokenMs, ((DeploymentStates)executor.Slots).View(d).LatencyEwmaMs);
    }

    [Fact]
    public async Task Execute_StreamRunToItsEnd_RateIsTokensOverTheEventsAfterTheFirst()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var stream = new ScriptedStream(time, TimeSpan.FromMilliseconds(40), events: 4, new Usage(10, 24));
        var d = Deployment("d", new ScriptedAdapter(_ =>
        {
            time.Advance(TimeSpan.FromMilliseconds(60));
            return Task.FromResult(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = 200, Stream = stream });
        }));
        IDeploymentStates stats = ((DeploymentStates)executor.Slots);

        var outcome = await executor.ExecuteAsync(_streamRequest, Inspect(), Plan(d), "r1", null, TestContext.Current.CancellationToken);
        Assert.True(outcome.StreamPrimed);
        Assert.True(stats.TryGetSpeed("d", out var primed));
        await using (var relayed = outcome.Result.Stream!)
        {
            while (await relayed.ReadAsync(TestContext.Current.CancellationToken) && !relayed.Current.IsDone)
            {
            }
        }

        Assert.True(stats.TryGetSpeed("d", out var ended));
        Assert.True(stream.Disposed);
        // Time to first token: 60 ms to the headers + 40 ms to the first event. Rate: 24 tokens over the three later events' 120 ms.
        Assert.Equal(new DeploymentSpeed(100, 0), primed);
        Assert.Equal(new DeploymentSpeed(100, 200), ended);
    }

    [Fact]
    public async Task Execute_StreamLeftBeforeItsEnd_AddsNoRate()
    {
        var time = new FakeTimeProvider();
        var executor = Create(time);
        var d = Deployment("d", new ScriptedAdapter(_ => Task.FromResult(new UpstreamResult
        {
            Status = DispatchStatus.Success,
            UpstreamStatusCode = 200,
            Stream = new ScriptedStream(time, TimeSpan.FromMilliseconds(40), events: 4, new Usage(10, 24)),
        })));
        IDeploymentStates stats = ((DeploymentStates)executor.Slots);

        var outcome = await executor.ExecuteAsync(_streamRequest, Inspect(), Plan(d), "r1", null, TestContext.Current.CancellationToken);
        await using (var relayed = outcome.Result.Stream!)
        {
            // The client leaves after the second event.
            Assert.True(await relayed.ReadAsync(TestContext.Current.CancellationToken));
        }

        Assert.True(stats.TryGetSpeed("d", out var speed));
        Assert.Equal(new DeploymentSpeed(40, 0), speed);
        Assert.Equal(0, ((DeploymentStates)executor.Slots).Get("d").Outstanding);
    }
}
