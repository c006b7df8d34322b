using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Admin;

public sealed class SavingsReportTests
{
    private const string AdminKey = "sk-admin-test-secret";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>One upstream serving gpt-4o-mini and gpt-4o (catalog prices); the test key may use both.</summary>
    internal static string Config(string upstreamUrl, string server = "  admin_key_env: SWITCHYARD_ADMIN_KEY") => $"""
        server:
          ledger_flush_interval: 50ms
        {server}
        providers:
          primary:
            type: openai
            base_url: {upstreamUrl}
            api_key_env: PRIMARY_KEY
            zone: external
            timeout: 5s
        deployments:
          - id: primary-mini
            provider: primary
            model: gpt-4o-mini
          - id: primary-4o
            provider: primary
            model: gpt-4o
        models:
          gpt-4o-mini:
            catalog: openai/gpt-4o-mini
            capabilities: [streaming, tools, json_object, json_schema]
          gpt-4o:
            catalog: openai/gpt-4o
            capabilities: [streaming, tools, json_object, json_schema]
        keys:
          - name: test
            key: {SwitchyardAppFactory.TestKey}
            team: qa
            allowed_models: [gpt-4o-mini, gpt-4o]
        """;

    private static Dictionary<string, string> Environment() => new(TestConfig.Keys) { ["SWITCHYARD_ADMIN_KEY"] = AdminKey };

    [Fact]
    public async Task Report_CheapModelRequestsByKeyAllowedFrontier_LedgerBaselineAndAdminReportAreExact()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(upstream.BaseUrl), Environment());
        using var client = app.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            ids.Add(response.Headers.GetValues("x-request-id").Single());
        }

        await WaitForLedgerAsync(app, 2);
        var record = await app.Ledger.FindAsync(ids[0], Ct);
        // Usage 11 input (3 cached) + 7 output. gpt-4o-mini: 8 × 0.15 + 3 × 0.075 + 7 × 0.60 = 5.625 µ$;
        // gpt-4o (the key's most capable model): 8 × 2.50 + 3 × 1.25 + 7 × 10 = 93.75 µ$.
        Assert.Equal("gpt-4o", record!.BaselineModel);
        Assert.Equal(0.000005625m, record.CostUsd);
        Assert.Equal(0.00009375m, record.BaselineCostUsd);
        // Inspect classifies every chat request; the report splits by what the classifier said.
        var category = Switchyard.Core.Model.TaskCategories.Name(Switchyard.Core.Inspect.Classification.TaskAnalyzer.BuiltIn.Analyze("Hi").Category);
        Assert.Equal(category, record.TaskCategory);

        using var admin = new HttpClient { BaseAddress = app.BaseAddress };
        admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var reportResponse = await admin.GetAsync("/admin/report?from=2000-01-01&to=2100-01-01", Ct);
        Assert.Equal(HttpStatusCode.OK, reportResponse.StatusCode);
        Assert.Equal("application/json", reportResponse.Content.Headers.ContentType!.MediaType);
        using var doc = JsonDocument.Parse(await reportResponse.Content.ReadAsStringAsync(Ct));
        var total = doc.RootElement.GetProperty("total");
        Assert.Equal(2, total.GetProperty("requests").GetInt64());
        Assert.Equal(0.00001125m, total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(0.0001875m, total.GetProperty("baseline_cost_usd").GetDecimal());
        Assert.Equal(0.00017625m, total.GetProperty("saving_usd").GetDecimal());
        Assert.Equal(94m, total.GetProperty("saving_percent").GetDecimal());
        var team = Assert.Single(doc.RootElement.GetProperty("by_team").EnumerateArray());
        Assert.Equal("qa", team.GetProperty("name").GetString());
        Assert.Equal(category, Assert.Single(doc.RootElement.GetProperty("by_task_category").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("gpt-4o-mini", Assert.Single(doc.RootElement.GetProperty("by_alias").EnumerateArray()).GetProperty("name").GetString());
        Assert.Empty(doc.RootElement.GetProperty("planner").EnumerateArray()); // only proprietary APIs served
    }

    [Fact]
    public async Task AdminReport_WrongKeyBadWindowOrNoAdminKeyConfigured_401ProblemDetails400And404()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using (var app = await SwitchyardAppFactory.StartAsync(Config(upstream.BaseUrl), Environment()))
        {
            using var wrong = new HttpClient { BaseAddress = app.BaseAddress };
            wrong.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "sk-not-the-admin-key");
            using var unauthorized = await wrong.GetAsync("/admin/report", Ct);
            Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
            Assert.Equal("application/problem+json", unauthorized.Content.Headers.ContentType!.MediaType);
            Assert.DoesNotContain(AdminKey, await unauthorized.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

            using var admin = new HttpClient { BaseAddress = app.BaseAddress };
            admin.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
            using var bad = await admin.GetAsync("/admin/report?from=2026-02-01&to=2026-01-01", Ct);
            Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
            Assert.Equal("application/problem+json", bad.Content.Headers.ContentType!.MediaType);
        }

        await using var closed = await SwitchyardAppFactory.StartAsync(Config(upstream.BaseUrl, server: ""), Environment());
        using var client = new HttpClient { BaseAddress = closed.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        using var notFound = await client.GetAsync("/admin/report", Ct);
        Assert.Equal(HttpStatusCode.NotFound, notFound.StatusCode);
    }

    private static async Task WaitForLedgerAsync(SwitchyardAppFactory app, long count)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(10));
        while (await app.Ledger.CountAsync(timeout.Token) < count)
        {
            await Task.Delay(20, timeout.Token);
        }
    }
}
