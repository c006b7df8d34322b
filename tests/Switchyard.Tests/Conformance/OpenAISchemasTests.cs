using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Conformance;

/// <summary>Proves the schema validator is real: it accepts OpenAI's own bodies and rejects wrong ones.</summary>
public sealed class OpenAISchemasTests
{
    private static readonly TimeSpan _limit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<OpenAISchemas> LoadAsync() => OpenAISchemas.LoadAsync(Ct).WaitAsync(_limit, Ct);

    [Fact]
    public async Task Load_OpenApiSubset_ExposesEveryComponentSchema()
    {
        var schemas = await LoadAsync();

        Assert.Equal(78, schemas.Names.Count);
        Assert.Contains(OpenAISchemas.CreateChatCompletionStreamResponse, schemas.Names);
    }

    [Fact]
    public async Task Validate_OpenAIWireBodies_NoErrors()
    {
        var schemas = await LoadAsync();

        Assert.Empty(schemas.Validate(OpenAISchemas.CreateChatCompletionResponse, OpenAIWire.Completion("gpt-4o-mini", "hi")));
        Assert.Empty(schemas.Validate(OpenAISchemas.CreateChatCompletionResponse, OpenAIWire.ToolCallCompletion("gpt-4o-mini", "get_weather", "{}")));
        Assert.Empty(schemas.Validate(OpenAISchemas.ErrorResponse, OpenAIWire.Error("boom", code: "x", param: "model")));
        foreach (var chunk in OpenAIWire.TextChunks("gpt-4o-mini", "Hello there", includeUsage: true).SkipLast(1))
        {
            Assert.Empty(schemas.Validate(OpenAISchemas.CreateChatCompletionStreamResponse, chunk));
        }
    }

    [Fact]
    public async Task Validate_NullableFieldsNull_NoErrors()
    {
        var schemas = await LoadAsync();
        // content, refusal, logprobs and finish_reason are `nullable: true` in the OpenAPI 3.0 document.
        var chunk = """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"content":null,"refusal":null},"logprobs":null,"finish_reason":null}],"usage":null}""";

        Assert.Empty(schemas.Validate(OpenAISchemas.CreateChatCompletionStreamResponse, chunk));
    }

    [Fact]
    public async Task Validate_NonNullableFieldNull_ReportsError()
    {
        var schemas = await LoadAsync();
        // `model` has no `nullable: true`: null must still be rejected, so nullable is honoured per field, not globally.
        var chunk = """{"id":"c","object":"chat.completion.chunk","created":1,"model":null,"choices":[]}""";

        var errors = schemas.Validate(OpenAISchemas.CreateChatCompletionStreamResponse, chunk);

        Assert.Contains(errors, e => e.Contains("model", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_ChatResponseWithoutChoices_ReportsMissingChoices()
    {
        var schemas = await LoadAsync();
        var body = """{"id":"chatcmpl-1","object":"chat.completion","created":1767225600,"model":"gpt-4o-mini"}""";

        var errors = schemas.Validate(OpenAISchemas.CreateChatCompletionResponse, body);

        Assert.Contains(errors, e => e.Contains("PropertyRequired", StringComparison.Ordinal) && e.Contains("choices", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_RequestWithMessagesAsString_ReportsError()
    {
        var schemas = await LoadAsync();

        var errors = schemas.Validate(OpenAISchemas.CreateChatCompletionRequest, """{"model":"gpt-4o-mini","messages":"hello"}""");

        Assert.NotEmpty(errors);
        Assert.Contains(errors, e => e.Contains("messages", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_ResolvedRefWrong_ReportsErrorInsideReferencedSchema()
    {
        var schemas = await LoadAsync();
        // usage is a $ref to CompletionUsage, whose prompt_tokens must be an integer.
        var body = OpenAIWire.Completion("gpt-4o-mini", "hi").Replace("\"prompt_tokens\":11", "\"prompt_tokens\":\"eleven\"", StringComparison.Ordinal);

        var errors = schemas.Validate(OpenAISchemas.CreateChatCompletionResponse, body);

        Assert.Contains(errors, e => e.Contains("prompt_tokens", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Validate_ErrorWithoutMessageOrWrongEnum_ReportsErrors()
    {
        var schemas = await LoadAsync();

        Assert.NotEmpty(schemas.Validate(OpenAISchemas.ErrorResponse, """{"error":{"type":"x","param":null,"code":null}}"""));
        Assert.NotEmpty(schemas.Validate(OpenAISchemas.CreateChatCompletionStreamResponse,
            """{"id":"c","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{},"finish_reason":"done"}]}"""));
        Assert.NotEmpty(schemas.Validate(OpenAISchemas.ListModelsResponse, """{"object":"list","data":[{"id":"m","object":"model"}]}"""));
    }

    [Fact]
    public async Task Validate_NotJson_ReportsError()
    {
        var schemas = await LoadAsync();

        Assert.NotEmpty(schemas.Validate(OpenAISchemas.ErrorResponse, "not json {"));
    }
}
