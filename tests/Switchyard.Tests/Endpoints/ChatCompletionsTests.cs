using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Ledger;
using Switchyard.Ledger;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Endpoints;

public sealed class ChatCompletionsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Chat_OpenAIUpstream_ForwardsOriginalBytesWithOnlyModelRewritten()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        var body = """{"model":"auto","messages":[{"role":"user","content":"Hi there"}],"temperature":0.2,"x_vendor_field":{"keep":[1,2,3]},"metadata":{"k":"v"}}""";

        using var response = await client.PostAsync("/v1/chat/completions", Json(body), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(upstream.Received);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal(body.Replace("\"auto\"", "\"gpt-4o-mini\"", StringComparison.Ordinal), sent.Text);
        Assert.Equal("Bearer sk-upstream-primary-secret", sent.Headers["authorization"]);
        Assert.Equal("org-test", sent.Headers["openai-organization"]);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(upstream.ReplyText, json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_Success_SetsHeadersAndWritesLedgerRecordWithCatalogCost()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.StartsWith("req_", requestId, StringComparison.Ordinal);
        Assert.Equal("gpt-4o-mini", response.Headers.GetValues("x-switchyard-model").Single());
        Assert.Equal("primary-mini", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.True(long.Parse(response.Headers.GetValues("x-switchyard-overhead-us").Single(), System.Globalization.CultureInfo.InvariantCulture) >= 0);
        Assert.Equal(requestId, upstream.Received.Single().Headers["x-request-id"]);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(requestId, Ct);
        Assert.NotNull(record);
        Assert.Equal(LedgerOutcome.Success, record.Outcome);
        Assert.Equal(200, record.HttpStatus);
        Assert.Equal("test", record.KeyName);
        Assert.Equal("qa", record.Team);
        Assert.Equal("gpt-4o-mini", record.ServedModel);
        Assert.Equal(new Core.Model.Usage(OpenAIWire.PromptTokens, OpenAIWire.CompletionTokens, OpenAIWire.CachedTokens), record.Usage);
        // gpt-4o-mini from the catalog: $0.15/M input, $0.075/M cached input, $0.60/M output.
        // (11 - 3) × 0.15 + 3 × 0.075 + 7 × 0.60 = 1.2 + 0.225 + 4.2 = 5.625 µ$ → 0.000005625 USD.
        Assert.Equal(0.000005625m, record.CostUsd);
        Assert.StartsWith("catalog:openai/gpt-4o-mini@", record.PriceVersion, StringComparison.Ordinal);
        Assert.False(record.Streamed);
        Assert.True(record.TotalMs >= record.UpstreamMs);
        // The ledger identifies the key by its hash prefix only, never the key itself.
        Assert.Equal(Core.Gate.KeyRing.Hash(SwitchyardAppFactory.TestKey)[..12], record.KeyId);
    }

    [Fact]
    public async Task Stream_ClientWithoutIncludeUsage_GatewayAsksUpstreamForUsageButHidesTheUsageChunk()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"auto","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal("text/event-stream", response.Content.Headers.ContentType!.MediaType);
        Assert.True(upstream.Received.Single().Json["stream_options"]!["include_usage"]!.GetValue<bool>());
        var events = Sse.Data(text);
        Assert.Equal("[DONE]", events[^1]);
        Assert.DoesNotContain(events, e => e.Contains("\"choices\":[]", StringComparison.Ordinal));
        Assert.Equal(upstream.ReplyText, Sse.AssembleContent(events));
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(OpenAIWire.CompletionTokens, record!.Usage.OutputTokens);
        Assert.False(record.Usage.Estimated);
        Assert.True(record.Streamed);
    }

    [Fact]
    public async Task Stream_ClientWithIncludeUsage_ReceivesUsageChunkBeforeDone()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            Json("""{"model":"auto","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var events = Sse.Data(await response.Content.ReadAsStringAsync(Ct));

        var usageChunk = JsonNode.Parse(events[^2])!;
        Assert.Empty(usageChunk["choices"]!.AsArray());
        Assert.Equal(OpenAIWire.PromptTokens, usageChunk["usage"]!["prompt_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Stream_ToolCallArgumentDeltas_AreRelayedEventByEvent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        const string Request = """
            {"model":"auto","stream":true,"tool_choice":"required","parallel_tool_calls":true,
             "tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}},
                      {"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{}}}}],
             "messages":[{"role":"user","content":"Weather in Paris?"}]}
            """;

        using var response = await client.PostAsync("/v1/chat/completions", Json(Request), Ct);
        var events = Sse.Data(await response.Content.ReadAsStringAsync(Ct));

        var arguments = string.Concat(events.Where(e => e != "[DONE]").Select(e => JsonNode.Parse(e)!["choices"]!.AsArray())
            .Where(c => c.Count > 0).Select(c => c[0]!["delta"]!["tool_calls"]?[0]?["function"]?["arguments"]?.GetValue<string>() ?? ""));
        Assert.Equal("{\"city\":\"Paris\"}", arguments);
        Assert.True(events.Count(e => e.Contains("\"arguments\"", StringComparison.Ordinal)) > 2, "argument deltas arrive as separate events");
        Assert.Contains(events, e => e.Contains("\"finish_reason\":\"tool_calls\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Chat_PrimaryFails500_FallsBackToSecondaryBeforeAnyByte()
    {
        await using var primary = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom", "server_error"));
        await using var secondary = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, primaryWeight: 1, secondaryWeight: 0), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary-mini", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.Equal("gpt-4o-mini-2024-07-18", secondary.Received.Single().Json["model"]!.GetValue<string>());
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(["primary-mini", "secondary-mini"], record!.Attempts.Select(a => a.DeploymentId));
        Assert.Equal(500, record.Attempts[0].UpstreamStatusCode);
        Assert.Equal(1, await app.Ledger.CountAsync(Ct));
    }

    [Fact]
    public async Task Chat_OnlyCandidateRateLimited_Returns429WithRetryAfter()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(429, "Rate limit reached for sk-upstream-primary-secret", "requests", "rate_limit_exceeded", ("retry-after", "7")));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"auto","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal((HttpStatusCode)429, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("sk-upstream", text, StringComparison.Ordinal);
        var error = JsonNode.Parse(text)!["error"]!;
        Assert.Equal("rate_limit_exceeded", error["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_UpstreamRejects400_ClientGets400WithRedactedUpstreamMessageAndNoFallback()
    {
        await using var primary = await FakeUpstream.StartAsync(FakeUpstream.Error(400,
            "This model's maximum context length is 128000 tokens. Key sk-" + "proj-test000000000000 was used.", code: "context_length_exceeded"));
        await using var secondary = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Contains("maximum context length", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.DoesNotContain("sk-proj", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
        Assert.Empty(secondary.Received);
    }

    [Theory]
    [InlineData(401, 502, "upstream_auth_failed")]
    [InlineData(500, 502, "upstream_error")]
    [InlineData(503, 502, "upstream_error")]
    public async Task Chat_UpstreamFailure_MapsToGatewayStatusWithoutUpstreamBody(int upstreamStatus, int expected, string code)
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(upstreamStatus, "internal detail at db-host-7.internal:5432 token sk-" + "live-test000000000000", "server_error"));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"auto","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(expected, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("db-host-7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-live", text, StringComparison.Ordinal);
        Assert.Equal(code, JsonNode.Parse(text)!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_UpstreamRefusesConnections_Returns503()
    {
        // A port that was just free: nothing listens there.
        var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI($"http://127.0.0.1:{port}/v1"), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"auto","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("upstream_unavailable", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Chat_UpstreamNeverAnswers_Returns504AfterProviderTimeout()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Hang());
        await using var app = await SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(upstream.BaseUrl).Replace("timeout: 5s", "timeout: 300ms", StringComparison.Ordinal), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"auto","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.GatewayTimeout, response.StatusCode);
    }

    [Fact]
    public async Task Stream_ClientDisconnects_CancelsUpstreamAndRecordsDisconnect()
    {
        var upstreamCancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (context, request) =>
        {
            context.RequestAborted.Register(() => upstreamCancelled.TrySetResult());
            await FakeUpstream.WriteSseAsync(context, OpenAIWire.TextChunks("gpt-4o-mini", new string('x', 4000), includeUsage: true, piecesOf: 4), TimeSpan.FromMilliseconds(20));
        });
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"auto","stream":true,"messages":[{"role":"user","content":"Write a lot"}]}"""),
        };

        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        var stream = await response.Content.ReadAsStreamAsync(Ct);
        var buffer = new byte[256];
        Assert.True(await stream.ReadAsync(buffer, Ct) > 0);
        response.Dispose();

        await upstreamCancelled.Task.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(requestId, Ct);
        Assert.Equal(LedgerOutcome.ClientDisconnected, record!.Outcome);
        Assert.True(record.Usage.Estimated);
        Assert.True(record.Usage.OutputTokens > 0);
    }

    [Fact]
    public async Task Stream_UpstreamCutMidStream_EndsWithErrorEventAndIsNotRetried()
    {
        // The connection breaks only once the client has an event: the stream is committed then (a break before it is a
        // fallback case), whatever a loaded box does to timing.
        var relayed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var primary = await FakeUpstream.StartAsync(async (context, _) =>
        {
            var chunks = OpenAIWire.TextChunks("gpt-4o-mini", "partial answer that never ends", includeUsage: true).Take(3);
            await FakeUpstream.WriteSseAsync(context, chunks, TimeSpan.FromMilliseconds(30));
            await relayed.Task.WaitAsync(Until.DefaultDeadline, context.RequestAborted);
            context.Abort();
        });
        await using var secondary = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"gpt-4o-mini","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var body = new StringBuilder();
        string? line;
        while ((line = await reader.ReadLineAsync(Ct)) is not null)
        {
            body.Append(line).Append('\n');
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                break;
            }
        }

        relayed.SetResult();
        body.Append(await reader.ReadToEndAsync(Ct));
        var events = Sse.Data(body.ToString());

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("stream_interrupted", events[^1], StringComparison.Ordinal);
        Assert.DoesNotContain("[DONE]", events);
        Assert.Empty(secondary.Received);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(LedgerOutcome.StreamInterrupted, record!.Outcome);
        Assert.Single(record.Attempts);
    }

    [Fact]
    public async Task Embeddings_ForwardedToEmbeddingsPathAndPriced()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/embeddings", Json("""{"model":"text-embedding-3-small","input":["a","b"]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("/v1/embeddings", upstream.Received.Single().Path);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal(2, json["data"]!.AsArray().Count);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(8, record!.Usage.InputTokens);
        Assert.Equal(8 * 0.02m / 1_000_000m, record.CostUsd);
    }

    [Fact]
    public async Task Embeddings_ChatModel_Returns400NamingTheCapability()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/embeddings", Json("""{"model":"gpt-4o-mini","input":"a"}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("embeddings", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task Models_ListsAliasesAndModelsTheKeyMayUse()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(upstream.BaseUrl, extra: """
              - name: narrow
                key: sk-narrow-key-0001
                allowed_models: [auto]
            """);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();
        using var narrow = app.CreateClient("sk-narrow-key-0001");

        var all = await client.GetFromJsonAsync<JsonNode>("/v1/models", Ct);
        var few = await narrow.GetFromJsonAsync<JsonNode>("/v1/models", Ct);
        using var forbidden = await narrow.PostAsync("/v1/chat/completions", Json("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(["auto", "gpt-4o-mini", "text-embedding-3-small"], all!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(["auto"], few!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task Chat_RestrictedDataToExternalOnlyModel_Returns403AndNothingIsSent()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions")
        {
            Content = Json("""{"model":"auto","messages":[{"role":"user","content":"Patient record"}]}"""),
        };
        request.Headers.Add("x-switchyard-data-class", "restricted");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Contains("restricted", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(upstream.Received);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal("restricted", record!.DataClass);
        Assert.Equal(LedgerOutcome.Rejected, record.Outcome);
    }
}
