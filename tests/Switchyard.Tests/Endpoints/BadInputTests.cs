using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Endpoints;

/// <summary>Bad input always gets a clear 4xx in OpenAI's error format, and the gateway keeps serving. Each case gets a fresh gateway.</summary>
public sealed class BadInputTests : IAsyncLifetime
{
    private FakeUpstream _upstream = null!;
    private SwitchyardAppFactory _app = null!;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync()
    {
        _upstream = await FakeUpstream.StartAsync();
        _app = await SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(_upstream.BaseUrl, server: "  max_request_body_bytes: 2000000"), TestConfig.Keys);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.DisposeAsync();
        await _upstream.DisposeAsync();
    }

    public static TheoryData<string, int, string?, string> Cases => new()
    {
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}", 400, null, "invalid_json" },
        { "not json at all", 400, null, "invalid_json" },
        { "[1,2,3]", 400, null, "invalid_body" },
        { "", 400, null, "invalid_body" },
        { "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model", "missing_required_parameter" },
        { "{\"model\":42,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 400, "model", "invalid_type" },
        { "{\"model\":\"auto\"}", 400, "messages", "missing_required_parameter" },
        { "{\"model\":\"auto\",\"messages\":[]}", 400, "messages", "empty_array" },
        { "{\"model\":\"auto\",\"messages\":\"hello\"}", 400, "messages", "invalid_type" },
        { "{\"model\":\"auto\",\"messages\":[{\"content\":\"hi\"}]}", 400, "messages[0].role", "missing_required_parameter" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"wizard\",\"content\":\"hi\"}]}", 400, "messages[0].role", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":12}]}", 400, "messages[0].content", "invalid_type" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}", 400, "messages[0].content[0].type", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":\"hot\"}", 400, "temperature", "invalid_type" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":7}", 400, "temperature", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}", 400, "stream", "invalid_type" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", 400, "max_tokens", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":{}}", 400, "tools", "invalid_type" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}", 400, "tools[0].function.name", "missing_required_parameter" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"nope\"}},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"a\"}}]}", 400, "tool_choice", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"42\"}]}", 400, "messages[0].tool_call_id", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_schema\"}}", 400, "response_format.json_schema", "missing_required_parameter" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"yaml\"}}", 400, "response_format.type", "invalid_value" },
        { "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", 400, "stop", "array_above_max_length" },
        { "{\"model\":\"no-such-model\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", 404, "model", "model_not_found" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Chat_BadInput_Returns4xxInOpenAIFormatAndKeepsServing(string body, int status, string? param, string code)
    {
        using var client = _app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(status, (int)response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal(param, error["param"]?.GetValue<string>());
        Assert.Equal(code, error["code"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(error["message"]!.GetValue<string>()));
        Assert.Empty(_upstream.Received);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task Chat_InvalidUtf8_Returns400()
    {
        using var client = _app.CreateClient();
        var bytes = Encoding.UTF8.GetBytes("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"X\"}]}");
        bytes[Array.IndexOf(bytes, (byte)'X')] = 0xC3; // a lead byte with no continuation
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/v1/chat/completions", content, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("UTF-8", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task Chat_BodyOverLimit_Returns413()
    {
        using var client = _app.CreateClient();
        var big = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 2_100_000) + "\"}]}";

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(big, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Equal("request_too_large", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task Chat_BodyOverLimitWithoutContentLength_Returns413()
    {
        using var client = _app.CreateClient();
        var big = Encoding.UTF8.GetBytes("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 2_100_000) + "\"}]}");
        using var content = new StreamContent(new NoLengthStream(big));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");

        using var response = await client.PostAsync("/v1/chat/completions", content, Ct);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task Chat_OneMegabyteSingleMessage_Returns400ContextLengthAndKeepsServing()
    {
        using var client = _app.CreateClient();
        var body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 1_048_576) + "\"}]}";

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        // ~262k estimated tokens do not fit gpt-4o-mini's 128k window: refused before any upstream is paid.
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("context_length_exceeded", error["code"]!.GetValue<string>());
        Assert.Equal("messages", error["param"]!.GetValue<string>());
        Assert.Empty(_upstream.Received);
        await AssertStillServesAsync(client);
    }

    [Fact]
    public async Task Chat_LargeMessageThatFits_IsForwardedByteForByte()
    {
        using var client = _app.CreateClient();
        var body = "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 400_000) + "\"}]}";

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body.Replace("\"auto\"", "\"gpt-4o-mini\"", StringComparison.Ordinal), _upstream.Received.Single().Text);
    }

    [Theory]
    [InlineData(null, "missing_api_key")]
    [InlineData("sk-wrong-key-123456", "invalid_api_key")]
    public async Task Chat_MissingOrWrongKey_Returns401WithoutEchoingTheKey(string? key, string code)
    {
        using var client = _app.CreateClient(key);

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent("{}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(code, JsonNode.Parse(text)!["error"]!["code"]!.GetValue<string>());
        Assert.DoesNotContain("sk-wrong", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chat_KeyInXApiKeyHeader_IsAccepted()
    {
        using var client = _app.CreateClient(key: null);
        client.DefaultRequestHeaders.Add("x-api-key", SwitchyardAppFactory.TestKey);

        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Chat_InvalidDataClassHeader_Returns400()
    {
        using var client = _app.CreateClient();
        client.DefaultRequestHeaders.Add("x-switchyard-data-class", "top-secret");

        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("x-switchyard-data-class", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["param"]!.GetValue<string>());
    }

    [Fact]
    public async Task UnknownUrl_Returns404InOpenAIFormat()
    {
        using var client = _app.CreateClient();

        using var response = await client.GetAsync("/v1/engines", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("unknown_url", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
    }

    private async Task AssertStillServesAsync(HttpClient client)
    {
        var before = _upstream.Received.Count;
        using var ok = await client.PostAsync("/v1/chat/completions",
            new StringContent("{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"still there?\"}]}", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        Assert.Equal(before + 1, _upstream.Received.Count);
    }

    private sealed class NoLengthStream(byte[] data) : MemoryStream(data)
    {
        public override bool CanSeek => false;
    }
}
