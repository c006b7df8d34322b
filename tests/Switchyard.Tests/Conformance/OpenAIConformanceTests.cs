using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Conformance;

/// <summary>
/// Every body the gateway sends upstream and every body it returns (each SSE chunk, each error) is checked
/// against OpenAI's own OpenAPI schemas, through HTTP against the real gateway in front of fake upstreams.
/// </summary>
public sealed class OpenAIConformanceTests
{
    private static readonly TimeSpan _limit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false},"strict":true}}""";
    private const string Time = """{"type":"function","function":{"name":"get_time","parameters":{"type":"object","properties":{"zone":{"type":"string","enum":["utc","local"]}},"required":["zone"]}}}""";
    private const string AnswerSchema = """{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"answer":{"type":"string"},"confidence":{"type":"number"}},"required":["answer","confidence"],"additionalProperties":false}}}""";

    [Fact]
    public async Task Chat_Plain_RequestAndResponseConform()
    {
        await using var h = await Harness.StartAsync();

        var body = await h.PostJsonAsync("""{"model":"auto","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"temperature":0.2,"max_completion_tokens":64,"user":"u-1"}""");

        var json = JsonNode.Parse(body)!;
        Assert.Equal(h.Upstream.ReplyText, json["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Fact]
    public async Task Chat_ConversationWithToolResults_RequestConforms()
    {
        await using var h = await Harness.StartAsync();
        var conversation = $$$"""
            {"model":"gpt-4o-mini","messages":[
              {"role":"developer","content":[{"type":"text","text":"Use tools."}]},
              {"role":"user","content":"Weather in Paris?"},
              {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
              {"role":"tool","tool_call_id":"call_1","content":"{\"temp\":21}"}],
             "tools":[{{{Weather}}}],"tool_choice":"auto","seed":7,"stop":["END"],"n":1}
            """;

        await h.PostJsonAsync(conversation);

        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Chat_Stream_EveryChunkConforms(bool includeUsage)
    {
        await using var h = await Harness.StartAsync();
        var options = includeUsage ? ""","stream_options":{"include_usage":true}""" : "";

        var chunks = await h.PostStreamAsync($$"""{"model":"auto","messages":[{"role":"user","content":"Hi"}],"stream":true{{options}}}""");

        Assert.Equal(h.Upstream.ReplyText, SseChunks.Content(chunks));
        var usageChunks = chunks.Where(c => JsonNode.Parse(c)!["usage"] is JsonObject).ToList();
        if (includeUsage)
        {
            var usage = Assert.Single(usageChunks);
            Assert.Equal(OpenAIWire.PromptTokens, JsonNode.Parse(usage)!["usage"]!["prompt_tokens"]!.GetValue<int>());
        }
        else
        {
            Assert.Empty(usageChunks);
        }

        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Fact]
    public async Task Chat_StreamWithOtherStreamOptions_RewrittenUpstreamRequestConforms()
    {
        await using var h = await Harness.StartAsync();

        // stream_options present without include_usage: the gateway rewrites the object to ask for usage.
        var chunks = await h.PostStreamAsync("""{"model":"auto","messages":[{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_obfuscation":false}}""");

        Assert.Equal(h.Upstream.ReplyText, SseChunks.Content(chunks));
        Assert.DoesNotContain(chunks, c => JsonNode.Parse(c)!["usage"] is JsonObject);
        h.AssertUpstreamRequestsConform(expected: 1);
        var options = h.Upstream.Received.Single().Json["stream_options"]!;
        Assert.True(options["include_usage"]!.GetValue<bool>());
        Assert.False(options["include_obfuscation"]!.GetValue<bool>());
    }

    [Fact]
    public async Task Chat_ParallelToolDefinitions_RequestAndToolCallResponseConform()
    {
        await using var h = await Harness.StartAsync();

        var body = await h.PostJsonAsync($$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather and time?"}],"tools":[{{Weather}},{{Time}}],"tool_choice":"required","parallel_tool_calls":true}""");

        var call = JsonNode.Parse(body)!["choices"]![0]!["message"]!["tool_calls"]![0]!;
        Assert.Equal("get_weather", call["function"]!["name"]!.GetValue<string>());
        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Fact]
    public async Task Chat_ToolCallStream_EveryChunkConforms()
    {
        await using var h = await Harness.StartAsync();

        var chunks = await h.PostStreamAsync($$$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Weather?"}],"tools":[{{{Weather}}},{{{Time}}}],"tool_choice":{"type":"function","function":{"name":"get_weather"}},"stream":true,"stream_options":{"include_usage":true}}""");

        Assert.Equal("{\"city\":\"Paris\"}", SseChunks.ToolArguments(chunks));
        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Theory]
    [InlineData(AnswerSchema)]
    [InlineData("""{"type":"json_object"}""")]
    [InlineData("""{"type":"text"}""")]
    public async Task Chat_ResponseFormat_RequestAndResponseConform(string responseFormat)
    {
        await using var h = await Harness.StartAsync();

        await h.PostJsonAsync($$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Answer in JSON."}],"response_format":{{responseFormat}}}""");
        await h.PostStreamAsync($$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Answer in JSON."}],"response_format":{{responseFormat}},"stream":true}""");

        h.AssertUpstreamRequestsConform(expected: 2);
    }

    [Fact]
    public async Task Chat_MultimodalImageParts_RequestConforms()
    {
        await using var h = await Harness.StartAsync();
        var body = """
            {"model":"gpt-4o-mini","messages":[{"role":"user","content":[
              {"type":"text","text":"What is in these images?"},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"low"}},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]}],"max_tokens":50}
            """;

        await h.PostJsonAsync(body);

        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Theory]
    [InlineData("\"The food was delicious.\"")]
    [InlineData("[\"first\",\"second\"]")]
    [InlineData("[1212,318,257]")]
    public async Task Embeddings_Inputs_RequestAndResponseConform(string input)
    {
        await using var h = await Harness.StartAsync();

        var body = await h.PostJsonAsync($$"""{"model":"text-embedding-3-small","input":{{input}},"encoding_format":"float"}""", "/v1/embeddings",
            OpenAISchemas.CreateEmbeddingResponse);

        Assert.NotEmpty(JsonNode.Parse(body)!["data"]!.AsArray());
        h.AssertUpstreamRequestsConform(expected: 1);
    }

    [Fact]
    public async Task Models_ListAndSingle_Conform()
    {
        await using var h = await Harness.StartAsync();

        var list = await h.GetAsync("/v1/models", HttpStatusCode.OK, OpenAISchemas.ListModelsResponse);
        var single = await h.GetAsync("/v1/models/gpt-4o-mini", HttpStatusCode.OK, OpenAISchemas.Model);

        Assert.Contains("gpt-4o-mini", JsonNode.Parse(list)!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
        Assert.Equal("gpt-4o-mini", JsonNode.Parse(single)!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_GatewayAndUpstreamFailures_BodiesConform()
    {
        await using var upstream = await FakeUpstream.StartAsync().WaitAsync(_limit, Ct);
        await using var h = await Harness.StartAsync(server: "  max_request_body_bytes: 4096", upstream: upstream);
        const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";

        await h.PostErrorAsync("""{"model":"gpt-4o-mini","messages":"not an array"}""", HttpStatusCode.BadRequest);
        await h.PostErrorAsync("{not json", HttpStatusCode.BadRequest);
        await h.PostErrorAsync(Chat, HttpStatusCode.Unauthorized, key: null);
        await h.PostErrorAsync(Chat, HttpStatusCode.Unauthorized, key: "sk-wrong");
        await h.PostErrorAsync("""{"model":"no-such-model","messages":[{"role":"user","content":"Hi"}]}""", HttpStatusCode.NotFound);
        await h.GetAsync("/v1/models/no-such-model", HttpStatusCode.NotFound, OpenAISchemas.ErrorResponse);
        await h.GetAsync("/v1/nothing-here", HttpStatusCode.NotFound, OpenAISchemas.ErrorResponse);
        await h.PostErrorAsync($$"""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"{{new string('x', 8000)}}"}]}""", HttpStatusCode.RequestEntityTooLarge);

        upstream.Handler = FakeUpstream.Error(500, "The server had an error.", "server_error");
        await h.PostErrorAsync(Chat, HttpStatusCode.BadGateway);
        upstream.Handler = FakeUpstream.Error(400, "Invalid 'temperature'.", "invalid_request_error", "invalid_value");
        await h.PostErrorAsync(Chat, HttpStatusCode.BadRequest);
        // Last: a 429 cools the deployment down for its retry-after, so the gateway answers 429 itself until then.
        upstream.Handler = FakeUpstream.Error(429, "Rate limit reached.", "requests", "rate_limit_exceeded", ("retry-after", "2"));
        await h.PostErrorAsync(Chat, HttpStatusCode.TooManyRequests);
        await h.PostErrorAsync(Chat, HttpStatusCode.TooManyRequests);
    }

    [Theory]
    [InlineData("/v1/chat/completions", """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""")]
    [InlineData("/v1/embeddings", """{"model":"text-embedding-3-small","input":"Hi"}""")]
    public async Task Upstream200WithNonOpenAIBody_Returns502ConformingError(string path, string request)
    {
        // Before the fix, any JSON object from a 200 upstream (here a body with neither `choices` nor `data`)
        // was relayed to the client as a success that no OpenAI client can read.
        await using var upstream = await FakeUpstream.StartAsync(static (context, _) =>
            FakeUpstream.WriteJsonAsync(context, """{"status":"ok","result":"maintenance page"}""")).WaitAsync(_limit, Ct);
        await using var h = await Harness.StartAsync(upstream: upstream);

        await h.PostErrorAsync(request, HttpStatusCode.BadGateway, path: path);
    }

    [Fact]
    public async Task Stream_UpstreamBreaksMidStream_ErrorEventConforms()
    {
        await using var upstream = await FakeUpstream.StartAsync(static (context, _) =>
            FakeUpstream.WriteSseAsync(context, OpenAIWire.TextChunks("gpt-4o-mini", "Hello there", includeUsage: false).Take(2))).WaitAsync(_limit, Ct);
        await using var h = await Harness.StartAsync(upstream: upstream);

        var chunks = await h.PostStreamAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}],"stream":true}""",
            lastIsError: true);

        Assert.Equal(2, chunks.Count);
        Assert.Contains("stream_interrupted", h.LastTerminal, StringComparison.Ordinal);
    }

    /// <summary>A gateway in front of one fake upstream, and the checks every test runs.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly FakeUpstream? _ownedUpstream;

        private Harness(SwitchyardAppFactory app, FakeUpstream upstream, bool ownsUpstream, OpenAISchemas schemas)
        {
            App = app;
            Upstream = upstream;
            _ownedUpstream = ownsUpstream ? upstream : null;
            Schemas = schemas;
        }

        public SwitchyardAppFactory App { get; }

        public FakeUpstream Upstream { get; }

        public OpenAISchemas Schemas { get; }

        /// <summary>The last event of the last stream: <c>[DONE]</c> or an error object.</summary>
        public string LastTerminal { get; private set; } = "";

        public static async Task<Harness> StartAsync(string server = "", FakeUpstream? upstream = null)
        {
            var schemas = await OpenAISchemas.LoadAsync(Ct).WaitAsync(_limit, Ct);
            var owned = upstream is null;
            upstream ??= await FakeUpstream.StartAsync().WaitAsync(_limit, Ct);
            var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: server), TestConfig.Keys).WaitAsync(_limit, Ct);
            return new Harness(app, upstream, owned, schemas);
        }

        public async Task<string> PostJsonAsync(string json, string path = "/v1/chat/completions", string schema = OpenAISchemas.CreateChatCompletionResponse)
        {
            using var client = App.CreateClient();
            using var response = await client.PostAsync(path, Content(json), Ct).WaitAsync(_limit, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            AssertConforms(schema, body);
            return body;
        }

        /// <summary>Posts a streaming request; every event but <c>[DONE]</c> must be a conforming chunk.</summary>
        public async Task<List<string>> PostStreamAsync(string json, bool lastIsError = false)
        {
            using var client = App.CreateClient();
            using var response = await client.PostAsync("/v1/chat/completions", Content(json), Ct).WaitAsync(_limit, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            Assert.StartsWith("text/event-stream", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            var events = SseChunks.Data(body);
            Assert.NotEmpty(events);
            LastTerminal = events[^1];
            if (lastIsError)
            {
                AssertConforms(OpenAISchemas.ErrorResponse, LastTerminal);
            }
            else
            {
                Assert.Equal("[DONE]", LastTerminal);
            }

            events.RemoveAt(events.Count - 1);

            Assert.DoesNotContain("[DONE]", events);
            foreach (var chunk in events)
            {
                AssertConforms(OpenAISchemas.CreateChatCompletionStreamResponse, chunk);
            }

            return events;
        }

        public async Task PostErrorAsync(string json, HttpStatusCode expected, string? key = SwitchyardAppFactory.TestKey, string path = "/v1/chat/completions")
        {
            using var client = App.CreateClient(key);
            using var response = await client.PostAsync(path, Content(json), Ct).WaitAsync(_limit, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);
            Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            Assert.StartsWith("application/json", response.Content.Headers.ContentType?.ToString(), StringComparison.Ordinal);
            AssertConforms(OpenAISchemas.ErrorResponse, body);
        }

        public async Task<string> GetAsync(string path, HttpStatusCode expected, string schema)
        {
            using var client = App.CreateClient();
            using var response = await client.GetAsync(path, Ct).WaitAsync(_limit, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);
            Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
            AssertConforms(schema, body);
            return body;
        }

        public void AssertUpstreamRequestsConform(int expected)
        {
            var received = Upstream.Received;
            Assert.Equal(expected, received.Count);
            foreach (var request in received)
            {
                var schema = request.Path.EndsWith("/embeddings", StringComparison.Ordinal)
                    ? OpenAISchemas.CreateEmbeddingRequest
                    : OpenAISchemas.CreateChatCompletionRequest;
                AssertConforms(schema, request.Text);
            }
        }

        public void AssertConforms(string schema, string json) => SchemaAssert.Conforms(Schemas, schema, json);

        private static StringContent Content(string json) => new(json, Encoding.UTF8, "application/json");

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync().AsTask().WaitAsync(_limit, CancellationToken.None);
            if (_ownedUpstream is not null)
            {
                await _ownedUpstream.DisposeAsync().AsTask().WaitAsync(_limit, CancellationToken.None);
            }
        }
    }
}

/// <summary>Schema assertions with the violations and the document in the failure message.</summary>
internal static class SchemaAssert
{
    public static void Conforms(OpenAISchemas schemas, string schema, string json)
    {
        var problem = schemas.Describe(schema, json);
        Assert.True(problem is null, problem);
    }
}

/// <summary>Reads an SSE body the way a client would.</summary>
internal static class SseChunks
{
    public static List<string> Data(string body) =>
        [.. body.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Trim())
            .Where(e => e.StartsWith("data: ", StringComparison.Ordinal)).Select(e => e[6..])];

    public static string Content(IEnumerable<string> chunks) =>
        string.Concat(Choices(chunks).Select(c => c["delta"]?["content"]?.GetValue<string>() ?? ""));

    public static string ToolArguments(IEnumerable<string> chunks) =>
        string.Concat(Choices(chunks).SelectMany(c => c["delta"]?["tool_calls"]?.AsArray() ?? [])
            .Select(t => t!["function"]?["arguments"]?.GetValue<string>() ?? ""));

    private static IEnumerable<JsonNode> Choices(IEnumerable<string> chunks) =>
        chunks.Where(e => e != "[DONE]").SelectMany(e => JsonNode.Parse(e)!["choices"]?.AsArray() ?? []).Select(c => c!);
}
