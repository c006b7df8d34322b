using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Resilience;

/// <summary>Breakers, probes, health endpoint and truthful errors, through HTTP against fake upstreams on loopback.</summary>
public sealed class ResilienceEndpointTests
{
    private const string AdminKey = "admin-" + "resilience-test";
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";
    private const string Server = "  admin_key_env: ADMIN_KEY";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> Env => new(TestConfig.Keys) { ["ADMIN_KEY"] = AdminKey };

    private static string Resilience(string deployment = "") => $"""
        resilience:
          defaults:
            max_retries: 0
            breaker: {"{"} consecutive_failures: 2, break_duration: 60s {"}"}
        {deployment}
        """;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<JsonNode> HealthAsync(HttpClient client, string? key = AdminKey, HttpStatusCode expected = HttpStatusCode.OK)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, "/admin/health/deployments");
        if (key is not null)
        {
            message.Headers.Authorization = new("Bearer", key);
        }

        using var response = await client.SendAsync(message, Ct);
        Assert.Equal(expected, response.StatusCode);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    private static JsonNode Deployment(JsonNode health, string id) =>
        health["deployments"]!.AsArray().Single(d => d!["id"]!.GetValue<string>() == id)!;

    [Fact]
    public async Task Breaker_SingleDeploymentOpens_Fast503NamingTheReasonAndHealthEndpointShowsIt()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom", "server_error"));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: Server, extra: Resilience()), Env);
        using var client = app.CreateClient();

        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
            Assert.Equal(HttpStatusCode.BadGateway, failed.StatusCode);
        }

        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no_deployment_available", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains("primary-mini: circuit open", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, upstream.Received.Count);
        await HealthAsync(client, key: null, expected: HttpStatusCode.Unauthorized);
        var mini = Deployment(await HealthAsync(client), "primary-mini");
        Assert.Equal("open", mini["breaker"]!.GetValue<string>());
        Assert.Equal("circuit_open", mini["availability"]!.GetValue<string>());
        Assert.Equal(2, mini["failures"]!.GetValue<long>());
        Assert.Equal("closed", Deployment(await HealthAsync(client), "primary-embed")["breaker"]!.GetValue<string>());
    }

    [Fact]
    public async Task Breaker_Open_AnthropicClientGetsItsOverloadedErrorNamingTheReason()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(503, "overloaded", "server_error"));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: Server, extra: Resilience()), Env);
        using var client = app.CreateClient();
        const string Message = """{"model":"gpt-4o-mini","max_tokens":32,"messages":[{"role":"user","content":"Hi"}]}""";
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.PostAsync("/v1/messages", Json(Message), Ct);
            await failed.Content.ReadAsStringAsync(Ct);
        }

        using var response = await client.PostAsync("/v1/messages", Json(Message), Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        // Anthropic's own word for "no capacity" is 529 overloaded_error (AnthropicEgress maps the gateway's 503).
        Assert.Equal((HttpStatusCode)529, response.StatusCode);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("overloaded_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Contains("circuit open", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, upstream.Received.Count);
    }

    [Fact]
    public async Task Reload_BreakerStateKeptForDeploymentsThatStillExist()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom", "server_error"));
        var config = TestConfig.OpenAI(upstream.BaseUrl, server: Server, extra: Resilience());
        await using var app = await SwitchyardAppFactory.StartAsync(config, Env);
        using var client = app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        }

        var generation = (await HealthAsync(client))["generation"]!.GetValue<int>();
        await File.WriteAllTextAsync(app.ConfigPath, config.Replace("  auto:\n", "  fast:\n    targets:\n      - model: gpt-4o-mini\n  auto:\n", StringComparison.Ordinal), Ct);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonNode health;
        do
        {
            await Task.Delay(50, Ct);
            health = await HealthAsync(client);
        }
        while (health["generation"]!.GetValue<int>() == generation && DateTime.UtcNow < deadline);

        Assert.NotEqual(generation, health["generation"]!.GetValue<int>());
        Assert.Equal("open", Deployment(health, "primary-mini")["breaker"]!.GetValue<string>());
        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat.Replace("gpt-4o-mini", "fast", StringComparison.Ordinal)), Ct);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(2, upstream.Received.Count);
    }

    [Fact]
    public async Task ActiveProbe_UpstreamRecovers_BreakerClosesBeforeItsBreakDuration()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom", "server_error"));
        var extra = Resilience("""
              deployments:
                primary-mini: { probe_interval: 200ms }
            """);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: Server, extra: extra), Env);
        using var client = app.CreateClient();
        for (var i = 0; i < 2; i++)
        {
            using var failed = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        }

        // Recovered: the default handler answers chats and GET /models.
        upstream.Handler = null;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        JsonNode mini;
        do
        {
            await Task.Delay(50, Ct);
            mini = Deployment(await HealthAsync(client), "primary-mini");
        }
        while (mini["breaker"]!.GetValue<string>() != "closed" && DateTime.UtcNow < deadline);

        Assert.Equal("closed", mini["breaker"]!.GetValue<string>());
        Assert.True(mini["last_probe_healthy"]!.GetValue<bool>());
        Assert.Contains(upstream.Received, r => r.Path.EndsWith("/models", StringComparison.Ordinal));
        using var response = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task RateLimit_OnlyCandidate429_GatewayAnswers429UntilTheNextProbeWhoseSuccessLiftsTheCoolDown()
    {
        // Issue 13, defect 11: one 429 asking for 30 s used to refuse every request for 30 s without asking again.
        var calls = 0;
        var limited = FakeUpstream.Error(429, "slow down", "requests", "rate_limit_exceeded", ("retry-after", "30"));
        await using var upstream = await FakeUpstream.StartAsync((context, request) => Interlocked.Increment(ref calls) == 1
            ? limited(context, request)
            : FakeUpstream.WriteJsonAsync(context, OpenAIWire.Completion("gpt-4o-mini", "back")));
        var extra = Resilience("""
              deployments:
                primary-mini: { rate_limit_probe_interval: 300ms }
            """);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: Server, extra: extra), Env);
        using var client = app.CreateClient();
        using var first = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);

        using var second = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, first.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(30), first.Headers.RetryAfter!.Delta);
        // Refused by the gateway without asking, told to come back when the next probe may go.
        Assert.Equal(HttpStatusCode.TooManyRequests, second.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), second.Headers.RetryAfter!.Delta);
        Assert.InRange(int.Parse(second.Headers.GetValues("retry-after-ms").Single(), System.Globalization.CultureInfo.InvariantCulture), 1, 300);
        Assert.Single(upstream.Received);
        Assert.Equal("cooling_down", Deployment(await HealthAsync(client), "primary-mini")["availability"]!.GetValue<string>());

        // Well within the 30 s: one request goes through as the probe, is served, and ends the cool-down.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        HttpStatusCode status;
        do
        {
            await Task.Delay(50, Ct);
            using var attempt = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
            status = attempt.StatusCode;
        }
        while (status == HttpStatusCode.TooManyRequests && DateTime.UtcNow < deadline);

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, upstream.Received.Count);
        Assert.Equal("available", Deployment(await HealthAsync(client), "primary-mini")["availability"]!.GetValue<string>());
        using var after = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task RequestsPerMinute_PrimaryFull_FallsBackThen429WithRetryAfterWhenEveryDeploymentIsFull()
    {
        await MinuteWindow.EnsureAsync(TimeSpan.FromSeconds(10), Ct);
        await using var primary = await FakeUpstream.StartAsync();
        await using var secondary = await FakeUpstream.StartAsync();
        var extra = Resilience("""
              deployments:
                primary-mini: { requests_per_minute: 2 }
                secondary-mini: { requests_per_minute: 1 }
            """);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, server: Server, extra: extra), Env);
        using var client = app.CreateClient();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
            statuses.Add(ok.StatusCode);
        }

        using var refused = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        var body = JsonNode.Parse(await refused.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK], statuses);
        Assert.Equal(2, primary.Received.Count);
        Assert.Single(secondary.Received);
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.InRange(refused.Headers.RetryAfter!.Delta!.Value.TotalSeconds, 1, 60);
        Assert.Equal("rate_limit_exceeded", body["error"]!["code"]!.GetValue<string>());
        var message = body["error"]!["message"]!.GetValue<string>();
        Assert.Contains("primary-mini: over its requests-per-minute limit", message, StringComparison.Ordinal);
        Assert.Contains("secondary-mini: over its requests-per-minute limit", message, StringComparison.Ordinal);
        var health = Deployment(await HealthAsync(client), "primary-mini");
        Assert.Equal("over_rate_limit", health["availability"]!.GetValue<string>());
        Assert.Equal(2, health["requests_per_minute"]!.GetValue<int>());
    }

    [Fact]
    public async Task TokensPerMinute_PrimaryUsedItsTokens_NextRequestServedByTheFallback()
    {
        await MinuteWindow.EnsureAsync(TimeSpan.FromSeconds(10), Ct);
        await using var primary = await FakeUpstream.StartAsync();
        await using var secondary = await FakeUpstream.StartAsync();
        var extra = Resilience("""
              deployments:
                primary-mini: { tokens_per_minute: 10 }
            """);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, server: Server, extra: extra), Env);
        using var client = app.CreateClient();
        using var first = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);

        // The tokens are counted when the request ends (with its ledger record), just after the answer is written.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (Deployment(await HealthAsync(client), "primary-mini")["availability"]!.GetValue<string>() != "over_token_limit" && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        using var second = await client.PostAsync("/v1/chat/completions", Json(Chat), Ct);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Single(primary.Received);
        Assert.Single(secondary.Received);
        Assert.Equal(10, Deployment(await HealthAsync(client), "primary-mini")["tokens_per_minute"]!.GetValue<long>());
    }

    [Fact]
    public async Task TokensPerMinute_ConcurrentLongRequestsInFlight_SkippedBeforeTheyAreSentThenSettledToTheUsage()
    {
        await MinuteWindow.EnsureAsync(TimeSpan.FromSeconds(15), Ct);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var arrived = 0;
        await using var primary = await FakeUpstream.StartAsync(async (context, request) =>
        {
            Interlocked.Increment(ref arrived);
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20), context.RequestAborted);
            await FakeUpstream.WriteJsonAsync(context, OpenAIWire.Completion(request.Json["model"]!.GetValue<string>(), "done"));
        });
        await using var secondary = await FakeUpstream.StartAsync();
        var extra = Resilience("""
              deployments:
                primary-mini: { tokens_per_minute: 1000 }
            """);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, server: Server, extra: extra), Env);
        using var client = app.CreateClient();
        const string Long = """{"model":"gpt-4o-mini","max_tokens":300,"messages":[{"role":"user","content":"Hi"}]}""";

        // Each reserves 8 estimated input (1 for "Hi" + 4 per message + 3) + 300 output = 308 tokens when it starts:
        // 3 × 308 = 924 < 1,000 admits a fourth (1,232), and the rest are skipped before they are sent.
        var calls = Enumerable.Range(0, 10).Select(_ => client.PostAsync("/v1/chat/completions", Json(Long), Ct)).ToArray();
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (secondary.Received.Count < 6 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(20, Ct);
        }

        var inFlight = Deployment(await HealthAsync(client), "primary-mini");
        release.TrySetResult();
        var responses = await Task.WhenAll(calls);

        Assert.Equal(4, Volatile.Read(ref arrived));
        Assert.Equal(6, secondary.Received.Count);
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(4, responses.Count(r => r.Headers.GetValues("x-switchyard-deployment").Single() == "primary-mini"));
        Assert.Equal("over_token_limit", inFlight["availability"]!.GetValue<string>());
        Assert.Equal(4 * 308, inFlight["tokens_this_minute"]!.GetValue<long>());

        // Settled to the upstream's reported usage when each ended.
        const int used = OpenAIWire.PromptTokens + OpenAIWire.CompletionTokens;
        Assert.Equal(4 * used, Deployment(await HealthAsync(client), "primary-mini")["tokens_this_minute"]!.GetValue<long>());
        foreach (var r in responses)
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task ClientDisconnects_WhileUpstreamSlowBeforeFirstByte_UpstreamCancelledAtOnce()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (context, _) =>
        {
            context.RequestAborted.Register(() => upstreamCancelled.TrySetResult());
            started.TrySetResult();
            await Task.Delay(Timeout.Infinite, context.RequestAborted);
        });
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: Server, extra: Resilience()), Env);
        using var client = app.CreateClient();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = client.PostAsync("/v1/chat/completions", Json(Chat), cts.Token);
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(5), Ct);
        Assert.Single(upstream.Received);
    }
}
