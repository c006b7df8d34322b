using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Common;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Endpoints;

/// <summary>
/// A lone UTF-16 surrogate escape (<c>"hi \ud800"</c>, a string cut in the middle of an emoji) is a 400 in the caller's
/// format on every endpoint that takes a body, never a 500, and nothing reaches the upstream (issue 13, defect 4).
/// </summary>
public sealed class MalformedTextTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private SwitchyardAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(_upstream.BaseUrl), TestConfig.Keys);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonNode Body)> PostAsync(string path, string json)
    {
        using var client = _app.CreateClient();
        using var response = await client.PostAsync(path, new StringContent(json, Encoding.UTF8, "application/json"), Ct);
        return (response.StatusCode, JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!);
    }

    [Theory]
    [InlineData("""{"model":"auto","messages":[{"role":"user","content":"hi \ud800"}]}""")]
    [InlineData("""{"model":"auto","stream":true,"messages":[{"role":"user","content":"hi \ud800"}]}""")]
    [InlineData("""{"model":"auto","messages":[{"role":"user","content":"\udc00 low first"}]}""")]
    [InlineData("""{"model":"auto","messages":[{"role":"user","content":"hi"}],"metadata":{"note":"\ud83d"}}""")]
    [InlineData("""{"model":"auto","messages":[{"role":"user","content":[{"type":"text","text":"\uD83D\u0041"}]}]}""")]
    public async Task ChatCompletions_LoneSurrogate_400InOpenAIFormat(string json)
    {
        var (status, body) = await PostAsync("/v1/chat/completions", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.Equal("invalid_json", body["error"]!["code"]!.GetValue<string>());
        Assert.Contains("lone UTF-16 surrogate", body["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    [Fact]
    public async Task Embeddings_LoneSurrogate_400InOpenAIFormat()
    {
        var (status, body) = await PostAsync("/v1/embeddings", """{"model":"text-embedding-3-small","input":["ok","hi \ud800"]}""");

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("invalid_json", body["error"]!["code"]!.GetValue<string>());
        Assert.Empty(_upstream.Received);
    }

    [Theory]
    [InlineData("""{"model":"auto","max_tokens":16,"messages":[{"role":"user","content":"hi \ud800"}]}""")]
    [InlineData("""{"model":"auto","max_tokens":16,"stream":true,"messages":[{"role":"user","content":"hi \ud800"}]}""")]
    [InlineData("""{"model":"auto","max_tokens":16,"system":"\udfff","messages":[{"role":"user","content":"hi"}]}""")]
    public async Task Messages_LoneSurrogate_400InAnthropicFormatWithRequestId(string json)
    {
        var (status, body) = await PostAsync("/v1/messages", json);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("error", body["type"]!.GetValue<string>());
        Assert.Equal("invalid_request_error", body["error"]!["type"]!.GetValue<string>());
        Assert.StartsWith("req_", body["request_id"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_upstream.Received);
    }

    [Theory]
    [InlineData("""{"model":"auto","messages":[{"role":"user","content":"smile \ud83d\ude00 and \\ud800 as text"}]}""")]
    [InlineData("""{"model":"auto","messages":[{"role":"user","content":"\\\\\ud83d\ude00"}]}""")]
    public async Task ChatCompletions_PairedSurrogatesAndEscapedBackslashes_Served(string json)
    {
        var (status, _) = await PostAsync("/v1/chat/completions", json);

        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task UnknownMessagesUrl_AnthropicErrorCarriesTheRequestId()
    {
        using var client = _app.CreateClient();
        using var response = await client.GetAsync("/v1/messages/nope", Ct);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        var id = body["request_id"]!.GetValue<string>();
        Assert.Equal(id, response.Headers.GetValues("x-request-id").Single());
    }

    [Theory]
    [InlineData("\"\\ud800\"", 1)]
    [InlineData("\"ok \\ud83d\\ude00 \\udc00\"", 17)]
    [InlineData("\"\\\\ud800\"", -1)]
    [InlineData("\"\\\\\\ud800\"", 3)]
    [InlineData("\"\\ud83d\\u0041\"", 1)]
    [InlineData("\"\\ud83d\\ude00\"", -1)]
    [InlineData("\"\\ud83d", 1)]
    [InlineData("\"\\u12", -1)]
    public void LoneSurrogates_Find(string json, int expected) => Assert.Equal(expected, LoneSurrogates.Find(Encoding.UTF8.GetBytes(json)));
}
