using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Admin;

/// <summary>
/// Every error path of the admin and health endpoints answers its documented 4xx with a ProblemDetails body (issue 13,
/// defects 2 and 3: each was a 500 in the published build, where reflection-based JSON is off). The gateway's HTTP
/// results use source-generated metadata only in every build, so these in-process tests see what the executable does.
/// </summary>
public sealed class AdminErrorPathTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SwitchyardAppFactory> StartWithAdminAsync(string upstreamUrl) => SwitchyardAppFactory.StartAsync(
        TestConfig.OpenAI(upstreamUrl, server: "  admin_key_env: ADMIN_KEY"),
        new Dictionary<string, string>(TestConfig.Keys) { ["ADMIN_KEY"] = TenancyHttp.AdminKey });

    private static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(expected == response.StatusCode, $"expected {(int)expected}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal((int)expected, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        return problem;
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task HttpJson_GatewayResolver_HasNoReflectionFallback()
    {
        // What keeps this suite honest: in the test process reflection-based JSON is on, but the gateway's HTTP results must not use it.
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        var options = app.Service<IOptions<JsonOptions>>().Value.SerializerOptions;

        Assert.Null(options.TypeInfoResolver!.GetTypeInfo(typeof(NotInAnyContext), options));
        Assert.NotNull(options.TypeInfoResolver.GetTypeInfo(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), options));
    }

    [Fact]
    public async Task HealthLive_Answers200Json()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient(key: null);

        using var live = await client.GetAsync("/health/live", Ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal("live", JsonNode.Parse(await live.Content.ReadAsStringAsync(Ct))!["status"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "/admin/tenancy")]
    [InlineData("GET", "/admin/report")]
    [InlineData("GET", "/admin/health")]
    [InlineData("GET", "/admin/health/deployments")]
    [InlineData("POST", "/admin/keys")]
    [InlineData("POST", "/admin/keys/key_nope/revoke")]
    [InlineData("PUT", "/admin/teams/x/policy")]
    public async Task AdminEndpoint_WrongKey_Answers401Problem(string method, string path)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var client = app.CreateClient(key: "not-the-admin-key");

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, Ct);

        await ProblemAsync(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task CreateKey_UnknownTeam_Answers404Problem()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.PostAsync("/admin/keys", Json("""{"team":"no-such-team","name":"svc"}"""), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Contains("no-such-team", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/admin/keys", "{\"team\": ")]
    [InlineData("/admin/orgs", "[1,2]")]
    [InlineData("/admin/orgs", "null")]
    [InlineData("/admin/orgs", "{\"name\": 42}")]
    [InlineData("/admin/orgs", "{\"name\": \"acme \\ud800\"}")]
    [InlineData("/admin/teams", "{\"org\": \"x\", \"name\": \"t\", \"policy\": \"nope\"}")]
    [InlineData("/admin/keys", "{}")]
    [InlineData("/admin/orgs", "{}")]
    [InlineData("/admin/teams", "{\"name\": \"t\"}")]
    public async Task AdminPost_MalformedOrIncompleteBody_Answers400Problem(string path, string body)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.PostAsync(path, Json(body), Ct);

        var problem = await ProblemAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out _), problem.ToString());
    }

    [Fact]
    public async Task AdminPost_OversizedBody_Answers413Problem()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.PostAsync("/admin/orgs", Json("{\"name\":\"" + new string('a', 100_000) + "\"}"), Ct);

        await ProblemAsync(response, HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [InlineData("POST", "/admin/keys/key_unknown/revoke")]
    [InlineData("POST", "/admin/keys/key_unknown/rotate")]
    [InlineData("GET", "/admin/keys/key_unknown")]
    [InlineData("PUT", "/admin/keys/key_unknown/policy")]
    [InlineData("PUT", "/admin/planets/p/policy")]
    public async Task AdminKey_Unknown_Answers404Problem(string method, string path)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.SendAsync(new HttpRequestMessage(new HttpMethod(method), path) { Content = Json("{}") }, Ct);

        await ProblemAsync(response, HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/admin/report?days=abc")]
    [InlineData("/admin/report?from=yesterday")]
    [InlineData("/admin/spend?by=planet")]
    [InlineData("/admin/spend?days=-3")]
    [InlineData("/admin/report?days=2147483647")]
    public async Task AdminQuery_Invalid_Answers400Problem(string path)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.GetAsync(path, Ct);

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("{\"team\":\"TEAM\",\"name\":\"svc\",\"expires_in_seconds\":9223372036854775807}")]
    [InlineData("{\"team\":\"TEAM\",\"name\":\"svc\",\"expires_at\":\"9999-12-31T23:59:59Z\",\"expires_in_seconds\":1}")]
    public async Task CreateKey_HugeExpiry_Answers4xxNot500(string template)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "search", "null", Ct);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.PostAsync("/admin/keys", Json(template.Replace("TEAM", team, StringComparison.Ordinal)), Ct);

        Assert.True((int)response.StatusCode is 201 or 400, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync(Ct)}");
    }

    [Fact]
    public async Task RotateKey_HugeOverlap_Answers400()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartWithAdminAsync(upstream.BaseUrl);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "search", "null", Ct);
        var (id, _) = await admin.CreateKeyAsync(team, "svc", Ct);
        using var client = app.CreateClient(TenancyHttp.AdminKey);

        using var response = await client.PostAsync($"/admin/keys/{id}/rotate", Json("{\"overlap_seconds\": 9223372036854775807}"), Ct);

        await ProblemAsync(response, HttpStatusCode.BadRequest);
    }

    private sealed record NotInAnyContext(string Name);
}
