using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>
/// Every client format against every upstream format, through the real gateway and fakes that speak each
/// provider's exact wire format: the request sent upstream (golden, and checked against the provider's reference),
/// and the reply the client gets (checked against the client format's schema).
/// </summary>
public sealed class TranslationPairsTests : IAsyncLifetime
{
    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}}}""";

    private FakeAnthropicUpstream _anthropic = null!;
    private FakeGeminiUpstream _gemini = null!;
    private FakeUpstream _openAI = null!;
    private SwitchyardAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await FakeAnthropicUpstream.StartAsync();
        _gemini = await FakeGeminiUpstream.StartAsync();
        _openAI = await FakeUpstream.StartAsync();
        _app = await SwitchyardAppFactory.StartAsync(TranslationConfig.Yaml(_anthropic.BaseUrl, _gemini.BaseUrl, _openAI.BaseUrl), TranslationConfig.Keys);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _anthropic.DisposeAsync();
        await _gemini.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private HttpClient AnthropicClient()
    {
        var client = _app.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("x-api-key", SwitchyardAppFactory.TestKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        return client;
    }

    private static List<(string Name, string Data)> SseEvents(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            var lines = e.Split('\n');
            return lines.Length == 2 ? (lines[0]["event: ".Length..], lines[1]["data: ".Length..]) : ("", lines[0]["data: ".Length..]);
        })];

    // ---- OpenAI client → Anthropic upstream ----

    [Fact]
    public async Task OpenAIClient_ToAnthropic_GoldenRequestAndConformingReply()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json($$$$$"""
            {"model":"claude","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"21C"},{"role":"user","content":"And now?"}],
             "tools":[{{{{{Weather}}}}}],"tool_choice":"auto","parallel_tool_calls":false,"stop":["END"],"temperature":0.5,"top_p":0.9,"user":"u-1"}
            """), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_anthropic.Received);
        Assert.Equal("/v1/messages", sent.Path);
        Assert.Equal("sk-" + "ant-upstream-secret", sent.Headers["x-api-key"]);
        Assert.Equal("2023-06-01", sent.Headers["anthropic-version"]);
        Assert.False(sent.Headers.ContainsKey("authorization"));
        Assert.Equal(
            """{"model":"claude-sonnet-4-5","max_tokens":8192,"system":[{"type":"text","text":"Be brief."}],"messages":[""" +
            """{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},""" +
            """{"role":"assistant","content":[{"type":"tool_use","id":"call_1","name":"get_weather","input":{"city":"Paris"}}]},""" +
            """{"role":"user","content":[{"type":"tool_result","tool_use_id":"call_1","content":[{"type":"text","text":"21C"}]},{"type":"text","text":"And now?"}]}],""" +
            "\"stop_sequences\":[\"END\"],\"temperature\":0.5,\"top_p\":0.9,\"metadata\":{\"user_id\":\"u-1\"}," +
            "\"tools\":[{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"input_schema\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"],\"additionalProperties\":false}}]," +
            "\"tool_choice\":{\"type\":\"auto\",\"disable_parallel_tool_use\":true}}",
            sent.Text);
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).DescribeRequest(sent.Text));
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, body));
        var json = JsonNode.Parse(body)!;
        Assert.Equal("Hello from Claude.", json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", json["choices"]![0]!["finish_reason"]!.GetValue<string>());
        // Anthropic's input excludes cache reads and writes; OpenAI's prompt_tokens counts all of them.
        var usage = json["usage"]!;
        Assert.Equal(FakeAnthropicUpstream.InputTokens + FakeAnthropicUpstream.CacheReadTokens + FakeAnthropicUpstream.CacheWriteTokens, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(FakeAnthropicUpstream.CacheReadTokens, usage["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(FakeAnthropicUpstream.OutputTokens, usage["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task OpenAIClient_ToAnthropic_ToolCallsAndStructuredOutput()
    {
        using var client = _app.CreateClient();
        using var tools = await client.PostAsync("/v1/chat/completions", Json($$$$$"""{"model":"claude","messages":[{"role":"user","content":"Weather in Paris?"}],"tools":[{{{{{Weather}}}}}],"tool_choice":"required"}"""), Ct);
        using var schema = await client.PostAsync("/v1/chat/completions", Json("""{"model":"claude","max_tokens":100,"messages":[{"role":"user","content":"Answer?"}],"response_format":{"type":"json_schema","json_schema":{"name":"a","strict":true,"schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}}}}"""), Ct);

        var call = JsonNode.Parse(await tools.Content.ReadAsStringAsync(Ct))!["choices"]![0]!;
        Assert.Equal("tool_calls", call["finish_reason"]!.GetValue<string>());
        Assert.Equal("toolu_fake_1", call["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", call["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("any", _anthropic.Received[0].Json["tool_choice"]!["type"]!.GetValue<string>());
        Assert.Equal("""{"answer":"42"}""", JsonNode.Parse(await schema.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var sent = _anthropic.Received[1].Json;
        Assert.Equal(100, sent["max_tokens"]!.GetValue<int>());
        Assert.Equal("json_schema", sent["output_config"]!["format"]!["type"]!.GetValue<string>());
        Assert.Equal("answer", sent["output_config"]!["format"]!["schema"]!["required"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAIClient_ToAnthropic_StreamTranslatedChunkByChunk()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json($$$$$"""{"model":"claude","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Weather?"}],"tools":[{{{{{Weather}}}}}],"tool_choice":"required"}"""), Ct);

        var events = SseEvents(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("[DONE]", events[^1].Data);
        var schemas = await OpenAISchemas.LoadAsync(Ct);
        var chunks = events.SkipLast(1).Select(e => e.Data).ToList();
        foreach (var chunk in chunks)
        {
            Assert.Null(schemas.Describe(OpenAISchemas.CreateChatCompletionStreamResponse, chunk));
        }

        var deltas = chunks.Select(c => JsonNode.Parse(c)!).Where(c => c["choices"]!.AsArray().Count > 0).ToList();
        var calls = deltas.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]).Where(t => t is not null).ToList();
        Assert.Equal("toolu_fake_1", calls[0]![0]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(calls.Select(t => t![0]!["function"]!["arguments"]!.GetValue<string>())));
        Assert.True(calls.Count >= 3, "argument deltas are relayed as they come, not joined");
        Assert.Equal("tool_calls", deltas[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        Assert.Equal(FakeAnthropicUpstream.OutputTokens, JsonNode.Parse(chunks[^1])!["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.True(_anthropic.Received[0].Json["stream"]!.GetValue<bool>());
    }

    [Theory]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"Hi"}],"logprobs":true}""", "logprobs")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"Hi"}],"n":2,"stream":true}""", "n")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"Hi"}],"logit_bias":{"50256":-100}}""", "logit_bias")]
    [InlineData("""{"model":"claude","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"}}""", "response_format")]
    [InlineData("""{"model":"gemini","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""", "messages")]
    [InlineData("""{"model":"gemini","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object","oneOf":[{"type":"object"}]}}}}""", "response_format")]
    public async Task OpenAIClient_FieldTheUpstreamCannotCarry_400NamingIt(string json, string param)
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json(json), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal(param, error["param"]!.GetValue<string>());
        Assert.StartsWith(param + ":", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("unsupported_feature", error["code"]!.GetValue<string>());
        Assert.Empty(_anthropic.Received);
        Assert.Empty(_gemini.Received);
    }

    [Fact]
    public async Task OpenAIClient_AliasWithAnUntranslatableField_RoutesToTheFormatThatCarriesIt()
    {
        using var client = _app.CreateClient();
        // any-format lists gpt-4o-mini and claude: logprobs only reaches the OpenAI-style deployment.
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"any-format","messages":[{"role":"user","content":"Hi"}],"logprobs":true}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("primary-mini", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.Empty(_anthropic.Received);
    }

    // ---- OpenAI client → Gemini upstream ----

    [Fact]
    public async Task OpenAIClient_ToGemini_GoldenRequestAndConformingReply()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json($$$$$"""
            {"model":"gemini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"21C"}],
             "tools":[{{{{{Weather}}}}}],"tool_choice":{"type":"function","function":{"name":"get_weather"}},"stop":["END"],"temperature":0.5,"top_p":0.9,"max_tokens":64,
             "response_format":{"type":"json_schema","json_schema":{"name":"a","schema":{"type":"object","properties":{"answer":{"type":["string","null"]}},"required":["answer"],"additionalProperties":false}}}}
            """), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_gemini.Received);
        Assert.Equal("/v1beta/models/gemini-2.0-flash:generateContent", sent.Path);
        Assert.Equal("AIza" + "upstream-secret", sent.Headers["x-goog-api-key"]);
        Assert.Equal(
            """{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[""" +
            """{"role":"user","parts":[{"text":"Weather?"},{"inlineData":{"mimeType":"image/png","data":"iVBORw0KGgo="}}]},""" +
            """{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},""" +
            """{"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"result":"21C"}}}]}],""" +
            "\"tools\":[{\"functionDeclarations\":[{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}},\"required\":[\"city\"]}}]}]," +
            "\"toolConfig\":{\"functionCallingConfig\":{\"mode\":\"ANY\",\"allowedFunctionNames\":[\"get_weather\"]}}," +
            "\"generationConfig\":{\"temperature\":0.5,\"topP\":0.9,\"maxOutputTokens\":64,\"stopSequences\":[\"END\"],\"responseMimeType\":\"application/json\"," +
            "\"responseSchema\":{\"type\":\"OBJECT\",\"properties\":{\"answer\":{\"type\":\"STRING\",\"nullable\":true}},\"required\":[\"answer\"]}}}",
            sent.Text);
        Assert.Null(GeminiShapes.Describe("GenerateContentRequest", sent.Text));
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, body));
        var choice = JsonNode.Parse(body)!["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        var calls = choice["message"]!["tool_calls"]!.AsArray();
        Assert.Equal(2, calls.Count);
        var requestId = response.Headers.GetValues("x-request-id").Single()["req_".Length..];
        Assert.Equal($"call_{requestId}_0", calls[0]!["id"]!.GetValue<string>());
        Assert.Equal($"call_{requestId}_1", calls[1]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Rome"}""", calls[1]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAIClient_ToGemini_TextUsageAndJson()
    {
        using var client = _app.CreateClient();
        using var text = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gemini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var json = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gemini","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"}}"""), Ct);

        var reply = JsonNode.Parse(await text.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Hello from Gemini.", reply["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("gemini-2.0-flash", reply["model"]!.GetValue<string>());
        Assert.Equal(12, reply["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(4, reply["usage"]!["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(6, reply["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.Equal("application/json", _gemini.Received[1].Json["generationConfig"]!["responseMimeType"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, json.StatusCode);
    }

    [Theory]
    [InlineData("safety.json", "content_filter", "refusal")]
    [InlineData("prompt-blocked.json", "content_filter", "refusal")]
    public async Task BothClients_ToGemini_SafetyBlock_ClearFinishReason(string fixture, string openAIFinish, string anthropicStop)
    {
        _gemini.Handler = FakeGeminiUpstream.Serve(fixture);
        using var client = _app.CreateClient();
        using var anthropic = AnthropicClient();

        using var openAI = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gemini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var messages = await anthropic.PostAsync("/v1/messages", Json("""{"model":"gemini","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(openAIFinish, JsonNode.Parse(await openAI.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var body = await messages.Content.ReadAsStringAsync(Ct);
        Assert.Equal(anthropicStop, JsonNode.Parse(body)!["stop_reason"]!.GetValue<string>());
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, body));
    }

    [Fact]
    public async Task OpenAIClient_ToGemini_StreamWithToolCalls()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json($$$$$"""{"model":"gemini","stream":true,"messages":[{"role":"user","content":"Weather?"}],"tools":[{{{{{Weather}}}}}],"tool_choice":"required"}"""), Ct);

        Assert.Equal("/v1beta/models/gemini-2.0-flash:streamGenerateContent?alt=sse", _gemini.Received[0].Path);
        var events = SseEvents(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("[DONE]", events[^1].Data);
        var schemas = await OpenAISchemas.LoadAsync(Ct);
        var chunks = events.SkipLast(1).Select(e => JsonNode.Parse(e.Data)!).ToList();
        foreach (var (_, data) in events.SkipLast(1))
        {
            Assert.Null(schemas.Describe(OpenAISchemas.CreateChatCompletionStreamResponse, data));
        }

        Assert.Equal("Checking both.", string.Concat(chunks.Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        var starts = chunks.Select(c => c["choices"]![0]!["delta"]!["tool_calls"]?[0]).Where(t => t?["id"] is not null).ToList();
        Assert.Equal([0, 1], starts.Select(s => s!["index"]!.GetValue<int>()));
        Assert.Equal("tool_calls", chunks[^1]["choices"]![0]!["finish_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAIClient_ToGemini_RateLimited_429WithRetryAfter()
    {
        _gemini.Handler = FakeGeminiUpstream.Serve("error-429.json", 429);
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gemini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("7", response.Headers.GetValues("retry-after").Single());
        Assert.Equal("rate_limit_error", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
    }

    // ---- Anthropic client → Anthropic upstream (passthrough) ----

    [Fact]
    public async Task AnthropicClient_ToAnthropic_OriginalBytesWithModelRewritten()
    {
        using var client = AnthropicClient();
        const string request = """{"messages":[{"role":"user","content":"Hi"},{"role":"assistant","content":[{"type":"thinking","thinking":"hmm","signature":"sig=="},{"type":"text","text":"Yes"}]},{"role":"user","content":"More"}],"model":"claude","thinking":{"type":"enabled","budget_tokens":1024},"context_management":{"edits":[]},"service_tier":"standard_only"}""";

        using var response = await client.PostAsync("/v1/messages", Json(request), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_anthropic.Received);
        // max_tokens was missing (allowed here): the model's configured maximum output is added; nothing else changes.
        Assert.Equal("{\"max_tokens\":8192," + request[1..].Replace("\"model\":\"claude\"", "\"model\":\"claude-sonnet-4-5\"", StringComparison.Ordinal), sent.Text);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("msg_fake_1", JsonNode.Parse(body)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task AnthropicClient_ToAnthropic_StreamRelayedEventByEvent()
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"claude","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(string.Concat(FakeAnthropicUpstream.StreamEvents("claude-sonnet-4-5", null, "Hello from Claude.")).Replace("{\"type\": \"ping\"}", "{\"type\": \"ping\"}", StringComparison.Ordinal), text);
    }

    [Fact]
    public async Task AnthropicClient_ThinkingToOpenAIStyleOrGemini_400NamingIt()
    {
        using var client = AnthropicClient();
        using var openAI = await client.PostAsync("/v1/messages", Json("""{"model":"gpt-4o-mini","max_tokens":20,"thinking":{"type":"enabled","budget_tokens":1024},"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var gemini = await client.PostAsync("/v1/messages", Json("""{"model":"gemini","max_tokens":20,"messages":[{"role":"user","content":"Hi"}],"container":"c1"}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, openAI.StatusCode);
        var error = JsonNode.Parse(await openAI.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("invalid_request_error", error["type"]!.GetValue<string>());
        Assert.StartsWith("thinking: extended thinking cannot be translated for an OpenAI-style upstream", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, gemini.StatusCode);
        Assert.StartsWith("container: an Anthropic-specific field cannot be translated for a Gemini upstream",
            JsonNode.Parse(await gemini.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_openAI.Received);
        Assert.Empty(_gemini.Received);
    }

    [Fact]
    public async Task AnthropicClient_ToAnthropic_Overloaded529_Is529()
    {
        _anthropic.Handler = FakeAnthropicUpstream.Error(529, "overloaded_error", "Overloaded");
        using var client = AnthropicClient();
        using var openAIClient = _app.CreateClient();

        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"claude","max_tokens":20,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var openAI = await openAIClient.PostAsync("/v1/chat/completions", Json("""{"model":"claude","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal((HttpStatusCode)529, response.StatusCode);
        Assert.Equal("overloaded_error", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadGateway, openAI.StatusCode);
        // A 529 is worth a retry on the plan's last (here only) candidate: the default policy retries once (docs/resilience.md).
        Assert.Equal(4, _anthropic.Received.Count);
    }

    [Fact]
    public async Task BothClients_ToAnthropic_400FromUpstream_RelayedInTheClientsFormat()
    {
        _anthropic.Handler = FakeAnthropicUpstream.Error(400, "invalid_request_error", "messages.0.content: bad");
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"claude","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("messages.0.content: bad", error["message"]!.GetValue<string>());
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.ErrorResponse, await response.Content.ReadAsStringAsync(Ct)));
    }

    // ---- Anthropic client → Gemini upstream ----

    [Fact]
    public async Task AnthropicClient_ToGemini_ToolUseRoundTrip()
    {
        using var client = AnthropicClient();
        using var first = await client.PostAsync("/v1/messages", Json("""{"model":"gemini","max_tokens":50,"system":"Be brief.","messages":[{"role":"user","content":"Weather?"}],"tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"tool_choice":{"type":"any"}}"""), Ct);

        var message = JsonNode.Parse(await first.Content.ReadAsStringAsync(Ct))!;
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, message.ToJsonString()));
        Assert.Equal("tool_use", message["stop_reason"]!.GetValue<string>());
        var id = message["content"]![0]!["id"]!.GetValue<string>();
        using var second = await client.PostAsync("/v1/messages", Json($$$$$"""
            {"model":"gemini","max_tokens":50,"messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","content":[{"type":"tool_use","id":"{{{{{id}}}}}","name":"get_weather","input":{"city":"Paris"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"{{{{{id}}}}}","content":"{\"temp\":21}"}]}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]}
            """), Ct);

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var sent = _gemini.Received[1].Json;
        Assert.Equal("get_weather", sent["contents"]![2]!["parts"]![0]!["functionResponse"]!["name"]!.GetValue<string>());
        Assert.Equal(21, sent["contents"]![2]!["parts"]![0]!["functionResponse"]!["response"]!["temp"]!.GetValue<int>());
        Assert.Equal("Be brief.", _gemini.Received[0].Json["systemInstruction"]!["parts"]![0]!["text"]!.GetValue<string>());
        Assert.Null(GeminiShapes.Describe("GenerateContentRequest", _gemini.Received[1].Text));
    }

    [Fact]
    public async Task AnthropicClient_ToGemini_StreamExactEventSequence()
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/v1/messages", Json("""{"model":"gemini","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var events = SseEvents(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Name));
        var schemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (name, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }

        var usage = JsonNode.Parse(events[^2].Data)!["usage"]!;
        Assert.Equal(8, usage["input_tokens"]!.GetValue<int>());
        Assert.Equal(4, usage["cache_read_input_tokens"]!.GetValue<int>());
        Assert.Equal(6, usage["output_tokens"]!.GetValue<int>());
    }
}
