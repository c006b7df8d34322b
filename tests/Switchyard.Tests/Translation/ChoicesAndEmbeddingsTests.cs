using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>
/// What was refused before and is carried now: <c>n</c> &gt; 1 to Anthropic (n calls merged, usage summed) and to
/// Gemini (<c>candidateCount</c>), and OpenAI embeddings to Gemini (<c>embedContent</c>/<c>batchEmbedContents</c>).
/// </summary>
public sealed class ChoicesAndEmbeddingsTests : IAsyncLifetime
{
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

    [Fact]
    public async Task OpenAIClient_NChoicesToAnthropic_FannedOutAndMergedWithUsageSummed()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"claude","n":3,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(3, _anthropic.Received.Count);
        Assert.All(_anthropic.Received, r => Assert.Null(r.Json["n"]));
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, body));
        var reply = JsonNode.Parse(body)!;
        var choices = reply["choices"]!.AsArray();
        Assert.Equal([0, 1, 2], choices.Select(c => c!["index"]!.GetValue<int>()));
        Assert.All(choices, c => Assert.Equal("Hello from Claude.", c!["message"]!["content"]!.GetValue<string>()));
        const int PromptPerCall = FakeAnthropicUpstream.InputTokens + FakeAnthropicUpstream.CacheReadTokens + FakeAnthropicUpstream.CacheWriteTokens;
        Assert.Equal(3 * PromptPerCall, reply["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(3 * FakeAnthropicUpstream.OutputTokens, reply["usage"]!["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task OpenAIClient_NChoicesToGemini_CandidateCount()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"gemini","n":2,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(_gemini.Received);
        Assert.Equal(2, sent.Json["generationConfig"]!["candidateCount"]!.GetValue<int>());
        Assert.Null(GeminiShapes.Describe("GenerateContentRequest", sent.Text));
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, body));
        var choices = JsonNode.Parse(body)!["choices"]!.AsArray();
        Assert.Equal(["Hello from Gemini.", "Hello from Gemini. (candidate 1)"], choices.Select(c => c!["message"]!["content"]!.GetValue<string>()));
        Assert.Equal([0, 1], choices.Select(c => c!["index"]!.GetValue<int>()));
    }

    [Theory]
    [InlineData("""{"model":"gemini-embedding","input":"The quick brown fox"}""", ":embedContent", 1)]
    [InlineData("""{"model":"gemini-embedding","input":["first text","second text"],"dimensions":4}""", ":batchEmbedContents", 2)]
    public async Task OpenAIClient_EmbeddingsToGemini_OpenAIListBack(string request, string method, int count)
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/embeddings", Json(request), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, body);
        var sent = Assert.Single(_gemini.Received);
        Assert.Equal("/v1beta/models/gemini-embedding-001" + method, sent.Path);
        Assert.Equal("AIza" + "upstream-secret", sent.Headers["x-goog-api-key"]);
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateEmbeddingResponse, body));
        var data = JsonNode.Parse(body)!["data"]!.AsArray();
        Assert.Equal(count, data.Count);
        Assert.Equal(count == 1 ? 3 : 4, data[0]!["embedding"]!.AsArray().Count);
        Assert.Equal("gemini-embedding", JsonNode.Parse(body)!["model"]!.GetValue<string>());
        if (count == 2)
        {
            Assert.Equal("second text", sent.Json["requests"]![1]!["content"]!["parts"]![0]!["text"]!.GetValue<string>());
            Assert.Equal("models/gemini-embedding-001", sent.Json["requests"]![0]!["model"]!.GetValue<string>());
            Assert.Equal(4, sent.Json["requests"]![0]!["outputDimensionality"]!.GetValue<int>());
        }
    }

    [Fact]
    public async Task OpenAIClient_Base64EmbeddingsFromGemini_LittleEndianFloats()
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync("/v1/embeddings", Json("""{"model":"gemini-embedding","input":"x","encoding_format":"base64"}"""), Ct);

        var encoded = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["data"]![0]!["embedding"]!.GetValue<string>();
        var floats = new float[3];
        Buffer.BlockCopy(Convert.FromBase64String(encoded), 0, floats, 0, 12);
        Assert.Equal([0.125f, 0.625f, 1.125f], floats);
    }
}
