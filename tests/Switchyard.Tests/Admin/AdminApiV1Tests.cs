using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Ledger;
using Switchyard.Ledger;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Tests.Admin;

/// <summary>One gateway with real traffic through fake upstreams, shared by the read tests of <c>/admin/api/v1</c>.</summary>
public sealed class ConsoleGatewayFixture : IAsyncLifetime
{
    public ConsoleGateway Gateway { get; private set; } = null!;

    public async ValueTask InitializeAsync() => Gateway = await ConsoleGateway.StartAsync();

    public async ValueTask DisposeAsync() => await Gateway.DisposeAsync();
}

/// <summary>Every read of the v1 admin API against the ledger's own figures.</summary>
public sealed class AdminApiV1Tests : IClassFixture<ConsoleGatewayFixture>
{
    private const string All = "from=2000-01-01&to=2100-01-01";
    private readonly ConsoleGateway _gateway;

    public AdminApiV1Tests(ConsoleGatewayFixture fixture) => _gateway = fixture.Gateway;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<JsonElement> GetAsync(string path)
    {
        using var client = _gateway.AdminClient();
        using var response = await client.GetAsync(path, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {text}");
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    [Fact]
    public async Task Overview_AfterTraffic_FiguresEqualTheLedger()
    {
        var ledger = await _gateway.LedgerAsync();

        var kpis = (await GetAsync("/admin/api/v1/overview?range=24h")).GetProperty("kpis");

        Assert.Equal(ledger.Count, kpis.GetProperty("requests").GetInt64());
        Assert.Equal(ledger.Count(r => r.Outcome != LedgerOutcome.Success), kpis.GetProperty("errors").GetInt64());
        Assert.Equal(ledger.Sum(r => r.CostUsd), kpis.GetProperty("spend_usd").GetDecimal());
        Assert.Equal(ledger.Sum(r => r.BaselineCostUsd ?? r.CostUsd), kpis.GetProperty("baseline_usd").GetDecimal());
        Assert.True(kpis.GetProperty("p95_latency_ms").GetDouble() > 0);
        Assert.True(kpis.GetProperty("p95_ttft_ms").GetDouble() > 0);
    }

    [Fact]
    public async Task Requests_KeysetPagesAndFilters_EveryRecordOnceAndOnlyMatches()
    {
        var ledger = await _gateway.LedgerAsync();
        var seen = new List<string>();
        var next = "?range=24h&limit=4";
        for (var pages = 0; next is not null && pages < 50; pages++)
        {
            var page = await GetAsync("/admin/api/v1/requests" + next);
            seen.AddRange(page.GetProperty("rows").EnumerateArray().Select(r => r.GetProperty("request_id").GetString()!));
            next = page.GetProperty("next").ValueKind == JsonValueKind.Null ? null : page.GetProperty("next").GetString();
        }

        Assert.Equal(ledger.Select(r => r.RequestId).Order(), seen.Order());
        var research = await GetAsync("/admin/api/v1/requests?range=24h&team=research");
        Assert.Equal(3, research.GetProperty("rows").GetArrayLength());
        var failed = await GetAsync("/admin/api/v1/requests?range=24h&outcome=upstream_error");
        Assert.Equal("gpt-4.1", Assert.Single(failed.GetProperty("rows").EnumerateArray()).GetProperty("alias").GetString());
    }

    [Fact]
    public async Task RequestDetail_RestrictedPromptOnAuto_ReroutedWithTheExclusionAndEntityType()
    {
        var ledger = await _gateway.LedgerAsync();
        var rerouted = ledger.Single(r => r.RequestedModel == "auto" && r.DataClass == "restricted");
        var blocked = ledger.Single(r => r.RequestedModel == "gpt-4o" && r.DataClass == "restricted");

        var detail = await GetAsync("/admin/api/v1/requests/" + rerouted.RequestId);
        var refused = await GetAsync("/admin/api/v1/requests/" + blocked.RequestId);

        Assert.Equal("reroute", detail.GetProperty("privacy").GetProperty("action").GetString());
        Assert.Contains("CREDIT_CARD", detail.GetProperty("privacy").GetProperty("entity_types").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("self-hosted", detail.GetProperty("request").GetProperty("zone").GetString());
        var excluded = Assert.Single(detail.GetProperty("decision").GetProperty("excluded").EnumerateArray());
        Assert.Equal("cloud-mini", excluded.GetProperty("deployment").GetString());
        Assert.Equal("trust_zone", excluded.GetProperty("kind").GetString());
        Assert.Equal("onprem-llama", Assert.Single(detail.GetProperty("decision").GetProperty("candidates").EnumerateArray(), c => c.GetProperty("served").GetBoolean())
            .GetProperty("deployment").GetString());
        Assert.Equal("block", refused.GetProperty("privacy").GetProperty("action").GetString());
        Assert.Equal("blocked", refused.GetProperty("request").GetProperty("outcome").GetString());
        Assert.Equal(rerouted.CostUsd, detail.GetProperty("cost").GetProperty("cost_usd").GetDecimal());
    }

    [Fact]
    public async Task RequestDetail_UnknownId_404ProblemDetails()
    {
        using var client = _gateway.AdminClient();
        using var response = await client.GetAsync("/admin/api/v1/requests/req_nope", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task Savings_SameWindowAsTheAdminReport_SameNumbers()
    {
        var savings = await GetAsync("/admin/api/v1/savings?" + All);
        var report = await GetAsync("/admin/report?" + All);

        Assert.True(JsonElement.DeepEquals(report.GetProperty("total"), savings.GetProperty("report").GetProperty("total")));
        Assert.True(JsonElement.DeepEquals(report.GetProperty("by_alias"), savings.GetProperty("report").GetProperty("by_alias")));
        Assert.True(JsonElement.DeepEquals(report.GetProperty("by_team"), savings.GetProperty("report").GetProperty("by_team")));
        Assert.StartsWith("switchyard report --from 2000-01-01", savings.GetProperty("cli").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Privacy_Heatmap_RestrictedNeverExternal()
    {
        var privacy = await GetAsync("/admin/api/v1/privacy?range=24h");

        Assert.Equal(0, privacy.GetProperty("restricted_to_external").GetInt64());
        var cells = privacy.GetProperty("cells").EnumerateArray().ToList();
        Assert.Equal(1, cells.Single(c => c.GetProperty("data_class").GetString() == "restricted" && c.GetProperty("zone").GetString() == "self-hosted").GetProperty("requests").GetInt64());
        Assert.Equal(1, cells.Single(c => c.GetProperty("data_class").GetString() == "restricted" && c.GetProperty("zone").GetString() == "(none)").GetProperty("requests").GetInt64());
        Assert.Contains(privacy.GetProperty("detections").EnumerateArray(), d => d.GetProperty("name").GetString() == "CREDIT_CARD");
    }

    [Fact]
    public async Task RoutingSpendProviders_Totals_ReconcileWithTheLedger()
    {
        var ledger = await _gateway.LedgerAsync();

        var routing = await GetAsync("/admin/api/v1/routing?range=24h");
        var spend = await GetAsync("/admin/api/v1/spend?range=24h");
        var providers = await GetAsync("/admin/api/v1/providers?range=24h");

        Assert.Equal(ledger.Count, routing.GetProperty("flows").EnumerateArray().Sum(f => f.GetProperty("requests").GetInt64()));
        Assert.Contains(routing.GetProperty("exclusions").EnumerateArray(), e => e.GetProperty("kind").GetString() == "trust_zone");
        Assert.Equal(ledger.Sum(r => r.CostUsd), spend.GetProperty("total_usd").GetDecimal());
        Assert.Equal(ledger.Where(r => r.Team == "research").Sum(r => r.CostUsd),
            spend.GetProperty("by_team").EnumerateArray().Single(t => t.GetProperty("name").GetString() == "research").GetProperty("cost_usd").GetDecimal());
        var broken = providers.GetProperty("deployments").EnumerateArray().Single(d => d.GetProperty("id").GetString() == "broken-41");
        Assert.True(broken.GetProperty("attempts_failed").GetInt64() >= 1);
        Assert.NotEqual(JsonValueKind.Null, broken.GetProperty("last_error").ValueKind);
        Assert.Contains(providers.GetProperty("catalog").EnumerateArray(), m => m.GetProperty("name").GetString() == "gpt-4o" && m.GetProperty("price_source").GetString()!.Length > 0);
    }

    [Fact]
    public async Task SettingsPlannerOnboardingFacets_Answer()
    {
        var settings = await GetAsync("/admin/api/v1/settings");
        var planner = await GetAsync("/admin/api/v1/planner");
        var onboarding = await GetAsync("/admin/api/v1/onboarding");
        var facets = await GetAsync("/admin/api/v1/requests/facets?range=24h");

        Assert.Contains(settings.GetProperty("settings").EnumerateArray(), s => s.GetProperty("path").GetString() == "server.ledger_flush_interval"
            && s.GetProperty("source").GetString()!.StartsWith("file:", StringComparison.Ordinal));
        Assert.Contains(settings.GetProperty("settings").EnumerateArray(), s => s.GetProperty("path").GetString() == "server.drain_timeout" && s.GetProperty("source").GetString() == "default");
        Assert.True(planner.GetProperty("tokens_per_day").GetDecimal() > 0);
        Assert.True(onboarding.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "first_request").GetProperty("done").GetBoolean());
        Assert.True(onboarding.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "real_provider").GetProperty("done").GetBoolean());
        Assert.Equal(["qa", "research"], facets.GetProperty("values").GetProperty("team").EnumerateArray().Select(v => v.GetString()));
    }

    [Fact]
    public async Task RequestsCsv_Export_HeaderAndOneLinePerRecord()
    {
        var ledger = await _gateway.LedgerAsync();
        using var client = _gateway.AdminClient();

        var csv = await client.GetStringAsync("/admin/api/v1/requests?range=24h&format=csv", Ct);

        var lines = csv.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("request_id,time,key,team,alias", lines[0], StringComparison.Ordinal);
        Assert.Equal(ledger.Count, lines.Length - 1);
    }

    [Theory]
    [InlineData("/admin/api/v1/overview?range=forever")]
    [InlineData("/admin/api/v1/requests?limit=0")]
    [InlineData("/admin/api/v1/requests?cursor=garbage")]
    [InlineData("/admin/api/v1/requests?from=2026-02-01&to=2026-01-01")]
    [InlineData("/admin/api/v1/requests?min_cost=abc")]
    [InlineData("/admin/api/v1/requests?format=xml")]
    [InlineData("/admin/api/v1/planner?tokens_per_day=-5")]
    [InlineData("/admin/api/v1/audit?limit=0")]
    public async Task BadQuery_400ProblemDetails(string path)
    {
        using var client = _gateway.AdminClient();
        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType!.MediaType);
    }

    [Fact]
    public async Task NoCredentialOrWrongKeyOrUnknownPath_401And404ProblemDetails()
    {
        using var anonymous = new HttpClient { BaseAddress = _gateway.App.BaseAddress };
        using var wrong = _gateway.App.CreateClient("sk-not-an-admin-key");
        using var admin = _gateway.AdminClient();

        using var none = await anonymous.GetAsync("/admin/api/v1/overview", Ct);
        using var bad = await wrong.GetAsync("/admin/api/v1/overview", Ct);
        using var missing = await admin.GetAsync("/admin/api/v1/nothing-here", Ct);
        using var badJson = await admin.PostAsync("/admin/api/v1/keys", new StringContent("{not json", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, none.StatusCode);
        Assert.Equal("application/problem+json", none.Content.Headers.ContentType!.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badJson.StatusCode);
    }

    [Fact]
    public async Task Playground_ExplainOnly_DecisionWithoutAnUpstreamCall_AndRealSendIsLedgered()
    {
        using var client = _gateway.AdminClient();
        var before = await _gateway.App.Ledger.CountAsync(Ct);

        using var explain = await client.PostAsJsonAsync("/admin/api/v1/playground",
            new { key = SwitchyardAppFactory.TestKey, model = "auto", prompt = "Charge card 4111 1111 1111 1111", explain_only = true }, Ct);
        var explained = JsonDocument.Parse(await explain.Content.ReadAsStringAsync(Ct)).RootElement;
        using var send = await client.PostAsJsonAsync("/admin/api/v1/playground",
            new { key = SwitchyardAppFactory.TestKey, model = "gpt-4o-mini", prompt = "Hello", explain_only = false }, Ct);
        var sent = JsonDocument.Parse(await send.Content.ReadAsStringAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, explain.StatusCode);
        Assert.Equal("restricted", explained.GetProperty("data_class").GetString());
        Assert.Equal("onprem-llama", Assert.Single(explained.GetProperty("candidates").EnumerateArray()).GetProperty("deployment").GetString());
        Assert.Equal("trust_zone", Assert.Single(explained.GetProperty("excluded").EnumerateArray()).GetProperty("kind").GetString());
        Assert.Equal(200, sent.GetProperty("status").GetInt32());
        var id = sent.GetProperty("request_id").GetString()!;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (await _gateway.App.Ledger.FindAsync(id, deadline.Token) is null)
        {
            await Task.Delay(20, deadline.Token);
        }

        Assert.Equal(before + 1, await _gateway.App.Ledger.CountAsync(Ct));
    }
}
