using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Ledger;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Gate;

/// <summary>
/// Stored keys, budgets and rate limits through the real gateway (HTTP in, fake OpenAI upstream out, embedded store):
/// the admin API manages them and the data plane enforces them in the client's own format.
/// </summary>
public sealed class TenancyGatewayTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The gateway on an embedded store; with <paramref name="clock"/>, its wall clock (expiry, minute windows) is the test's.</summary>
    private static Task<SwitchyardAppFactory> StartAsync(FakeUpstream upstream, ManualClock? clock = null) =>
        SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(upstream.BaseUrl, server: "  admin_key_env: ADMIN_KEY", extra: "storage:\n  key_poll_interval: 100ms"),
            new Dictionary<string, string>(TestConfig.Keys) { ["ADMIN_KEY"] = TenancyHttp.AdminKey },
            clock is null ? null : services => services.AddSingleton<TimeProvider>(clock));

    private static HttpClient Client(SwitchyardAppFactory app, string key) => app.CreateClient(key);

    private static StringContent Chat(int maxTokens = 16) =>
        new($$"""{"model":"auto","max_tokens":{{maxTokens}},"user":"end-user-42","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

    private static StringContent Message(int maxTokens) =>
        new($$"""{"model":"auto","max_tokens":{{maxTokens}},"metadata":{"user_id":"u-7"},"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task StoredKey_Request_LedgerRecordsKeyTeamOrgAndEndUser()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "search", "null", Ct);
        var (_, secret) = await admin.CreateKeyAsync(team, "svc", Ct);

        using var original = Client(app, secret);
        using (var first = await original.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            await app.StopAsync();
            var record = await app.Ledger.FindAsync(first.Headers.GetValues("x-request-id").Single(), Ct);
            Assert.Equal(("svc", "search", "acme", "end-user-42"), (record!.KeyName, record.Team, record.Org, record.EndUser));
        }
    }

    [Fact]
    public async Task KeyLifecycle_RotateThenRevoke_OldKeyWorksDuringOverlapOnly()
    {
        // The overlap is measured on the gateway's clock, which moves only when the test advances it: no request races it.
        var clock = new ManualClock();
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream, clock);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "search", "null", Ct);
        var (id, secret) = await admin.CreateKeyAsync(team, "svc", Ct);
        Assert.StartsWith("syk_", secret, StringComparison.Ordinal);
        Assert.Equal(47, secret.Length);

        var rotated = await admin.PostAsync($"/admin/keys/{id}/rotate", """{"overlap_seconds":60}""", Ct);
        var fresh = rotated["key"]!.GetValue<string>();
        using var oldClient = Client(app, secret);
        using var newClient = Client(app, fresh);
        using (var during = await oldClient.PostAsync("/v1/chat/completions", Chat(), Ct))
        using (var viaNew = await newClient.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
            Assert.Equal(HttpStatusCode.OK, viaNew.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(59));
        using (var stillDuring = await oldClient.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, stillDuring.StatusCode);
        }

        clock.Advance(TimeSpan.FromSeconds(2));
        using (var after = await oldClient.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
            Assert.Contains("expired", await after.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        await admin.PostAsync($"/admin/keys/{rotated["record"]!["id"]}/revoke", "{}", Ct);
        using var revoked = await newClient.PostAsync("/v1/chat/completions", Chat(), Ct);
        using var revokedAnthropic = await newClient.PostAsync("/v1/messages", Message(16), Ct);
        using var unknownClient = Client(app, "syk_" + new string('A', 43));
        using var unknown = await unknownClient.PostAsync("/v1/chat/completions", Chat(), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, revoked.StatusCode);
        var revokedError = JsonNode.Parse(await revoked.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("revoked_api_key", revokedError["code"]!.GetValue<string>());
        Assert.StartsWith("The API key provided has been revoked", revokedError["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, revokedAnthropic.StatusCode);
        Assert.Contains("revoked", JsonNode.Parse(await revokedAnthropic.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // A key nobody issued learns nothing more than before.
        Assert.Equal(HttpStatusCode.Unauthorized, unknown.StatusCode);
        Assert.Equal("Incorrect API key provided.", JsonNode.Parse(await unknown.Content.ReadAsStringAsync(Ct))!["error"]!["message"]!.GetValue<string>());
        // The admin API never shows a key or its hash after creation.
        var listing = await admin.GetStringAsync("/admin/tenancy", Ct);
        Assert.DoesNotContain(fresh, listing, StringComparison.Ordinal);
        Assert.DoesNotContain("hash", listing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Budget_ReservationDoesNotFit_429NamingTheBudgetInOpenAIAndAnthropicFormat()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        // gpt-4o-mini: $0.15 in, $0.60 out per million. 1,000 output tokens reserve $0.0006 > $0.0001.
        var team = await admin.CreateTeamAsync("acme", "search", """{"budget_daily_usd":0.0001}""", Ct);
        var (_, secret) = await admin.CreateKeyAsync(team, "svc", Ct);
        using var client = Client(app, secret);

        using var small = await client.PostAsync("/v1/chat/completions", Chat(maxTokens: 16), Ct);
        using var large = await client.PostAsync("/v1/chat/completions", Chat(maxTokens: 1000), Ct);
        using var anthropic = await client.PostAsync("/v1/messages", Message(maxTokens: 1000), Ct);

        Assert.Equal(HttpStatusCode.OK, small.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, large.StatusCode);
        var openAIError = JsonNode.Parse(await large.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.Equal("budget_exceeded", openAIError["code"]!.GetValue<string>());
        Assert.Contains("team 'search' daily budget of $0.0001", openAIError["message"]!.GetValue<string>(), StringComparison.Ordinal);
        // A spent budget does not come back by retrying: the SDKs read x-should-retry and give up at once.
        Assert.Equal("false", large.Headers.GetValues("x-should-retry").Single());
        Assert.Equal("false", anthropic.Headers.GetValues("x-should-retry").Single());
        Assert.Equal(HttpStatusCode.TooManyRequests, anthropic.StatusCode);
        var anthropicBody = JsonNode.Parse(await anthropic.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("error", anthropicBody["type"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", anthropicBody["error"]!["type"]!.GetValue<string>());
        Assert.Contains("team 'search' daily budget", anthropicBody["error"]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Single(upstream.Received);

        await app.StopAsync();
        var refused = await app.Ledger.FindAsync(large.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal((LedgerOutcome.Rejected, 429, "budget_exceeded"), (refused!.Outcome, refused.HttpStatus, refused.ErrorClass));
        var served = await app.Ledger.FindAsync(small.Headers.GetValues("x-request-id").Single(), Ct);
        var counters = await app.Service<Switchyard.Core.Stores.IBudgetStore>().ReadCountersAsync("team:" + team + "|", Ct);
        // The counter holds exactly what the ledger billed, and nothing stays reserved.
        Assert.Equal(Money.ToNanoUsd(served!.CostUsd), Assert.Single(counters).SpentNanoUsd);
        Assert.Equal(0, counters[0].ReservedNanoUsd);
    }

    [Fact]
    public async Task RateLimit_RequestsPerMinute_HeadersCountDownThen429WithRetryAfter()
    {
        // The gateway's clock stands still at the start of a minute: every request falls in one window, however slow the box.
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream, new ManualClock());
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "search", """{"requests_per_minute":3,"tokens_per_minute":100000}""", Ct);
        var (_, secret) = await admin.CreateKeyAsync(team, "svc", Ct);
        using var client = Client(app, secret);

        var remaining = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", ok.Headers.GetValues("x-ratelimit-limit-requests").Single());
            Assert.Equal("100000", ok.Headers.GetValues("x-ratelimit-limit-tokens").Single());
            Assert.EndsWith("s", ok.Headers.GetValues("x-ratelimit-reset-requests").Single(), StringComparison.Ordinal);
            remaining.Add(ok.Headers.GetValues("x-ratelimit-remaining-requests").Single());
        }

        using var limited = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
        using var limitedAnthropic = await client.PostAsync("/v1/messages", Message(16), Ct);

        Assert.Equal(["2", "1", "0"], remaining);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(limited.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        // A rate limit passes: clients may retry after the window.
        Assert.False(limited.Headers.Contains("x-should-retry"));
        Assert.Equal("rate_limit_exceeded", JsonNode.Parse(await limited.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.TooManyRequests, limitedAnthropic.StatusCode);
        Assert.Equal("rate_limit_error", JsonNode.Parse(await limitedAnthropic.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
        Assert.Equal(3, upstream.Received.Count);
    }

    [Fact]
    public async Task Spend_AdminEndpoint_GroupsByTeamAndModelAsCsv()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "search", "null", Ct);
        var (_, secret) = await admin.CreateKeyAsync(team, "svc", Ct);
        using (var client = Client(app, secret))
        {
            for (var i = 0; i < 2; i++)
            {
                using var response = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            }
        }

        using (var config = app.CreateClient())
        using (var response = await config.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await Until.TrueAsync(async () => await app.Ledger.CountAsync(Ct) == 3, "the ledger writer has written the 3 requests", Ct);

        var csv = await admin.GetStringAsync("/admin/spend?days=1&by=org,team,model&format=csv", Ct);
        var json = JsonNode.Parse(await admin.GetStringAsync("/admin/spend?days=1&by=team", Ct))!.AsArray();

        var lines = csv.Trim().Split('\n');
        Assert.Equal("org,team,model,requests,input_tokens,output_tokens,cached_tokens,cache_write_tokens,cost_usd,failures", lines[0]);
        Assert.StartsWith(",qa,gpt-4o-mini,1,", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("acme,search,gpt-4o-mini,2,", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Equal(2, json.Single(g => g!["group"]!["team"]!.GetValue<string>() == "search")!["requests"]!.GetValue<long>());
    }

    [Fact]
    public async Task AdminApi_WithoutMasterOrAdminKey_401_AndAdminKeyAllowed()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        var team = await admin.CreateTeamAsync("acme", "platform", "null", Ct);
        var (_, plain) = await admin.CreateKeyAsync(team, "svc", Ct);
        var (_, adminKey) = await admin.CreateKeyAsync(team, "ops", Ct, """{"admin_api":true}""");

        using var asPlain = Client(app, plain);
        using var asAdmin = Client(app, adminKey);
        using var denied = await asPlain.GetAsync("/admin/tenancy", Ct);
        using var allowed = await asAdmin.GetAsync("/admin/tenancy", Ct);
        using var badPolicy = await asAdmin.PostAsync("/admin/teams", new StringContent("""{"org":"acme","name":"x","policy":{"budget_daily_usd":-1}}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, denied.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badPolicy.StatusCode);
    }
}
