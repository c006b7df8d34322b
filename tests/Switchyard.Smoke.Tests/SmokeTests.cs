using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Xunit;

namespace Switchyard.Smoke.Tests;

/// <summary>
/// The published Release executable, every endpoint family on success and on each error path (issue 13): no 5xx unless
/// an upstream failed, and every error in the caller's format. Each of these was a 500 in the build users ran, while
/// the in-process suite (reflection-based JSON on) was green.
/// </summary>
public sealed class SmokeTests(SmokeGateway fixture) : IClassFixture<SmokeGateway>
{
    private const string Chat = """{"model":"auto","messages":[{"role":"user","content":"Say hello."}]}""";
    private const string Messages = """{"model":"claude","max_tokens":64,"messages":[{"role":"user","content":"Say hello."}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private RunningGateway Gateway => fixture.Gateway;

    /// <summary>One request; returns its status, media type and body after checking the suite's two rules.</summary>
    private async Task<(int Status, string? MediaType, string Body, HttpResponseMessage Response)> SendAsync(HttpMethod method, string path, string? body = null,
        string? bearer = SmokeGateway.ClientKey, IReadOnlyDictionary<string, string>? headers = null, bool upstreamFails = false)
    {
        using var client = Gateway.CreateClient(bearer);
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        var status = (int)response.StatusCode;
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        Assert.True(status < 500 || upstreamFails, $"{method} {path} answered {status}: {text}");
        if (status >= 400)
        {
            Assert.Null(ErrorFormats.CheckAny(path, status, mediaType, text));
        }

        Assert.False(Gateway.HasExited, "the gateway exited");
        return (status, mediaType, text, response);
    }

    [Fact]
    public async Task Health_LiveReadyAndAdminDocuments_Answer200Json()
    {
        var live = await SendAsync(HttpMethod.Get, "/health/live", bearer: null);
        var ready = await SendAsync(HttpMethod.Get, "/health/ready", bearer: null);
        var health = await SendAsync(HttpMethod.Get, "/admin/health", bearer: SmokeGateway.AdminKey);
        var deployments = await SendAsync(HttpMethod.Get, "/admin/health/deployments", bearer: SmokeGateway.AdminKey);

        Assert.Equal((200, "live"), (live.Status, JsonNode.Parse(live.Body)!["status"]!.GetValue<string>()));
        Assert.Equal((200, "ready"), (ready.Status, JsonNode.Parse(ready.Body)!["status"]!.GetValue<string>()));
        Assert.Equal(200, health.Status);
        Assert.NotNull(JsonNode.Parse(health.Body)!["config"]!["sha256"]);
        Assert.Equal(200, deployments.Status);
        Assert.Equal(4, JsonNode.Parse(deployments.Body)!["deployments"]!.AsArray().Count);
    }

    [Fact]
    public async Task OpenAI_ChatStreamEmbeddingsModels_Succeed()
    {
        var chat = await SendAsync(HttpMethod.Post, "/v1/chat/completions", Chat);
        var stream = await SendAsync(HttpMethod.Post, "/v1/chat/completions", Chat.Replace("{\"model\"", "{\"stream\":true,\"model\"", StringComparison.Ordinal));
        var embeddings = await SendAsync(HttpMethod.Post, "/v1/embeddings", """{"model":"text-embedding-3-small","input":["one","two"]}""");
        var models = await SendAsync(HttpMethod.Get, "/v1/models");
        var model = await SendAsync(HttpMethod.Get, "/v1/models/gpt-4o-mini");

        Assert.Equal(200, chat.Status);
        Assert.Equal(fixture.OpenAI.ReplyText, JsonNode.Parse(chat.Body)!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal((200, "text/event-stream"), (stream.Status, stream.MediaType));
        Assert.EndsWith("data: [DONE]", stream.Body.TrimEnd(), StringComparison.Ordinal);
        Assert.Equal(2, JsonNode.Parse(embeddings.Body)!["data"]!.AsArray().Count);
        Assert.Contains(JsonNode.Parse(models.Body)!["data"]!.AsArray(), m => m!["id"]!.GetValue<string>() == "auto");
        Assert.Equal(200, model.Status);
    }

    [Fact]
    public async Task Anthropic_MessagesStreamCrossFormatAndCountTokens_Succeed()
    {
        var headers = new Dictionary<string, string> { ["x-api-key"] = SmokeGateway.ClientKey, ["anthropic-version"] = "2023-06-01" };
        var message = await SendAsync(HttpMethod.Post, "/v1/messages", Messages, bearer: null, headers: headers);
        var stream = await SendAsync(HttpMethod.Post, "/v1/messages", Messages.Replace("{\"model\"", "{\"stream\":true,\"model\"", StringComparison.Ordinal), bearer: null, headers: headers);
        var crossFormat = await SendAsync(HttpMethod.Post, "/v1/messages", Messages.Replace("claude", "gpt-4o-mini", StringComparison.Ordinal), bearer: null, headers: headers);
        var count = await SendAsync(HttpMethod.Post, "/v1/messages/count_tokens", """{"model":"claude","messages":[{"role":"user","content":"Say hello."}]}""", bearer: null, headers: headers);

        Assert.Equal((200, "message"), (message.Status, JsonNode.Parse(message.Body)!["type"]!.GetValue<string>()));
        Assert.Contains("event: message_stop", stream.Body, StringComparison.Ordinal);
        Assert.Equal(fixture.OpenAI.ReplyText, JsonNode.Parse(crossFormat.Body)!["content"]![0]!["text"]!.GetValue<string>());
        Assert.True(JsonNode.Parse(count.Body)!["input_tokens"]!.GetValue<int>() > 0);
    }

    [Fact]
    public async Task Admin_TenancyLifecycleAndReports_Succeed()
    {
        var bearer = SmokeGateway.AdminKey;
        var org = await SendAsync(HttpMethod.Post, "/admin/orgs", """{"name":"smoke-org"}""", bearer);
        var orgId = JsonNode.Parse(org.Body)!["id"]!.GetValue<string>();
        var team = await SendAsync(HttpMethod.Post, "/admin/teams", $$$"""{"org":"{{{orgId}}}","name":"smoke-team","policy":{"requests_per_minute":600}}""", bearer);
        var teamId = JsonNode.Parse(team.Body)!["id"]!.GetValue<string>();
        var key = await SendAsync(HttpMethod.Post, "/admin/keys", $$"""{"team":"{{teamId}}","name":"smoke-svc","expires_in_seconds":3600}""", bearer);
        var keyNode = JsonNode.Parse(key.Body)!;
        var keyId = keyNode["record"]!["id"]!.GetValue<string>();
        var secret = keyNode["key"]!.GetValue<string>();

        var served = await SendAsync(HttpMethod.Post, "/v1/chat/completions", Chat, bearer: secret);
        var shown = await SendAsync(HttpMethod.Get, $"/admin/keys/{keyId}", bearer: bearer);
        var policy = await SendAsync(HttpMethod.Put, $"/admin/keys/{keyId}/policy", """{"requests_per_minute":100}""", bearer);
        var rotated = await SendAsync(HttpMethod.Post, $"/admin/keys/{keyId}/rotate", """{"overlap_seconds":60}""", bearer);
        var revoked = await SendAsync(HttpMethod.Post, $"/admin/keys/{keyId}/revoke", bearer: bearer);
        var listing = await SendAsync(HttpMethod.Get, "/admin/tenancy", bearer: bearer);
        var spend = await SendAsync(HttpMethod.Get, "/admin/spend?days=1&by=team,model", bearer: bearer);
        var spendCsv = await SendAsync(HttpMethod.Get, "/admin/spend?days=1&format=csv", bearer: bearer);
        var report = await SendAsync(HttpMethod.Get, "/admin/report?days=7", bearer: bearer);

        Assert.Equal([201, 201, 201], new[] { org.Status, team.Status, key.Status });
        Assert.StartsWith("syk_", secret, StringComparison.Ordinal);
        Assert.Equal(200, served.Status);
        Assert.Equal([200, 200, 201, 200, 200, 200, 200, 200], new[] { shown.Status, policy.Status, rotated.Status, revoked.Status, listing.Status, spend.Status, spendCsv.Status, report.Status });
        Assert.DoesNotContain(secret, listing.Body, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string?, string?, int> ErrorCases => new()
    {
        // OpenAI surface.
        { "POST", "/v1/chat/completions", Chat, null, 401 },
        { "POST", "/v1/chat/completions", Chat, "sk-wrong-key-000000", 401 },
        { "POST", "/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/chat/completions", """{"model":"auto","messages":[{"role":"user","content":"hi \ud800"}]}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/chat/completions", """{"model":"auto","stream":true,"messages":[{"role":"user","content":"hi \ud800"}]}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/chat/completions", """{"model":"auto","messages":[{"role":"user","content":"hi"}],"temperature":"hot"}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"hi"}]}""", SmokeGateway.ClientKey, 404 },
        { "POST", "/v1/chat/completions", "{\"model\":\"auto\",\"messages\":[{\"role\":\"user\",\"content\":\"" + new string('a', 1_100_000) + "\"}]}", SmokeGateway.ClientKey, 413 },
        { "GET", "/v1/chat/completions", null, SmokeGateway.ClientKey, 405 },
        { "POST", "/v1/embeddings", """{"model":"text-embedding-3-small","input":42}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/embeddings", """{"model":"text-embedding-3-small","input":"hi \udc00"}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/embeddings", """{"model":"text-embedding-3-small","input":"hi"}""", null, 401 },
        { "GET", "/v1/models", null, null, 401 },
        { "GET", "/v1/models/no-such-model", null, SmokeGateway.ClientKey, 404 },
        { "GET", "/v1/nothing-here", null, SmokeGateway.ClientKey, 404 },
        // Anthropic surface.
        { "POST", "/v1/messages", Messages, null, 401 },
        { "POST", "/v1/messages", "{\"model\":\"claude\",", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/messages", """{"model":"claude","max_tokens":64,"messages":[{"role":"user","content":"hi \ud800"}]}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/messages", """{"model":"claude","stream":true,"max_tokens":64,"messages":[{"role":"user","content":"hi \ud800"}]}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/messages", """{"model":"claude","max_tokens":64,"messages":"hi"}""", SmokeGateway.ClientKey, 400 },
        { "POST", "/v1/messages", """{"model":"nope","max_tokens":64,"messages":[{"role":"user","content":"hi"}]}""", SmokeGateway.ClientKey, 404 },
        { "GET", "/v1/messages", null, SmokeGateway.ClientKey, 405 },
        { "POST", "/v1/messages/count_tokens", "[]", SmokeGateway.ClientKey, 400 },
        { "GET", "/v1/messages/batches", null, SmokeGateway.ClientKey, 404 },
        // Admin surface.
        { "GET", "/admin/tenancy", null, "wrong-admin-key", 401 },
        { "GET", "/admin/health", null, null, 401 },
        { "GET", "/admin/health/deployments", null, "wrong-admin-key", 401 },
        { "POST", "/admin/keys", """{"team":"no-such-team","name":"svc"}""", SmokeGateway.AdminKey, 404 },
        { "POST", "/admin/keys", "{\"team\":", SmokeGateway.AdminKey, 400 },
        { "POST", "/admin/orgs", """{"name":"x \ud800"}""", SmokeGateway.AdminKey, 400 },
        { "POST", "/admin/keys/key_unknown/revoke", null, SmokeGateway.AdminKey, 404 },
        { "POST", "/admin/keys/key_unknown/rotate", null, SmokeGateway.AdminKey, 404 },
        { "GET", "/admin/keys/key_unknown", null, SmokeGateway.AdminKey, 404 },
        { "PUT", "/admin/keys/key_unknown/policy", "{}", SmokeGateway.AdminKey, 404 },
        { "GET", "/admin/report?days=abc", null, SmokeGateway.AdminKey, 400 },
        { "GET", "/admin/spend?by=planet", null, SmokeGateway.AdminKey, 400 },
        { "POST", "/admin/orgs", "{\"name\":\"" + new string('a', 70_000) + "\"}", SmokeGateway.AdminKey, 413 },
        { "DELETE", "/admin/orgs", null, SmokeGateway.AdminKey, 405 },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public async Task ErrorPath_AnswersItsStatusInTheCallersFormat(string method, string path, string? body, string? bearer, int expected)
    {
        var (status, _, text, _) = await SendAsync(new HttpMethod(method), path, body, bearer);

        Assert.True(expected == status, $"{method} {path}: expected {expected}, got {status}: {text}");
    }

    [Fact]
    public async Task FailingUpstream_5xxInEachFormat()
    {
        var chat = await SendAsync(HttpMethod.Post, "/v1/chat/completions", Chat.Replace("auto", "failing-model", StringComparison.Ordinal), upstreamFails: true);
        var stream = await SendAsync(HttpMethod.Post, "/v1/chat/completions",
            Chat.Replace("{\"model\":\"auto\"", "{\"stream\":true,\"model\":\"failing-model\"", StringComparison.Ordinal), upstreamFails: true);
        var messages = await SendAsync(HttpMethod.Post, "/v1/messages", Messages.Replace("claude", "failing-model", StringComparison.Ordinal), upstreamFails: true);

        Assert.Equal(HttpStatusCode.BadGateway, (HttpStatusCode)chat.Status);
        Assert.True(stream.Status >= 500, stream.Body);
        Assert.True(messages.Status >= 500, messages.Body);
        Assert.Null(ErrorFormats.Check(ErrorFormat.Anthropic, messages.Status, messages.MediaType, messages.Body));
    }
}
