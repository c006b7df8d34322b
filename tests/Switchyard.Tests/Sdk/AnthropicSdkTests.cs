using System.Text.Json;
using Anthropic;
using Anthropic.Models.Messages;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Sdk;

/// <summary>
/// The official Anthropic .NET SDK (NuGet <c>Anthropic</c>) drives <c>/v1/messages</c> on the real gateway, which
/// routes to an OpenAI-style fake upstream: what the SDK parses is what an Anthropic client sees.
/// </summary>
public sealed class AnthropicSdkTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static AnthropicClient Client(SwitchyardAppFactory app) => new()
    {
        ApiKey = SwitchyardAppFactory.TestKey,
        BaseUrl = app.BaseAddress.ToString().TrimEnd('/'),
        MaxRetries = 0,
    };

    private static Tool WeatherTool() => new()
    {
        Name = "get_weather",
        Description = "Weather of a city",
        InputSchema = new InputSchema
        {
            Properties = new Dictionary<string, JsonElement> { ["city"] = JsonSerializer.SerializeToElement(new Dictionary<string, string> { ["type"] = "string" }) },
            Required = ["city"],
        },
    };

    [Fact]
    public async Task Sdk_NonStreaming_ReadsTextMessage()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        var client = Client(app);

        var message = await client.Messages.Create(new MessageCreateParams
        {
            Model = "auto",
            MaxTokens = 64,
            System = "Be brief.",
            Messages = [new UserMessageParam("Hi")],
        }, Ct);

        Assert.True(message.Content.Single().TryPickText(out var text));
        Assert.Equal(upstream.ReplyText, text!.Text);
        Assert.Equal(StopReason.EndTurn, message.StopReason!.Value());
        Assert.Equal(OpenAIWire.CompletionTokens, message.Usage.OutputTokens);
        Assert.Equal(OpenAIWire.CachedTokens, message.Usage.CacheReadInputTokens);
        Assert.Equal("user", upstream.Received.Single().Json["messages"]![1]!["role"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdk_Streaming_AssemblesTextFromEvents()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        var client = Client(app);

        var text = "";
        var kinds = new List<string>();
        await foreach (var evt in client.Messages.CreateStreaming(new MessageCreateParams
        {
            Model = "auto",
            MaxTokens = 64,
            Messages = [new UserMessageParam("Hi")],
        }, Ct))
        {
            if (evt.TryPickStart(out _))
            {
                kinds.Add("message_start");
            }
            else if (evt.TryPickContentBlockDelta(out var delta))
            {
                kinds.Add("content_block_delta");
                if (delta!.Delta.TryPickText(out var t))
                {
                    text += t!.Text;
                }
            }
            else if (evt.TryPickDelta(out var messageDelta))
            {
                kinds.Add("message_delta");
                Assert.Equal(StopReason.EndTurn, messageDelta!.Delta.StopReason!.Value());
            }
            else if (evt.TryPickStop(out _))
            {
                kinds.Add("message_stop");
            }
        }

        Assert.Equal(upstream.ReplyText, text);
        Assert.Equal("message_start", kinds[0]);
        Assert.Equal(["message_delta", "message_stop"], kinds.TakeLast(2));
    }

    [Fact]
    public async Task Sdk_ToolUseRoundTrip_IdsPreservedBothWays()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        var client = Client(app);
        MessageParam question = new UserMessageParam("Weather in Paris?");

        // Turn 1: the model calls the tool.
        var first = await client.Messages.Create(new MessageCreateParams
        {
            Model = "auto",
            MaxTokens = 64,
            Messages = [question],
            Tools = [WeatherTool()],
            ToolChoice = new ToolChoiceAny(),
        }, Ct);

        Assert.Equal(StopReason.ToolUse, first.StopReason!.Value());
        Assert.True(first.Content.Single().TryPickToolUse(out var toolUse));
        Assert.Equal("call_abc123", toolUse!.ID);
        Assert.Equal("get_weather", toolUse.Name);
        Assert.Equal("Paris", toolUse.Input["city"].GetString());

        // Turn 2: the client answers with a tool_result; the upstream sees an OpenAI tool message with the same id.
        var second = await client.Messages.Create(new MessageCreateParams
        {
            Model = "auto",
            MaxTokens = 64,
            Messages =
            [
                question,
                new AssistantMessageParam(new List<ContentBlockParam> { new ToolUseBlockParam { ID = toolUse.ID, Name = toolUse.Name, Input = toolUse.Input } }),
                new UserMessageParam(new List<ContentBlockParam> { new ToolResultBlockParam { ToolUseID = toolUse.ID, Content = "21°C and sunny" } }),
            ],
            Tools = [WeatherTool()],
        }, Ct);

        Assert.Equal(StopReason.EndTurn, second.StopReason!.Value());
        var sent = upstream.Received[1].Json["messages"]!.AsArray();
        Assert.Equal("call_abc123", sent[1]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", sent[1]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
        Assert.Equal("tool", sent[2]!["role"]!.GetValue<string>());
        Assert.Equal("call_abc123", sent[2]!["tool_call_id"]!.GetValue<string>());
        Assert.Equal("21°C and sunny", sent[2]!["content"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sdk_UnknownModel_RaisesTheSdksNotFoundException()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        var client = Client(app);

        await Assert.ThrowsAsync<Anthropic.Exceptions.AnthropicNotFoundException>(() => client.Messages.Create(new MessageCreateParams
        {
            Model = "no-such-model",
            MaxTokens = 8,
            Messages = [new UserMessageParam("Hi")],
        }, Ct));

        Assert.Empty(upstream.Received);
    }
}
