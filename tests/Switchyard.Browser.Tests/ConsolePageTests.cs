using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.Playwright;
using Switchyard.Core.Ledger;
using Switchyard.Ledger;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Browser.Tests;

/// <summary>The console in a real browser: every page, its numbers against the ledger, drill-down, key lifecycle, live tail.</summary>
public sealed class ConsolePageTests : IClassFixture<BrowserSession>
{
    private static readonly string[] _pages = ["", "/requests", "/routing", "/savings", "/privacy", "/spend", "/providers", "/planner", "/keys", "/playground", "/settings"];
    private readonly BrowserSession _session;

    public ConsolePageTests(BrowserSession session) => _session = session;

    private async Task<IPage> OpenAsync(string path)
    {
        var page = await _session.Context.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var response = await page.GotoAsync(path);
        Assert.True(response?.Status == 200, $"{path}: {response?.Status}");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.True(errors.Count == 0, $"{path}: script errors: {string.Join("; ", errors)}");
        return page;
    }

    [Fact]
    public async Task EveryPage_LoadsWithoutScriptErrors_AndIsScreenshotted()
    {
        foreach (var path in _pages)
        {
            var page = await OpenAsync("/ui" + path + (path is "" or "/requests" or "/routing" or "/privacy" or "/spend" or "/providers" ? "?range=24h" : ""));
            var errors = await page.Locator(".error").AllInnerTextsAsync();
            Assert.True(errors.Count == 0, $"{path}: {string.Join("; ", errors)}");
            var name = path.Length == 0 ? "overview" : path.TrimStart('/');
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSession.ScreenshotDirectory, name + ".png"), FullPage = true });
            await page.CloseAsync();
        }

        var ledger = await _session.Gateway.LedgerAsync();
        var detail = await OpenAsync("/ui/requests/" + ledger.Single(r => r.RequestedModel == "auto" && r.DataClass == "restricted").RequestId);
        Assert.Contains("trust_zone", await detail.InnerTextAsync("#excluded"), StringComparison.Ordinal);
        await detail.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "request-detail.png"), FullPage = true });
    }

    [Fact]
    public async Task Overview_Figures_EqualTheLedger()
    {
        var ledger = await _session.Gateway.LedgerAsync();
        var page = await OpenAsync("/ui?range=24h");

        Assert.Equal(ledger.Count.ToString("#,0", CultureInfo.InvariantCulture), (await page.InnerTextAsync("#kpi-requests .value")).Trim());
        Assert.Equal(ledger.Sum(r => r.CostUsd), decimal.Parse(await page.GetAttributeAsync("#kpi-spend .value", "data-usd") ?? "", CultureInfo.InvariantCulture));
        Assert.Equal(ledger.Sum(r => (r.BaselineCostUsd ?? r.CostUsd) - r.CostUsd),
            decimal.Parse(await page.GetAttributeAsync("#kpi-saved .value", "data-usd") ?? "", CultureInfo.InvariantCulture));
        var savings = await OpenAsync("/ui/savings?range=24h");
        Assert.Equal(ledger.Sum(r => r.CostUsd), decimal.Parse(await savings.GetAttributeAsync("#savings-routed .value", "data-usd") ?? "", CultureInfo.InvariantCulture));
        var privacy = await OpenAsync("/ui/privacy?range=24h");
        var cell = privacy.Locator("#heatmap td[data-class=restricted][data-zone=external]");
        Assert.Equal("0", (await cell.InnerTextAsync()).Trim());
        Assert.DoesNotContain("violation", await cell.GetAttributeAsync("class") ?? "", StringComparison.Ordinal);
    }

    [Fact]
    public async Task OverviewChartPoint_Click_OpensRequestsWithTheSameFilters()
    {
        var page = await OpenAsync("/ui?range=24h&team=qa");
        var over = page.Locator("[data-chart=chart-outcome] .u-over");
        var box = (await over.BoundingBoxAsync())!;

        // The newest hour holds the traffic: its point sits at the right edge; the largest line (ok) near the top.
        await page.Mouse.ClickAsync(box.X + box.Width - 2, box.Y + 4);
        await page.WaitForURLAsync(url => url.Contains("/ui/requests?", StringComparison.Ordinal));

        var query = new Uri(page.Url).Query;
        Assert.Contains("team=qa", query, StringComparison.Ordinal);
        Assert.Contains("outcome=ok", query, StringComparison.Ordinal);
        Assert.Contains("from=", query, StringComparison.Ordinal);
        var ledger = await _session.Gateway.LedgerAsync();
        var expected = ledger.Count(r => r.Team == "qa" && r.Outcome == LedgerOutcome.Success);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.Equal(expected, await page.Locator("#requests tbody tr").CountAsync());
    }

    [Fact]
    public async Task KeysPage_CreateThenRevoke_KeyShownOnceWorksThenRefused()
    {
        var page = await OpenAsync("/ui/keys");
        await page.FillAsync("#create-org input[name=name]", "acme");
        await page.ClickAsync("#create-org button");
        await page.WaitForSelectorAsync("#create-team select option", new() { State = WaitForSelectorState.Attached });
        await page.FillAsync("#create-team input[name=name]", "search");
        await page.ClickAsync("#create-team button");
        await page.WaitForSelectorAsync("#teams td:has-text('search')");
        await page.FillAsync("#create-key input[name=name]", "browser-key");
        await page.ClickAsync("#create-key button");
        var secret = (await page.Locator("#issued-key").InnerTextAsync()).Trim();
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(BrowserSession.ScreenshotDirectory, "keys-created.png"), FullPage = true });

        using var client = _session.Gateway.App.CreateClient(secret);
        using var ok = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        await page.ReloadAsync();
        Assert.Empty(await page.QuerySelectorAllAsync("#issued-key"));
        await page.ClickAsync("#keys tr[data-key='browser-key'] button");
        await page.WaitForSelectorAsync("#keys tr[data-key='browser-key'] td:has-text('revoked')");
        using var refused = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    [Fact]
    public async Task RequestsPage_LiveTail_ShowsANewRequestWithoutReload()
    {
        var page = await OpenAsync("/ui/requests?range=24h");
        await page.WaitForSelectorAsync("#tail-status:has-text('live')");
        using var client = _session.Gateway.App.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o","messages":[{"role":"user","content":"tail me"}]}""", Encoding.UTF8, "application/json"), TestContext.Current.CancellationToken);
        var id = response.Headers.GetValues("x-request-id").Single();

        await page.WaitForSelectorAsync($"#requests tbody tr.new a[href='/ui/requests/{id}']");
    }
}
