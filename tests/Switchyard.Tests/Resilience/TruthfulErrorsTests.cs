using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Resilience;

/// <summary>
/// What a client learns when an upstream fails (issue 13, defects 8 and 9): the route header and the ledger tell the whole
/// story of a fallback, and an upstream's wait (<c>retry-after</c>, <c>retry-after-ms</c>) reaches the client in its own format.
/// </summary>
public sealed class TruthfulErrorsTests
{
    private const string Chat = """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""";
    private const string Message = """{"model":"gpt-4o-mini","max_tokens":16,"messages":[{"role":"user","content":"Hi"}]}""";
    private const string UpstreamSecret = "db-host-7.internal:5432";
    private const string NoRetries = """
        resilience:
          defaults: { max_retries: 0 }
        """;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    private static async Task<HttpResponseMessage> PostAsync(SwitchyardAppFactory app, bool anthropic, string? dataClass = null)
    {
        using var client = app.CreateClient(key: anthropic ? null : SwitchyardAppFactory.TestKey);
        if (anthropic)
        {
            client.DefaultRequestHeaders.Add("x-api-key", SwitchyardAppFactory.TestKey);
            client.DefaultRequestHeaders.Add("anthropic-version", "2023-06-01");
        }

        if (dataClass is not null)
        {
            client.DefaultRequestHeaders.Add("x-switchyard-data-class", dataClass);
        }

        return await client.PostAsync(anthropic ? "/v1/messages" : "/v1/chat/completions", Json(anthropic ? Message : Chat), Ct);
    }

    private static string Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : "(absent)";

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PinnedRequest_OnlyAllowedUpstream503WithRetryAfter_ClientGetsTheWaitInItsFormatWithoutTheUpstreamBody(bool anthropic)
    {
        // The restricted request may only reach the self-hosted deployment; the external one is healthy but forbidden.
        await using var external = await FakeUpstream.StartAsync();
        await using var selfHosted = await FakeUpstream.StartAsync(FakeUpstream.Error(503, "queue full on " + UpstreamSecret, "server_error", null, ("retry-after", "7")));
        var config = TestConfig.OpenAI(external.BaseUrl, selfHosted.BaseUrl, extra: NoRetries, secondaryZone: "self-hosted", primaryWeight: 1, secondaryWeight: 1);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);

        using var response = await PostAsync(app, anthropic, dataClass: "restricted");
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Empty(external.Received);
        Assert.Single(selfHosted.Received);
        Assert.Equal(anthropic ? (HttpStatusCode)529 : HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Equal("7", Header(response, "retry-after"));
        Assert.Equal("7000", Header(response, "retry-after-ms"));
        Assert.DoesNotContain(UpstreamSecret, body, StringComparison.Ordinal);
        var json = JsonNode.Parse(body)!;
        Assert.Equal(anthropic ? "overloaded_error" : "server_error", json["error"]!["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Upstream429WithRetryAfterMs_ClientGetsBothHeaders(bool anthropic)
    {
        await using var upstream = await FakeUpstream.StartAsync(
            FakeUpstream.Error(429, "Rate limit reached on " + UpstreamSecret, "requests", "rate_limit_exceeded", ("retry-after", "2"), ("retry-after-ms", "1500")));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, extra: NoRetries), TestConfig.Keys);

        using var response = await PostAsync(app, anthropic);
        var body = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal("2", Header(response, "retry-after"));
        Assert.Equal("1500", Header(response, "retry-after-ms"));
        Assert.DoesNotContain(UpstreamSecret, body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task PrimaryFails_FallbackServes_RouteHeaderAndLedgerTellTheWholeStory(bool stream)
    {
        await using var primary = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom at " + UpstreamSecret, "server_error"));
        await using var secondary = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, extra: NoRetries, primaryWeight: 1, secondaryWeight: 0);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            Json(stream ? Chat.Replace("\"messages\"", "\"stream\":true,\"messages\"", StringComparison.Ordinal) : Chat), Ct);
        await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("secondary-mini", Header(response, "x-switchyard-deployment"));
        var route = Header(response, "x-switchyard-route");
        Assert.StartsWith("model gpt-4o-mini pinned; primary-mini (external)", route, StringComparison.Ordinal);
        Assert.EndsWith("; fell back to secondary-mini after primary-mini: upstream 500", route, StringComparison.Ordinal);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(Header(response, "x-request-id"), Ct);
        Assert.NotNull(record);
        Assert.Equal(route, record.RouteReason);
        Assert.Equal("secondary-mini", record.DeploymentId);
        Assert.Equal(["primary-mini", "secondary-mini"], record.Attempts.Select(a => a.DeploymentId));
        Assert.Equal(["UpstreamError", "Success"], record.Attempts.Select(a => a.Status));
    }

    [Fact]
    public async Task EveryCandidateFails_RouteHeaderNamesEachFailure()
    {
        await using var primary = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom", "server_error"));
        await using var secondary = await FakeUpstream.StartAsync(FakeUpstream.Error(503, "busy", "server_error"));
        var config = TestConfig.OpenAI(primary.BaseUrl, secondary.BaseUrl, extra: NoRetries, primaryWeight: 1, secondaryWeight: 0);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);

        using var response = await PostAsync(app, anthropic: false);

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.EndsWith("; failed: primary-mini: upstream 500; secondary-mini: upstream 503", Header(response, "x-switchyard-route"), StringComparison.Ordinal);
    }
}
