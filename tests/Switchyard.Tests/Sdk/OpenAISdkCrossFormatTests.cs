using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Sdk;

/// <summary>The official OpenAI .NET SDK, unchanged, reaching Claude (fake Anthropic upstream) and Gemini (fake Gemini upstream).</summary>
public sealed class OpenAISdkCrossFormatTests : IAsyncLifetime
{
    private const string WeatherParameters = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";
    private const string AnswerSchema = """{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";

    private FakeAnthropicUpstream _anthropic = null!;
    private FakeGeminiUpstream _gemini = null!;
    private FakeUpstream _openAI = null!;
    private SwitchyardAppFactory _app = null!;
    private OpenAIClient _client = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _anthropic = await FakeAnthropicUpstream.StartAsync();
        _gemini = await FakeGeminiUpstream.StartAsync();
        _openAI = await FakeUpstream.StartAsync();
        _app = await SwitchyardAppFactory.StartAsync(TranslationConfig.Yaml(_anthropic.BaseUrl, _gemini.BaseUrl, _openAI.BaseUrl), TranslationConfig.Keys);
        _client = new OpenAIClient(new ApiKeyCredential(SwitchyardAppFactory.TestKey), new OpenAIClientOptions
        {
            Endpoint = new Uri(_app.BaseAddress, "/v1"),
            NetworkTimeout = TimeSpan.FromSeconds(30),
            RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
        });
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _anthropic.DisposeAsync();
        await _gemini.DisposeAsync();
        await _openAI.DisposeAsync();
    }

    private static string Expected(string model) => model == "claude" ? "Hello from Claude." : "Hello from Gemini.";

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task CompleteChat_TextFinishAndUsage(string model)
    {
        ChatCompletion completion = await _client.GetChatClient(model).CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")],
            new ChatCompletionOptions { Temperature = 0.2f, MaxOutputTokenCount = 50 }, Ct);

        Assert.Equal(Expected(model), completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.True(completion.Usage.InputTokenCount > 0);
        Assert.True(completion.Usage.OutputTokenCount > 0);
        Assert.True(completion.Usage.InputTokenDetails.CachedTokenCount > 0);
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task CompleteChatStreaming_AssemblesText(string model)
    {
        var text = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in _client.GetChatClient(model).CompleteChatStreamingAsync([new UserChatMessage("Hi")], cancellationToken: Ct).WithCancellation(Ct))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal(model == "claude" ? "Hello from Claude." : "Hello from Gemini — grüße, 世界.", text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        // The SDK asks for the usage chunk (stream_options.include_usage); the upstream's counts arrive in it.
        Assert.Equal(model == "claude" ? FakeAnthropicUpstream.OutputTokens : 6, usage?.OutputTokenCount);
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task ToolCalling_RoundTrip(string model)
    {
        var chat = _client.GetChatClient(model);
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString(WeatherParameters), functionSchemaIsStrict: true) },
            ToolChoice = ChatToolChoice.CreateRequiredChoice(),
        };
        List<ChatMessage> messages = [new UserChatMessage("Weather in Paris?")];

        ChatCompletion first = await chat.CompleteChatAsync(messages, options, Ct);

        Assert.Equal(ChatFinishReason.ToolCalls, first.FinishReason);
        var call = first.ToolCalls[0];
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        messages.Add(new AssistantChatMessage(first));
        foreach (var toolCall in first.ToolCalls)
        {
            messages.Add(new ToolChatMessage(toolCall.Id, "21C"));
        }

        options.ToolChoice = ChatToolChoice.CreateAutoChoice();
        ChatCompletion second = await chat.CompleteChatAsync(messages, options, Ct);

        Assert.Equal(Expected(model), second.Content[0].Text);
        if (model == "claude")
        {
            var result = _anthropic.Received[1].Json["messages"]![2]!["content"]![0]!;
            Assert.Equal(call.Id, result["tool_use_id"]!.GetValue<string>());
        }
        else
        {
            var result = _gemini.Received[1].Json["contents"]![2]!["parts"]![0]!["functionResponse"]!;
            Assert.Equal("get_weather", result["name"]!.GetValue<string>());
            Assert.Equal("21C", result["response"]!["result"]!.GetValue<string>());
        }
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task ToolCallingStreaming_AssemblesArguments(string model)
    {
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString(WeatherParameters)) },
            ToolChoice = ChatToolChoice.CreateRequiredChoice(),
        };
        string? id = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;

        await foreach (var update in _client.GetChatClient(model).CompleteChatStreamingAsync([new UserChatMessage("Weather?")], options, Ct).WithCancellation(Ct))
        {
            foreach (var toolUpdate in update.ToolCallUpdates.Where(t => t.Index == 0))
            {
                id ??= toolUpdate.ToolCallId;
                if (toolUpdate.FunctionArgumentsUpdate is { } delta && !delta.ToMemory().IsEmpty)
                {
                    arguments.Append(delta.ToString());
                }
            }

            finish ??= update.FinishReason;
        }

        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal("{\"city\":\"Paris\"}", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
    }

    [Theory]
    [InlineData("claude")]
    [InlineData("gemini")]
    public async Task JsonSchemaResponseFormat_ReadsJson(string model)
    {
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(AnswerSchema), jsonSchemaIsStrict: true),
        };

        ChatCompletion completion = await _client.GetChatClient(model).CompleteChatAsync([new UserChatMessage("The answer?")], options, Ct);

        Assert.Equal("42", JsonNode.Parse(completion.Content[0].Text)!["answer"]!.GetValue<string>());
    }

    [Fact]
    public async Task LogProbabilities_ToClaude_RefusedByNameAsClientResultException()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() =>
            _client.GetChatClient("claude").CompleteChatAsync([new UserChatMessage("Hi")], new ChatCompletionOptions { IncludeLogProbabilities = true }, Ct));

        Assert.Equal(400, error.Status);
        Assert.Contains("logprobs", error.Message, StringComparison.Ordinal);
    }
}
