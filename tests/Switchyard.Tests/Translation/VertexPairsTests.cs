using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>
/// Gemini and Claude on Vertex AI through the real gateway, against a fake whose token endpoint verifies the RS256
/// JWT assertion of the service-account key and whose model endpoints accept only the tokens it issued.
/// </summary>
public sealed class VertexPairsTests : CloudGateway
{
    private static string ModelPath(string publisher, string model, string method) =>
        $"/v1/projects/{FakeVertexUpstream.Project}/locations/{FakeVertexUpstream.Location}/publishers/{publisher}/models/{model}:{method}";

    [Fact]
    public async Task BothClients_ToVertexGemini_GeminiFormatWithOneCachedToken()
    {
        using var openAI = App.CreateClient();
        using var anthropic = AnthropicClient();

        using var chat = await openAI.PostAsync("/v1/chat/completions", Json("""{"model":"vertex-gemini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"max_tokens":64}"""), Ct);
        using var message = await anthropic.PostAsync("/v1/messages", Json("""{"model":"vertex-gemini","max_tokens":50,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var stream = await openAI.PostAsync("/v1/chat/completions", Json("""{"model":"vertex-gemini","stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var chatBody = await chat.Content.ReadAsStringAsync(Ct);
        Assert.True(chat.StatusCode == HttpStatusCode.OK, chatBody + string.Join("; ", Vertex.RefusalReasons));
        var calls = Vertex.Received.Where(r => r.Path != "/token").ToList();
        Assert.Equal(ModelPath("google", "gemini-2.0-flash", "generateContent"), calls[0].Path);
        Assert.Equal("""{"systemInstruction":{"parts":[{"text":"Be brief."}]},"contents":[{"role":"user","parts":[{"text":"Hi"}]}],"generationConfig":{"maxOutputTokens":64}}""", calls[0].Text);
        Assert.Null(GeminiShapes.Describe("GenerateContentRequest", calls[0].Text));
        Assert.Equal(ModelPath("google", "gemini-2.0-flash", "streamGenerateContent") + "?alt=sse", calls[2].Path);
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, chatBody));
        Assert.Equal("Hello from Gemini.", JsonNode.Parse(chatBody)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var messageBody = await message.Content.ReadAsStringAsync(Ct);
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, messageBody));
        Assert.Equal("[DONE]", SseEvents(await stream.Content.ReadAsStringAsync(Ct))[^1].Data);
        // Three calls, one token: fetched once with the signed assertion, then reused until it nears expiry.
        Assert.Equal(1, Vertex.TokenCalls);
        Assert.All(calls, c => Assert.StartsWith("Bearer ya29.fake-", c.Headers["authorization"], StringComparison.Ordinal));
        AssertAllCredentialsVerified();
    }

    [Fact]
    public async Task AnthropicClient_ToVertexClaude_BodyForwardedWithoutModelAndReplyRelayed()
    {
        using var client = AnthropicClient();
        const string request = """{"model":"vertex-claude","max_tokens":20,"messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":1024}}""";

        using var response = await client.PostAsync("/v1/messages", Json(request), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Vertex.Received.Single(r => r.Path != "/token");
        Assert.Equal(ModelPath("anthropic", "claude-sonnet-4-5@20250929", "rawPredict"), sent.Path);
        Assert.Equal("""{"anthropic_version":"vertex-2023-10-16","max_tokens":20,"messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":1024}}""", sent.Text);
        Assert.Equal("msg_fake_1", JsonNode.Parse(body)!["id"]!.GetValue<string>());
        Assert.Equal("Hello from Claude on Vertex.", JsonNode.Parse(body)!["content"]![0]!["text"]!.GetValue<string>());
        AssertAllCredentialsVerified();
    }

    [Fact]
    public async Task OpenAIClient_ToVertexClaude_TranslatedBothWaysAndStreamed()
    {
        using var client = App.CreateClient();

        using var chat = await client.PostAsync("/v1/chat/completions", Json("""{"model":"vertex-claude","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}]}"""), Ct);
        using var stream = await client.PostAsync("/v1/chat/completions", Json("""{"model":"vertex-claude","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var body = await chat.Content.ReadAsStringAsync(Ct);
        var calls = Vertex.Received.Where(r => r.Path != "/token").ToList();
        Assert.Equal("""{"anthropic_version":"vertex-2023-10-16","max_tokens":2048,"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":[{"type":"text","text":"Hi"}]}]}""", calls[0].Text);
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).DescribeRequest(calls[0].Text.Replace("\"anthropic_version\":\"vertex-2023-10-16\",", "\"model\":\"claude\",", StringComparison.Ordinal)));
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, body));
        Assert.Equal(FakeAnthropicUpstream.InputTokens + FakeAnthropicUpstream.CacheReadTokens + FakeAnthropicUpstream.CacheWriteTokens,
            JsonNode.Parse(body)!["usage"]!["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(ModelPath("anthropic", "claude-sonnet-4-5@20250929", "streamRawPredict"), calls[1].Path);
        Assert.True(calls[1].Json["stream"]!.GetValue<bool>());
        var chunks = SseEvents(await stream.Content.ReadAsStringAsync(Ct));
        Assert.Equal("[DONE]", chunks[^1].Data);
        Assert.Equal("Hello from Claude on Vertex.", string.Concat(chunks.SkipLast(1).Select(c => JsonNode.Parse(c.Data)!["choices"]!.AsArray().FirstOrDefault()?["delta"]?["content"]?.GetValue<string>())));
        AssertAllCredentialsVerified();
    }

    [Fact]
    public async Task OpenAIClient_TokenExpiredOnArrival_VertexRefusesAndTheClientGetsAGatewayError()
    {
        using var client = App.CreateClient();
        // Vertex accepts only unexpired tokens it issued: a token that lapses at once is refused, and the client gets a 502.
        Vertex.TokenLifetimeSeconds = 0;

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"vertex-gemini","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(Vertex.Refused >= 1);
        Assert.Contains("an expired token", Vertex.RefusalReasons);
    }
}
