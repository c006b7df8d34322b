using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Ledger;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Endpoints;

/// <summary>
/// <c>/v1/messages</c> end to end: an Anthropic-format client in front of an OpenAI-style upstream. Golden: the
/// request in, the request sent upstream (checked against OpenAI's schema), the upstream reply, and the reply to the
/// client (checked against Anthropic's schema).
/// </summary>
public sealed class MessagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static HttpClient AnthropicClient(SwitchyardAppFactory app)
    {
        var client = app.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("x-api-key", SwitchyardAppFactory.TestKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    private static async Task<JsonNode> AssertAnthropicErrorAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var json = JsonNode.Parse(body)!;
        Assert.Equal("error", json["type"]!.GetValue<string>());
        Assert.Equal(type, json["error"]!["type"]!.GetValue<string>());
        Assert.False(string.IsNullOrEmpty(json["error"]!["message"]!.GetValue<string>()));
        Assert.Equal(response.Headers.GetValues("x-request-id").Single(), json["request_id"]!.GetValue<string>());
        if (type != "request_too_large")
        {
            Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.ErrorResponse, body));
        }

        return json;
    }

    [Fact]
    public async Task Messages_FullConversation_GoldenUpstreamRequestAndConformingMessage()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages", Json(AnthropicGolden.FullRequest.Replace("claude-sonnet", "auto", StringComparison.Ordinal)), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(upstream.Received);
        Assert.Equal("/v1/chat/completions", sent.Path);
        Assert.Equal("Bearer sk-upstream-primary-secret", sent.Headers["authorization"]);
        Assert.Equal(AnthropicGolden.FullRequestUpstream, sent.Text);
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionRequest, sent.Text));
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, body));
        var message = JsonNode.Parse(body)!;
        var requestId = response.Headers.GetValues("x-request-id").Single();
        Assert.Equal("msg_" + requestId[4..], message["id"]!.GetValue<string>());
        Assert.Equal("tool_use", message["stop_reason"]!.GetValue<string>());
        var toolUse = Assert.Single(message["content"]!.AsArray())!;
        Assert.Equal("call_abc123", toolUse["id"]!.GetValue<string>());
        Assert.Equal("get_weather", toolUse["name"]!.GetValue<string>());
        Assert.Equal("Paris", toolUse["input"]!["city"]!.GetValue<string>());
        Assert.Equal(OpenAIWire.PromptTokens - OpenAIWire.CachedTokens, message["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(OpenAIWire.CachedTokens, message["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(requestId, Ct);
        Assert.NotNull(record);
        Assert.Equal(ApiFormat.Anthropic, record.ClientFormat);
        Assert.Equal(LedgerOutcome.Success, record.Outcome);
        Assert.Equal(new Usage(OpenAIWire.PromptTokens, OpenAIWire.CompletionTokens, OpenAIWire.CachedTokens), record.Usage);
    }

    [Fact]
    public async Task Messages_Text_EndTurnWithBearerAuth()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"auto","max_tokens":64,"system":"Be brief.","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var message = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("end_turn", message["stop_reason"]!.GetValue<string>());
        Assert.Equal(upstream.ReplyText, message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":64}""",
            upstream.Received.Single().Text);
    }

    [Fact]
    public async Task Messages_Stream_AnthropicEventsTranslatedAsTheyArrive()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"auto","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.True(upstream.Received.Single().Json["stream_options"]!["include_usage"]!.GetValue<bool>());
        var events = AnthropicStream.Events(text);
        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("ping", events[1].Name);
        Assert.Equal("content_block_start", events[2].Name);
        Assert.Equal(["content_block_stop", "message_delta", "message_stop"], events.TakeLast(3).Select(e => e.Name));
        Assert.Equal(upstream.ReplyText, AnthropicStream.Text(events));
        var schemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (_, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }

        var usage = JsonNode.Parse(events[^2].Data)!["usage"]!;
        Assert.Equal(OpenAIWire.CompletionTokens, usage["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task Messages_StreamNamedTool_ToolUseBlockWithInputJsonDeltas()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages", Json("""
            {"model":"auto","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Weather in Paris?"}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"tool_choice":{"type":"tool","name":"get_weather"}}
            """), Ct);
        var events = AnthropicStream.Events(await response.Content.ReadAsStringAsync(Ct));

        var start = JsonNode.Parse(events.First(e => e.Name == "content_block_start").Data)!["content_block"]!;
        Assert.Equal("tool_use", start["type"]!.GetValue<string>());
        Assert.Equal("call_abc123", start["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(events.Where(e => e.Name == "content_block_delta")
            .Select(e => JsonNode.Parse(e.Data)!["delta"]!["partial_json"]!.GetValue<string>())));
        Assert.Equal("tool_use", JsonNode.Parse(events[^2].Data)!["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal("""{"type":"function","function":{"name":"get_weather"}}""", upstream.Received.Single().Json["tool_choice"]!.ToJsonString());
    }

    [Fact]
    public async Task Messages_Stream_EventsReachClientBeforeUpstreamFinishes()
    {
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var chunks = OpenAIWire.TextChunks("gpt-4o-mini", "Hello there", includeUsage: true).ToList();
        await using var upstream = await FakeUpstream.StartAsync(async (context, _) =>
        {
            await FakeUpstream.WriteSseAsync(context, chunks.Take(2));
            await release.Task.WaitAsync(TimeSpan.FromSeconds(20), context.RequestAborted);
            foreach (var chunk in chunks.Skip(2))
            {
                await context.Response.WriteAsync("data: " + chunk + "\n\n", context.RequestAborted);
            }
        });
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages") { Content = Json("""{"model":"auto","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}""") };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var seen = new List<string>();
        while (!seen.Contains("event: content_block_delta"))
        {
            var line = await reader.ReadLineAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
            Assert.NotNull(line);
            seen.Add(line);
        }

        release.SetResult();
        var rest = await reader.ReadToEndAsync(Ct);

        Assert.Contains("event: message_start", seen);
        Assert.Contains("event: message_stop", rest, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Messages_StreamCutMidway_EndsWithAnthropicErrorEvent()
    {
        // The connection breaks once the client has the relayed text (an abort discards unread bytes): a condition, not a
        // guess of how long a loaded box takes to relay.
        var relayed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var upstream = await FakeUpstream.StartAsync(async (context, _) =>
        {
            await FakeUpstream.WriteSseAsync(context, OpenAIWire.TextChunks("gpt-4o-mini", "Hello there", includeUsage: true).Take(2));
            await relayed.Task.WaitAsync(Until.DefaultDeadline, context.RequestAborted);
            context.Abort();
        });
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/messages")
        {
            Content = Json("""{"model":"auto","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""),
        };

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(Ct));
        var text = new StringBuilder();
        string? line;
        while ((line = await reader.ReadLineAsync(Ct)) is not null)
        {
            text.Append(line).Append('\n');
            if (line == "event: content_block_delta")
            {
                break;
            }
        }

        relayed.SetResult();
        text.Append(await reader.ReadToEndAsync(Ct));
        var body = text.ToString();
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var events = AnthropicStream.Events(body);

        Assert.Equal("message_start", events[0].Name);
        Assert.Equal("error", events[^1].Name);
        Assert.DoesNotContain(events, e => e.Name == "message_stop");
        var error = JsonNode.Parse(events[^1].Data)!;
        Assert.Equal("api_error", error["error"]!["type"]!.GetValue<string>());
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.ErrorResponse, events[^1].Data));
    }

    [Theory]
    [InlineData(503, "overloaded_error", 529)]
    [InlineData(500, "api_error", 502)]
    [InlineData(400, "invalid_request_error", 400)]
    public async Task Messages_UpstreamError_AnthropicErrorFormat(int upstreamStatus, string type, int clientStatus)
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(upstreamStatus, "upstream says no"));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        await AssertAnthropicErrorAsync(response, (HttpStatusCode)clientStatus, type);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Messages_PrimaryOverloaded_FallsBackBeforeTheFirstByte(bool stream)
    {
        await using var primary = await FakeUpstream.StartAsync(FakeUpstream.Error(503, "overloaded", "server_error"));
        await using var secondary = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, primaryWeight: 1, secondaryWeight: 0), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages", Json($$"""{"model":"auto","max_tokens":8,"stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("secondary-mini", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.Equal("gpt-4o-mini-2024-07-18", secondary.Received.Single().Json["model"]!.GetValue<string>());
        var text = stream ? AnthropicStream.Text(AnthropicStream.Events(body)) : JsonNode.Parse(body)!["content"]![0]!["text"]!.GetValue<string>();
        Assert.Equal(secondary.ReplyText, text);
    }

    [Fact]
    public async Task Messages_UpstreamRateLimited_429WithRetryAfter()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(429, "slow down", "rate_limit_error", null, ("retry-after", "7")));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        await AssertAnthropicErrorAsync(response, HttpStatusCode.TooManyRequests, "rate_limit_error");
        Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
    }

    [Theory]
    [InlineData(null, """{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.Unauthorized, "authentication_error")]
    [InlineData("sk-wrong", """{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.Unauthorized, "authentication_error")]
    [InlineData(SwitchyardAppFactory.TestKey, """{"model":"nope","max_tokens":8,"messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.NotFound, "not_found_error")]
    [InlineData(SwitchyardAppFactory.TestKey, """{"model":"auto","max_tokens":"8","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.BadRequest, "invalid_request_error")]
    [InlineData(SwitchyardAppFactory.TestKey, """{"model":"auto","messages":[{"role":"user","content":[{"type":"hologram"}]}]}""", HttpStatusCode.BadRequest, "invalid_request_error")]
    [InlineData(SwitchyardAppFactory.TestKey, """{"model":"auto","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"x"}]}]}""", HttpStatusCode.BadRequest, "invalid_request_error")]
    [InlineData(SwitchyardAppFactory.TestKey, """{"model":"auto","messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":2000}}""", HttpStatusCode.BadRequest, "invalid_request_error")]
    [InlineData(SwitchyardAppFactory.TestKey, "{not json", HttpStatusCode.BadRequest, "invalid_request_error")]
    public async Task Messages_BadRequest_AnthropicErrorAndNothingSentUpstream(string? key, string body, HttpStatusCode status, string type)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient(key: null);
        if (key is not null)
        {
            client.DefaultRequestHeaders.Add("x-api-key", key);
        }

        using var response = await client.PostAsync("/v1/messages", Json(body), Ct);

        var error = await AssertAnthropicErrorAsync(response, status, type);
        Assert.Empty(upstream.Received);
        if (key is null)
        {
            Assert.Contains("x-api-key", error["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Messages_BodyOverLimit_413RequestTooLarge()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: "  max_request_body_bytes: 4096"), TestConfig.Keys);
        using var client = AnthropicClient(app);
        var big = new string('x', 8000);

        using var response = await client.PostAsync("/v1/messages", Json($$"""{"model":"auto","max_tokens":8,"messages":[{"role":"user","content":"{{big}}"}]}"""), Ct);

        await AssertAnthropicErrorAsync(response, HttpStatusCode.RequestEntityTooLarge, "request_too_large");
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task Messages_UnknownSubpath_AnthropicFormat404()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages/batches", Json("{}"), Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("not_found_error", json["error"]!["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Messages_SimulatedProvider_TranslatedAndConforming()
    {
        var yaml = await File.ReadAllTextAsync(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"), Ct);
        await using var app = await SwitchyardAppFactory.StartAsync(yaml);
        using var client = app.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("x-api-key", "sk-switchyard-local-dev");
        var schemas = await AnthropicSchemas.LoadAsync(Ct);

        using var plain = await client.PostAsync("/v1/messages", Json("""{"model":"auto","max_tokens":64,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var body = await plain.Content.ReadAsStringAsync(Ct);
        using var streamed = await client.PostAsync("/v1/messages", Json("""{"model":"auto","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        var events = AnthropicStream.Events(await streamed.Content.ReadAsStringAsync(Ct));

        Assert.True(plain.StatusCode == HttpStatusCode.OK, body);
        Assert.Equal("true", plain.Headers.GetValues("x-switchyard-simulated").Single());
        Assert.Null(schemas.Describe(AnthropicSchemas.Message, body));
        Assert.Equal("message_stop", events[^1].Name);
        Assert.False(string.IsNullOrEmpty(AnthropicStream.Text(events)));
        foreach (var (_, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }
    }

    [Fact]
    public async Task CountTokens_ReturnsEstimateLabelledAsOne()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = AnthropicClient(app);

        using var response = await client.PostAsync("/v1/messages/count_tokens", Json("""{"model":"auto","system":"Be brief.","messages":[{"role":"user","content":"How many tokens is this sentence?"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("estimate", response.Headers.GetValues("x-switchyard-token-count").Single());
        var count = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["input_tokens"]!.GetValue<int>();
        Assert.InRange(count, 5, 40);
        Assert.Empty(upstream.Received);
        using var unknown = await client.PostAsync("/v1/messages/count_tokens", Json("""{"model":"nope","messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        await AssertAnthropicErrorAsync(unknown, HttpStatusCode.NotFound, "not_found_error");
        using var bad = await client.PostAsync("/v1/messages/count_tokens", Json("""{"model":"auto","max_tokens":5,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        await AssertAnthropicErrorAsync(bad, HttpStatusCode.BadRequest, "invalid_request_error");
    }
}

/// <summary>Reads an Anthropic SSE body the way a client would.</summary>
internal static class AnthropicStream
{
    public static List<(string Name, string Data)> Events(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            var lines = e.Split('\n');
            return (lines[0]["event: ".Length..], lines[1]["data: ".Length..]);
        })];

    public static string Text(IEnumerable<(string Name, string Data)> events) =>
        string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["text"]?.GetValue<string>() ?? ""));
}
