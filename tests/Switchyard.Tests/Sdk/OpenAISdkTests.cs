using System.ClientModel;
using System.Text;
using System.Text.Json.Nodes;
using OpenAI;
using OpenAI.Chat;
using OpenAI.Embeddings;
using OpenAI.Models;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Sdk;

/// <summary>The official OpenAI .NET SDK, used unchanged, against the gateway in front of a fake OpenAI upstream.</summary>
public sealed class OpenAISdkTests
{
    private const string WeatherParameters = """{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],"additionalProperties":false}""";
    private const string AnswerSchema = """{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}""";

    private static readonly TimeSpan _limit = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task ChatClient_CompleteChat_ReturnsTextAndUsage()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var chat = env.Client.GetChatClient("gpt-4o-mini");

        ChatCompletion completion = await chat.CompleteChatAsync([new SystemChatMessage("Be brief."), new UserChatMessage("Hi")],
            new ChatCompletionOptions { Temperature = 0.2f }, env.Token);

        Assert.Equal(env.Upstream.ReplyText, completion.Content[0].Text);
        Assert.Equal(ChatFinishReason.Stop, completion.FinishReason);
        Assert.Equal(ChatMessageRole.Assistant, completion.Role);
        Assert.Equal(OpenAIWire.PromptTokens, completion.Usage.InputTokenCount);
        Assert.Equal(OpenAIWire.CompletionTokens, completion.Usage.OutputTokenCount);
        Assert.Equal(OpenAIWire.PromptTokens + OpenAIWire.CompletionTokens, completion.Usage.TotalTokenCount);
        Assert.Equal(OpenAIWire.CachedTokens, completion.Usage.InputTokenDetails.CachedTokenCount);
        var sent = Assert.Single(env.Upstream.Received);
        Assert.Equal("gpt-4o-mini", sent.Json["model"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatClient_CompleteChatStreaming_AssemblesTextAndUsage()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var chat = env.Client.GetChatClient("auto");
        var text = new StringBuilder();
        ChatTokenUsage? usage = null;
        ChatFinishReason? finish = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Hi")], cancellationToken: env.Token).WithCancellation(env.Token))
        {
            foreach (var part in update.ContentUpdate)
            {
                text.Append(part.Text);
            }

            usage ??= update.Usage;
            finish ??= update.FinishReason;
        }

        Assert.Equal(env.Upstream.ReplyText, text.ToString());
        Assert.Equal(ChatFinishReason.Stop, finish);
        Assert.NotNull(usage);
        Assert.Equal(OpenAIWire.PromptTokens, usage.InputTokenCount);
        Assert.Equal(OpenAIWire.CompletionTokens, usage.OutputTokenCount);
    }

    [Fact]
    public async Task ChatClient_ToolCalling_ReadsToolCallIdNameAndArguments()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var chat = env.Client.GetChatClient("gpt-4o-mini");
        var options = new ChatCompletionOptions
        {
            Tools =
            {
                ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString(WeatherParameters), functionSchemaIsStrict: true),
                ChatTool.CreateFunctionTool("get_time", "Local time", BinaryData.FromString("""{"type":"object","properties":{}}""")),
            },
            ToolChoice = ChatToolChoice.CreateRequiredChoice(),
            AllowParallelToolCalls = true,
        };

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("Weather in Paris?")], options, env.Token);

        Assert.Equal(ChatFinishReason.ToolCalls, completion.FinishReason);
        var call = Assert.Single(completion.ToolCalls);
        Assert.Equal("call_abc123", call.Id);
        Assert.Equal("get_weather", call.FunctionName);
        Assert.Equal("Paris", JsonNode.Parse(call.FunctionArguments.ToString())!["city"]!.GetValue<string>());
        var sent = Assert.Single(env.Upstream.Received).Json;
        Assert.Equal(2, sent["tools"]!.AsArray().Count);
        Assert.Equal("required", sent["tool_choice"]!.GetValue<string>());
    }

    [Fact]
    public async Task ChatClient_ToolCallingStreaming_AssemblesArgumentDeltas()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var chat = env.Client.GetChatClient("gpt-4o-mini");
        var options = new ChatCompletionOptions
        {
            Tools = { ChatTool.CreateFunctionTool("get_weather", "Weather of a city", BinaryData.FromString(WeatherParameters)) },
            ToolChoice = ChatToolChoice.CreateFunctionChoice("get_weather"),
        };
        string? id = null;
        string? name = null;
        var arguments = new StringBuilder();
        ChatFinishReason? finish = null;
        ChatTokenUsage? usage = null;

        await foreach (var update in chat.CompleteChatStreamingAsync([new UserChatMessage("Weather?")], options, env.Token).WithCancellation(env.Token))
        {
            foreach (var toolUpdate in update.ToolCallUpdates)
            {
                Assert.Equal(0, toolUpdate.Index);
                id ??= toolUpdate.ToolCallId;
                name ??= toolUpdate.FunctionName;
                if (toolUpdate.FunctionArgumentsUpdate is { } delta && !delta.ToMemory().IsEmpty)
                {
                    arguments.Append(delta.ToString());
                }
            }

            finish ??= update.FinishReason;
            usage ??= update.Usage;
        }

        Assert.Equal("call_abc123", id);
        Assert.Equal("get_weather", name);
        Assert.Equal("{\"city\":\"Paris\"}", arguments.ToString());
        Assert.Equal(ChatFinishReason.ToolCalls, finish);
        Assert.Equal(OpenAIWire.PromptTokens, usage?.InputTokenCount);
    }

    [Fact]
    public async Task ChatClient_JsonSchemaResponseFormat_SendsSchemaAndReadsJson()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var chat = env.Client.GetChatClient("gpt-4o-mini");
        var options = new ChatCompletionOptions
        {
            ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("answer", BinaryData.FromString(AnswerSchema), jsonSchemaIsStrict: true),
        };

        ChatCompletion completion = await chat.CompleteChatAsync([new UserChatMessage("The answer?")], options, env.Token);

        Assert.Equal("42", JsonNode.Parse(completion.Content[0].Text)!["answer"]!.GetValue<string>());
        var format = Assert.Single(env.Upstream.Received).Json["response_format"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("answer", format["json_schema"]!["name"]!.GetValue<string>());
        Assert.True(format["json_schema"]!["strict"]!.GetValue<bool>());
    }

    [Fact]
    public async Task EmbeddingClient_GenerateEmbeddings_ReturnsVectorsInOrder()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var embeddings = env.Client.GetEmbeddingClient("text-embedding-3-small");

        OpenAIEmbeddingCollection result = await embeddings.GenerateEmbeddingsAsync(["first", "second"], cancellationToken: env.Token);

        Assert.Equal(2, result.Count);
        Assert.Equal([0, 1], result.Select(e => e.Index));
        Assert.Equal([0.0023064255f, -0.009327292f, 0.015797347f], result[0].ToFloats().ToArray());
        Assert.Equal(8, result.Usage.InputTokenCount);
        Assert.Equal("text-embedding-3-small", result.Model);
    }

    [Fact]
    public async Task OpenAIModelClient_GetModels_ListsModelsAndAliases()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var models = env.Client.GetOpenAIModelClient();

        OpenAIModelCollection list = await models.GetModelsAsync(env.Token);
        OpenAIModel single = await models.GetModelAsync("gpt-4o-mini", env.Token);

        Assert.Equal(["auto", "gpt-4o-mini", "text-embedding-3-small"], list.Select(m => m.Id).Order(StringComparer.Ordinal));
        Assert.Equal("primary", list.Single(m => m.Id == "gpt-4o-mini").OwnedBy);
        Assert.Equal("gpt-4o-mini", single.Id);
    }

    [Fact]
    public async Task ChatClient_UnknownModel_ThrowsClientResultExceptionWith404()
    {
        await using var env = await SdkEnvironment.StartAsync();
        var chat = env.Client.GetChatClient("no-such-model");

        var ex = await Assert.ThrowsAsync<ClientResultException>(() => chat.CompleteChatAsync([new UserChatMessage("Hi")], cancellationToken: env.Token));

        Assert.Equal(404, ex.Status);
        Assert.Contains("no-such-model", ex.Message, StringComparison.Ordinal);
    }

    /// <summary>Gateway + fake upstream + an SDK client pointed at the gateway, all bounded by one deadline.</summary>
    private sealed class SdkEnvironment : IAsyncDisposable
    {
        private readonly CancellationTokenSource _deadline;

        private SdkEnvironment(FakeUpstream upstream, SwitchyardAppFactory app, CancellationTokenSource deadline)
        {
            Upstream = upstream;
            App = app;
            _deadline = deadline;
            Client = new OpenAIClient(new ApiKeyCredential(SwitchyardAppFactory.TestKey), new OpenAIClientOptions
            {
                Endpoint = new Uri(app.BaseAddress, "/v1"),
                NetworkTimeout = _limit,
                RetryPolicy = new System.ClientModel.Primitives.ClientRetryPolicy(maxRetries: 0),
            });
        }

        public FakeUpstream Upstream { get; }

        public SwitchyardAppFactory App { get; }

        public OpenAIClient Client { get; }

        public CancellationToken Token => _deadline.Token;

        public static async Task<SdkEnvironment> StartAsync()
        {
            var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
            deadline.CancelAfter(_limit);
            var upstream = await FakeUpstream.StartAsync().WaitAsync(deadline.Token);
            var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys).WaitAsync(deadline.Token);
            return new SdkEnvironment(upstream, app, deadline);
        }

        public async ValueTask DisposeAsync()
        {
            await App.DisposeAsync().AsTask().WaitAsync(_limit, CancellationToken.None);
            await Upstream.DisposeAsync().AsTask().WaitAsync(_limit, CancellationToken.None);
            _deadline.Dispose();
        }
    }
}
