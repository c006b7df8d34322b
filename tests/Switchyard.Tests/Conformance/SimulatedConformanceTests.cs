using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Tests.Conformance;

/// <summary>
/// The <c>simulated</c> provider of the example configuration (config/switchyard.yaml, unchanged) answers in
/// OpenAI's exact wire format: each of its outputs validates against OpenAI's schemas.
/// </summary>
public sealed class SimulatedConformanceTests
{
    private const string LocalKey = "sk-switchyard-local-dev";
    private const string Tool = """{"type":"function","function":{"name":"book_flight","parameters":{"type":"object","properties":{"from":{"type":"string"},"to":{"type":"string"},"seats":{"type":"integer"},"class":{"type":"string","enum":["economy","business"]}},"required":["from","to","seats","class"]}}}""";
    private const string JsonSchemaFormat = """{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"answer":{"type":"string"},"score":{"type":"number"},"tags":{"type":"array","items":{"type":"string"}}},"required":["answer","score","tags"],"additionalProperties":false}}}""";

    private static readonly TimeSpan _limit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("llama-3.1-8b")]
    [InlineData("auto")]
    public async Task Simulated_ChatNonStream_Conforms(string model)
    {
        await using var sim = await Sim.StartAsync();

        var body = await sim.PostAsync("/v1/chat/completions", $$"""{"model":"{{model}}","messages":[{"role":"user","content":"Hi"}]}""", OpenAISchemas.CreateChatCompletionResponse);

        Assert.False(string.IsNullOrEmpty(JsonNode.Parse(body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Simulated_ChatStream_EveryChunkConforms(bool includeUsage)
    {
        await using var sim = await Sim.StartAsync();
        var options = includeUsage ? ""","stream_options":{"include_usage":true}""" : "";

        var chunks = await sim.StreamAsync($$"""{"model":"llama-3.1-8b","messages":[{"role":"user","content":"Hi"}],"stream":true{{options}}}""");

        Assert.False(string.IsNullOrEmpty(SseChunks.Content(chunks)));
        Assert.Equal(includeUsage ? 1 : 0, chunks.Count(c => JsonNode.Parse(c)!["usage"] is JsonObject));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Simulated_ToolCall_Conforms(bool stream)
    {
        await using var sim = await Sim.StartAsync();
        var request = $$"""{"model":"llama-3.1-8b","messages":[{"role":"user","content":"Book it"}],"tools":[{{Tool}}],"tool_choice":"required","stream":{{(stream ? "true" : "false")}}}""";

        string arguments;
        if (stream)
        {
            arguments = SseChunks.ToolArguments(await sim.StreamAsync(request));
        }
        else
        {
            var body = await sim.PostAsync("/v1/chat/completions", request, OpenAISchemas.CreateChatCompletionResponse);
            arguments = JsonNode.Parse(body)!["choices"]![0]!["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>();
        }

        var args = JsonNode.Parse(arguments)!;
        Assert.NotNull(args["from"]);
        Assert.NotNull(args["seats"]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Simulated_JsonSchema_Conforms(bool stream)
    {
        await using var sim = await Sim.StartAsync();
        var request = $$"""{"model":"llama-3.1-8b","messages":[{"role":"user","content":"JSON please"}],"response_format":{{JsonSchemaFormat}},"stream":{{(stream ? "true" : "false")}}}""";

        var content = stream
            ? SseChunks.Content(await sim.StreamAsync(request))
            : JsonNode.Parse(await sim.PostAsync("/v1/chat/completions", request, OpenAISchemas.CreateChatCompletionResponse))!["choices"]![0]!["message"]!["content"]!.GetValue<string>();

        var answer = JsonNode.Parse(content)!;
        Assert.NotNull(answer["answer"]);
        Assert.NotNull(answer["tags"]);
    }

    [Theory]
    [InlineData("\"hello\"")]
    [InlineData("[\"a\",\"b\",\"c\"]")]
    public async Task Simulated_Embeddings_Conform(string input)
    {
        await using var sim = await Sim.StartAsync();

        var body = await sim.PostAsync("/v1/embeddings", $$"""{"model":"sim-embedding","input":{{input}},"encoding_format":"float","dimensions":64}""", OpenAISchemas.CreateEmbeddingResponse);

        var data = JsonNode.Parse(body)!["data"]!.AsArray();
        Assert.Equal(input.StartsWith('[') ? 3 : 1, data.Count);
        Assert.Equal(64, data[0]!["embedding"]!.AsArray().Count);
    }

    [Fact]
    public async Task Simulated_EmbeddingsBase64_ConformsOnceDecoded()
    {
        await using var sim = await Sim.StartAsync();

        // The spec types `embedding` as number[] only, while the API (and the SDKs) send and expect a base64
        // string of little-endian float32 for encoding_format=base64: a gap in the spec, so the vector is
        // decoded and then validated.
        var body = await sim.PostAsync("/v1/embeddings", """{"model":"sim-embedding","input":"hello","encoding_format":"base64","dimensions":64}""", schema: null);

        var json = JsonNode.Parse(body)!;
        var bytes = Convert.FromBase64String(json["data"]![0]!["embedding"]!.GetValue<string>());
        Assert.Equal(64 * sizeof(float), bytes.Length);
        var floats = new float[64];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        json["data"]![0]!["embedding"] = new JsonArray([.. floats.Select(f => (JsonNode?)JsonValue.Create(f))]);
        SchemaAssert.Conforms(sim.Schemas, OpenAISchemas.CreateEmbeddingResponse, json.ToJsonString());
    }

    [Fact]
    public async Task Simulated_Models_Conform()
    {
        await using var sim = await Sim.StartAsync();
        using var client = sim.App.CreateClient(LocalKey);

        using var response = await client.GetAsync("/v1/models", Ct).WaitAsync(_limit, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        SchemaAssert.Conforms(sim.Schemas, OpenAISchemas.ListModelsResponse, body);
        Assert.Contains("llama-3.1-8b", JsonNode.Parse(body)!["data"]!.AsArray().Select(m => m!["id"]!.GetValue<string>()));
    }

    private sealed class Sim : IAsyncDisposable
    {
        private Sim(SwitchyardAppFactory app, OpenAISchemas schemas)
        {
            App = app;
            Schemas = schemas;
        }

        public SwitchyardAppFactory App { get; }

        public OpenAISchemas Schemas { get; }

        public static async Task<Sim> StartAsync()
        {
            var schemas = await OpenAISchemas.LoadAsync(Ct).WaitAsync(_limit, Ct);
            var yaml = await File.ReadAllTextAsync(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"), Ct).WaitAsync(_limit, Ct);
            var app = await SwitchyardAppFactory.StartAsync(yaml).WaitAsync(_limit, Ct);
            return new Sim(app, schemas);
        }

        public async Task<string> PostAsync(string path, string json, string? schema)
        {
            using var client = App.CreateClient(LocalKey);
            using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct).WaitAsync(_limit, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            Assert.Equal("true", response.Headers.GetValues("x-switchyard-simulated").Single());
            if (schema is not null)
            {
                SchemaAssert.Conforms(Schemas, schema, body);
            }

            return body;
        }

        public async Task<List<string>> StreamAsync(string json)
        {
            using var client = App.CreateClient(LocalKey);
            using var response = await client.PostAsync("/v1/chat/completions", new StringContent(json, Encoding.UTF8, "application/json"), Ct).WaitAsync(_limit, Ct);
            var body = await response.Content.ReadAsStringAsync(Ct).WaitAsync(_limit, Ct);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {body}");
            var events = SseChunks.Data(body);
            Assert.Equal("[DONE]", events[^1]);
            events.RemoveAt(events.Count - 1);
            foreach (var chunk in events)
            {
                SchemaAssert.Conforms(Schemas, OpenAISchemas.CreateChatCompletionStreamResponse, chunk);
            }

            return events;
        }

        public ValueTask DisposeAsync() => new(App.DisposeAsync().AsTask().WaitAsync(_limit, CancellationToken.None));
    }
}
