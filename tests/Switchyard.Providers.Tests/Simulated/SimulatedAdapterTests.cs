using System.Text;
using System.Text.Json;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Pricing;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Simulated;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Providers.Tests.Simulated;

public sealed class SimulatedAdapterTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    private static readonly SimulationConfig _fast = new() { TimeToFirstToken = TimeSpan.Zero, TokensPerSecond = 1e12, ReplyTokens = 12 };

    private static (SimulatedAdapter Adapter, Deployment Deployment) Create(SimulationConfig? sim = null, IRandomSource? random = null, bool streamUsage = false)
    {
        var config = new ProviderConfig { Name = "sim", Type = "simulated", Zone = TrustZone.SelfHosted, StreamUsage = streamUsage };
        var adapter = new SimulatedAdapter(config, new FakeTimeProvider(), random ?? new SeededRandomSource(7));
        var model = new ModelInfo
        {
            Name = "local-llama",
            Supports = Core.Model.RequestFeatures.None,
            SupportsChat = true,
            SupportsEmbeddings = true,
            Price = ModelPrice.Free,
        };
        var deployment = new Deployment
        {
            Id = "sim-1",
            ProviderName = "sim",
            ProviderType = "simulated",
            UpstreamModel = "llama-3.1-8b",
            Zone = TrustZone.SelfHosted,
            Weight = 1,
            Adapter = adapter,
            Simulation = sim ?? _fast,
            Model = model,
        };
        return (adapter, deployment);
    }

    private static async Task<UpstreamResult> SendChatAsync(string body, SimulationConfig? sim = null, IRandomSource? random = null, bool streamUsage = false)
    {
        var (request, error) = OpenAIRequestParser.ParseChat(Encoding.UTF8.GetBytes(body));
        Assert.Null(error);
        var (adapter, deployment) = Create(sim, random, streamUsage);
        return await adapter.SendAsync(new UpstreamCall(request!, deployment, "req123"), TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(_timeout, TestContext.Current.CancellationToken);
    }

    private static async Task<JsonDocument> SendEmbeddingsAsync(string body)
    {
        var (request, error) = OpenAIRequestParser.ParseEmbeddings(Encoding.UTF8.GetBytes(body));
        Assert.Null(error);
        var (adapter, deployment) = Create();
        var result = await adapter.SendAsync(new UpstreamCall(request!, deployment, "emb1"), TestContext.Current.CancellationToken).AsTask()
            .WaitAsync(_timeout, TestContext.Current.CancellationToken);
        Assert.Equal(DispatchStatus.Success, result.Status);
        return JsonDocument.Parse(result.Body);
    }

    [Fact]
    public async Task SendAsync_PlainChat_ReturnsOpenAICompletionWithText()
    {
        var result = await SendChatAsync("""{"model":"local","messages":[{"role":"user","content":"Say hi"}]}""");

        Assert.Equal(DispatchStatus.Success, result.Status);
        Assert.Equal(200, result.UpstreamStatusCode);
        using var document = JsonDocument.Parse(result.Body);
        var root = document.RootElement;
        Assert.Equal("chatcmpl-sim-req123", root.GetProperty("id").GetString());
        Assert.Equal("chat.completion", root.GetProperty("object").GetString());
        Assert.Equal("llama-3.1-8b", root.GetProperty("model").GetString());
        Assert.Equal(SimulatedAdapter.Fingerprint, root.GetProperty("system_fingerprint").GetString());
        var choice = Assert.Single(root.GetProperty("choices").EnumerateArray());
        Assert.Equal("stop", choice.GetProperty("finish_reason").GetString());
        Assert.Equal("assistant", choice.GetProperty("message").GetProperty("role").GetString());
        var content = choice.GetProperty("message").GetProperty("content").GetString()!;
        Assert.Equal(12, content.Split(' ').Length);
        Assert.EndsWith(".", content, StringComparison.Ordinal);
        Assert.True(char.IsUpper(content[0]));
        var usage = root.GetProperty("usage");
        Assert.Equal(12, usage.GetProperty("completion_tokens").GetInt32());
        Assert.Equal(result.Usage!.Value.InputTokens, usage.GetProperty("prompt_tokens").GetInt32());
        Assert.Equal(result.Usage.Value.TotalTokens, usage.GetProperty("total_tokens").GetInt32());
        Assert.Equal(12, result.Usage.Value.OutputTokens);
    }

    [Fact]
    public async Task SendAsync_MaxTokensBelowReplyTokens_ReplyCapped()
    {
        var result = await SendChatAsync("""{"model":"local","max_completion_tokens":3,"messages":[{"role":"user","content":"Say hi"}]}""");

        Assert.Equal(3, result.Usage!.Value.OutputTokens);
        using var document = JsonDocument.Parse(result.Body);
        Assert.Equal(3, document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!.Split(' ').Length);
    }

    [Theory]
    [InlineData("\"required\"", "get_weather")]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"book\"}}", "book")]
    public async Task SendAsync_ToolsWithRequiredOrNamedChoice_ReturnsToolCallMatchingSchema(string choice, string expectedTool)
    {
        var result = await SendChatAsync($$$$"""
            {"model":"local","messages":[{"role":"user","content":"Weather?"}],"tool_choice":{{{{choice}}}},
             "tools":[
               {"type":"function","function":{"name":"get_weather","parameters":{"type":"object","properties":{"city":{"type":"string"},"days":{"type":"integer","minimum":3}},"required":["city","days"]}}},
               {"type":"function","function":{"name":"book","parameters":{"type":"object","properties":{"when":{"type":"string","enum":["today","tomorrow"]},"people":{"type":"number"}},"required":["when"]}}}
             ]}
            """);

        using var document = JsonDocument.Parse(result.Body);
        var choice0 = document.RootElement.GetProperty("choices")[0];
        Assert.Equal("tool_calls", choice0.GetProperty("finish_reason").GetString());
        Assert.Equal(JsonValueKind.Null, choice0.GetProperty("message").GetProperty("content").ValueKind);
        var call = Assert.Single(choice0.GetProperty("message").GetProperty("tool_calls").EnumerateArray());
        Assert.Equal("function", call.GetProperty("type").GetString());
        Assert.StartsWith("call_", call.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal(expectedTool, call.GetProperty("function").GetProperty("name").GetString());
        using var arguments = JsonDocument.Parse(call.GetProperty("function").GetProperty("arguments").GetString()!);
        if (expectedTool == "get_weather")
        {
            Assert.Equal(JsonValueKind.String, arguments.RootElement.GetProperty("city").ValueKind);
            Assert.Equal(3, arguments.RootElement.GetProperty("days").GetInt64());
        }
        else
        {
            Assert.Equal("today", arguments.RootElement.GetProperty("when").GetString());
            Assert.Equal(JsonValueKind.Number, arguments.RootElement.GetProperty("people").ValueKind);
        }
    }

    [Fact]
    public async Task SendAsync_ToolChoiceNone_AnswersWithText()
    {
        var result = await SendChatAsync("""
            {"model":"local","messages":[{"role":"user","content":"Hi"}],"tool_choice":"none","tools":[{"type":"function","function":{"name":"f"}}]}
            """);

        using var document = JsonDocument.Parse(result.Body);
        Assert.Equal("stop", document.RootElement.GetProperty("choices")[0].GetProperty("finish_reason").GetString());
    }

    [Fact]
    public async Task SendAsync_JsonSchema_ContentSatisfiesRequiredPropertiesAndTypes()
    {
        var result = await SendChatAsync("""
            {"model":"local","messages":[{"role":"user","content":"Person?"}],
             "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":{
               "type":"object",
               "properties":{
                 "name":{"type":"string"},
                 "age":{"type":"integer","minimum":18},
                 "score":{"type":"number"},
                 "active":{"type":"boolean"},
                 "tags":{"type":"array","items":{"type":"string"},"minItems":2},
                 "address":{"$ref":"#/$defs/address"},
                 "kind":{"enum":["a","b"]},
                 "nickname":{"type":["string","null"]}
               },
               "required":["name","age","score","active","tags","address","kind","nickname"],
               "$defs":{"address":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}
             }}}}
            """);

        using var document = JsonDocument.Parse(result.Body);
        var content = document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var value = JsonDocument.Parse(content);
        var root = value.RootElement;
        Assert.Equal(JsonValueKind.String, root.GetProperty("name").ValueKind);
        Assert.Equal(18, root.GetProperty("age").GetInt64());
        Assert.Equal(JsonValueKind.Number, root.GetProperty("score").ValueKind);
        Assert.True(root.GetProperty("active").GetBoolean());
        Assert.Equal(2, root.GetProperty("tags").GetArrayLength());
        Assert.All(root.GetProperty("tags").EnumerateArray(), t => Assert.Equal(JsonValueKind.String, t.ValueKind));
        Assert.Equal(JsonValueKind.String, root.GetProperty("address").GetProperty("city").ValueKind);
        Assert.Equal("a", root.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.String, root.GetProperty("nickname").ValueKind);
    }

    [Fact]
    public async Task SendAsync_JsonObject_ContentIsAJsonObject()
    {
        var result = await SendChatAsync("""{"model":"local","messages":[{"role":"user","content":"x"}],"response_format":{"type":"json_object"}}""");

        using var document = JsonDocument.Parse(result.Body);
        var content = document.RootElement.GetProperty("choices")[0].GetProperty("message").GetProperty("content").GetString()!;
        using var value = JsonDocument.Parse(content);
        Assert.Equal(JsonValueKind.Object, value.RootElement.ValueKind);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task SendAsync_Stream_ChunksThenUsageThenDone(bool includeUsage, bool providerStreamUsage)
    {
        var body = includeUsage
            ? """{"model":"local","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Say hi"}]}"""
            : """{"model":"local","stream":true,"messages":[{"role":"user","content":"Say hi"}]}""";
        var result = await SendChatAsync(body, streamUsage: providerStreamUsage);
        Assert.Equal(DispatchStatus.Success, result.Status);
        await using var stream = Assert.IsAssignableFrom<IUpstreamStream>(result.Stream);

        var payloads = new List<string>();
        var flags = new List<(bool Done, bool UsageOnly)>();
        while (await stream.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(_timeout, TestContext.Current.CancellationToken))
        {
            payloads.Add(Encoding.UTF8.GetString(stream.Current.Data.Span));
            flags.Add((stream.Current.IsDone, stream.Current.IsUsageOnly));
        }

        Assert.Equal("[DONE]", payloads[^1]);
        Assert.Equal((true, false), flags[^1]);
        Assert.Equal((false, true), flags[^2]);
        Assert.Null(stream.Failure);
        using var usageChunk = JsonDocument.Parse(payloads[^2]);
        Assert.Equal(0, usageChunk.RootElement.GetProperty("choices").GetArrayLength());
        Assert.Equal(12, usageChunk.RootElement.GetProperty("usage").GetProperty("completion_tokens").GetInt32());
        Assert.Equal(12, stream.Usage!.Value.OutputTokens);

        var text = new StringBuilder();
        string? finish = null;
        foreach (var payload in payloads[..^2])
        {
            using var chunk = JsonDocument.Parse(payload);
            Assert.Equal("chat.completion.chunk", chunk.RootElement.GetProperty("object").GetString());
            Assert.Equal("chatcmpl-sim-req123", chunk.RootElement.GetProperty("id").GetString());
            var choice = chunk.RootElement.GetProperty("choices")[0];
            if (choice.GetProperty("delta").TryGetProperty("content", out var c))
            {
                text.Append(c.GetString());
            }

            if (choice.GetProperty("finish_reason").ValueKind == JsonValueKind.String)
            {
                finish = choice.GetProperty("finish_reason").GetString();
            }
        }

        Assert.Equal("stop", finish);
        Assert.Equal(12, text.ToString().Split(' ').Length);
        Assert.Equal(text.Length, stream.ContentChars);
    }

    [Fact]
    public async Task SendAsync_StreamWithoutUsageRequested_EndsWithDoneAndNoUsageChunk()
    {
        var result = await SendChatAsync("""{"model":"local","stream":true,"messages":[{"role":"user","content":"Say hi"}]}""");
        await using var stream = result.Stream!;

        var events = new List<StreamEvent>();
        while (await stream.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(_timeout, TestContext.Current.CancellationToken))
        {
            events.Add(stream.Current with { Data = stream.Current.Data.ToArray() });
        }

        Assert.True(events[^1].IsDone);
        Assert.DoesNotContain(events, e => e.IsUsageOnly);
        Assert.Equal(1 + 12 + 1 + 1, events.Count);
        Assert.Equal(12, stream.Usage!.Value.OutputTokens);
    }

    [Theory]
    [InlineData(0.2, DispatchStatus.RateLimited, 429)]
    [InlineData(0.7, DispatchStatus.UpstreamError, 500)]
    public async Task SendAsync_ErrorRateOne_ReturnsRateLimitOrServerError(double second, DispatchStatus status, int code)
    {
        var sim = _fast with { ErrorRate = 1.0 };

        var result = await SendChatAsync("""{"model":"local","messages":[{"role":"user","content":"hi"}]}""", sim, new ScriptedRandomSource(0.99, second));

        Assert.Equal(status, result.Status);
        Assert.Equal(code, result.UpstreamStatusCode);
        Assert.Contains("sim", result.SafeMessage, StringComparison.Ordinal);
        Assert.True(result.Body.IsEmpty);
    }

    [Fact]
    public async Task SendAsync_ErrorRateOne_NeverSucceeds()
    {
        var sim = _fast with { ErrorRate = 1.0 };
        var random = new SeededRandomSource(3);
        var statuses = new List<int>();
        for (var i = 0; i < 200; i++)
        {
            statuses.Add((await SendChatAsync("""{"model":"local","messages":[{"role":"user","content":"hi"}]}""", sim, random)).UpstreamStatusCode);
        }

        Assert.All(statuses, s => Assert.Contains(s, new[] { 429, 500 }));
        Assert.Contains(429, statuses);
        Assert.Contains(500, statuses);
    }

    [Fact]
    public async Task SendAsync_Embeddings_DeterministicPerInputAndUnitNorm()
    {
        using var first = await SendEmbeddingsAsync("""{"model":"e","input":["alpha","beta","alpha"]}""");
        using var again = await SendEmbeddingsAsync("""{"model":"e","input":"beta"}""");

        var data = first.RootElement.GetProperty("data");
        Assert.Equal(3, data.GetArrayLength());
        var vectors = data.EnumerateArray().Select(d => d.GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToArray()).ToList();
        Assert.Equal([0, 1, 2], data.EnumerateArray().Select(d => d.GetProperty("index").GetInt32()));
        Assert.All(vectors, v => Assert.Equal(256, v.Length));
        Assert.Equal(vectors[0], vectors[2]);
        Assert.NotEqual(vectors[0], vectors[1]);
        var beta = again.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(vectors[1], beta);
        Assert.All(vectors, v => Assert.InRange(Math.Sqrt(v.Sum(x => x * x)), 0.9999, 1.0001));
        Assert.Equal("list", first.RootElement.GetProperty("object").GetString());
        Assert.Equal("llama-3.1-8b", first.RootElement.GetProperty("model").GetString());
    }

    [Theory]
    [InlineData(1)]
    [InlineData(64)]
    [InlineData(1536)]
    public async Task SendAsync_EmbeddingsDimensions_Honoured(int dimensions)
    {
        using var document = await SendEmbeddingsAsync($$"""{"model":"e","input":"hello","dimensions":{{dimensions}}}""");

        var vector = document.RootElement.GetProperty("data")[0].GetProperty("embedding").EnumerateArray().Select(v => v.GetDouble()).ToArray();
        Assert.Equal(dimensions, vector.Length);
        Assert.InRange(Math.Sqrt(vector.Sum(x => x * x)), 0.9999, 1.0001);
    }

    [Fact]
    public async Task SendAsync_EmbeddingsTokenArrays_OneVectorPerArray()
    {
        using var document = await SendEmbeddingsAsync("""{"model":"e","input":[[1,2,3],[4,5]]}""");

        Assert.Equal(2, document.RootElement.GetProperty("data").GetArrayLength());
    }

    [Fact]
    public async Task SendAsync_EmbeddingsBase64_DecodesToUnitFloats()
    {
        using var document = await SendEmbeddingsAsync("""{"model":"e","input":"hello","dimensions":8,"encoding_format":"base64"}""");

        var bytes = Convert.FromBase64String(document.RootElement.GetProperty("data")[0].GetProperty("embedding").GetString()!);
        var floats = new float[bytes.Length / 4];
        Buffer.BlockCopy(bytes, 0, floats, 0, bytes.Length);
        Assert.Equal(8, floats.Length);
        Assert.InRange(Math.Sqrt(floats.Sum(x => (double)x * x)), 0.9999, 1.0001);
    }
}
