using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>
/// An Anthropic client's tool-use loop as the official SDKs run it: turn two sends turn one's reply blocks back
/// verbatim (<c>messages.push({role: "assistant", content: message.content})</c>), <c>caller</c> and all. The
/// gateway must accept its own output, whatever format the upstream speaks.
/// </summary>
public sealed class AnthropicRoundTripTests : IAsyncLifetime
{
    private const string Tools = """[{"name":"get_weather","description":"Weather of a city","input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}]""";

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

    [Theory]
    [InlineData("claude", false)]
    [InlineData("claude", true)]
    [InlineData("gpt-4o-mini", false)]
    [InlineData("gpt-4o-mini", true)]
    [InlineData("gemini", false)]
    [InlineData("gemini", true)]
    public async Task ToolUseLoop_TurnTwoEchoesTurnOnesBlocksVerbatim_200(string model, bool stream)
    {
        using var client = _app.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("x-api-key", SwitchyardAppFactory.TestKey);
        client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        var question = """{"role":"user","content":"Weather in Paris?"}""";

        using var first = await client.PostAsync("/v1/messages", Json($$$"""
            {"model":"{{{model}}}","max_tokens":64,"stream":{{{(stream ? "true" : "false")}}},"messages":[{{{question}}}],"tools":{{{Tools}}},"tool_choice":{"type":"any"}}
            """), Ct);
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var content = stream ? ContentFromEvents(await first.Content.ReadAsStringAsync(Ct)) : JsonNode.Parse(await first.Content.ReadAsStringAsync(Ct))!["content"]!.AsArray();
        var toolUses = content.Where(b => b!["type"]!.GetValue<string>() == "tool_use").ToList();
        // Anthropic's replies say who made each call; the current schema requires it on tool_use blocks.
        Assert.All(toolUses, b => Assert.Equal("direct", b!["caller"]!["type"]!.GetValue<string>()));
        var toolUse = toolUses[0]!;
        var id = toolUse["id"]!.GetValue<string>();
        var results = string.Join(',', toolUses.Select(b => $$"""{"type":"tool_result","tool_use_id":"{{b!["id"]!.GetValue<string>()}}","content":"21°C and sunny"}"""));

        var echoed = content.ToJsonString();
        using var second = await client.PostAsync("/v1/messages", Json($$$"""
            {"model":"{{{model}}}","max_tokens":64,"tools":{{{Tools}}},"messages":[{{{question}}},
             {"role":"assistant","content":{{{echoed}}}},
             {"role":"user","content":[{{{results}}}]}]}
            """), Ct);

        Assert.True(second.StatusCode == HttpStatusCode.OK, await second.Content.ReadAsStringAsync(Ct));
        switch (model)
        {
            case "claude":
                // Same format: the blocks reach Anthropic exactly as the client sent them.
                Assert.Equal(echoed, _anthropic.Received[1].Json["messages"]![1]!["content"]!.ToJsonString());
                break;
            case "gpt-4o-mini":
                Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, await second.Content.ReadAsStringAsync(Ct)));
                var sent = _openAI.Received[1].Json["messages"]!.AsArray();
                Assert.Equal(id, sent[1]!["tool_calls"]![0]!["id"]!.GetValue<string>());
                Assert.Equal(id, sent[2]!["tool_call_id"]!.GetValue<string>());
                Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionRequest, _openAI.Received[1].Text));
                break;
            default:
                Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, await second.Content.ReadAsStringAsync(Ct)));
                var parts = _gemini.Received[1].Json["contents"]!.AsArray();
                Assert.Equal(toolUse["name"]!.GetValue<string>(), parts[1]!["parts"]!.AsArray().First(p => p!["functionCall"] is not null)!["functionCall"]!["name"]!.GetValue<string>());
                Assert.Equal("21°C and sunny", parts[2]!["parts"]![0]!["functionResponse"]!["response"]!["result"]!.GetValue<string>());
                Assert.Null(GeminiShapes.Describe("GenerateContentRequest", _gemini.Received[1].Text));
                break;
        }
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>The reply's content blocks as an SDK assembles them from a stream: each block as it started, tool input from its JSON deltas.</summary>
    private static JsonArray ContentFromEvents(string sse)
    {
        var blocks = new JsonArray();
        var inputs = new Dictionary<int, StringBuilder>();
        foreach (var line in sse.Split('\n').Where(l => l.StartsWith("data: ", StringComparison.Ordinal)))
        {
            var evt = JsonNode.Parse(line["data: ".Length..])!;
            switch (evt["type"]!.GetValue<string>())
            {
                case "content_block_start":
                    blocks.Add(evt["content_block"]!.DeepClone());
                    inputs[evt["index"]!.GetValue<int>()] = new StringBuilder();
                    break;
                case "content_block_delta" when evt["delta"]!["type"]!.GetValue<string>() == "input_json_delta":
                    inputs[evt["index"]!.GetValue<int>()].Append(evt["delta"]!["partial_json"]!.GetValue<string>());
                    break;
                case "content_block_delta" when evt["delta"]!["type"]!.GetValue<string>() == "text_delta":
                    var block = blocks[evt["index"]!.GetValue<int>()]!;
                    block["text"] = block["text"]!.GetValue<string>() + evt["delta"]!["text"]!.GetValue<string>();
                    break;
            }
        }

        foreach (var (index, json) in inputs)
        {
            if (json.Length > 0)
            {
                blocks[index]!["input"] = JsonNode.Parse(json.ToString());
            }
        }

        return blocks;
    }
}
