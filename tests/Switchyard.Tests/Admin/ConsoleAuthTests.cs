using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Switchyard.Core.Accounts;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Tests.Admin;

/// <summary>Console accounts and sessions: roles, team scope, CSRF, the audit chain, the one-time link.</summary>
public sealed class ConsoleAuthTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpClient Browser(ConsoleGateway gateway) =>
        new(new HttpClientHandler { UseCookies = true, CookieContainer = new CookieContainer() }) { BaseAddress = gateway.App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };

    private static async Task<string> SignInAsync(HttpClient browser, string name, string password)
    {
        using var response = await browser.PostAsJsonAsync("/admin/api/v1/session", new { name, password }, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        Assert.True(response.StatusCode == HttpStatusCode.OK, text);
        return JsonDocument.Parse(text).RootElement.GetProperty("csrf_token").GetString()!;
    }

    [Fact]
    public async Task Roles_ViewerReadsButCannotChange_TeamViewerSeesOnlyItsTeam_CsrfRequiredForChanges()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        using var admin = gateway.AdminClient();
        foreach (var (name, role, teams) in new[] { ("ops", "admin", Array.Empty<string>()), ("auditor", "viewer", []), ("researcher", "team-viewer", ["research"]) })
        {
            using var created = await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name, role, teams, password = "correct horse battery" }, Ct);
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        }

        using var viewer = Browser(gateway);
        var viewerCsrf = await SignInAsync(viewer, "auditor", "correct horse battery");
        using var viewerReads = await viewer.GetAsync("/admin/api/v1/overview", Ct);
        using var viewerWrite = new HttpRequestMessage(HttpMethod.Post, "/admin/api/v1/teams") { Content = JsonContent.Create(new { org = "x", name = "y" }) };
        viewerWrite.Headers.Add("X-CSRF-Token", viewerCsrf);
        using var viewerChange = await viewer.SendAsync(viewerWrite, Ct);
        Assert.Equal(HttpStatusCode.OK, viewerReads.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, viewerChange.StatusCode);

        using var researcher = Browser(gateway);
        await SignInAsync(researcher, "researcher", "correct horse battery");
        var page = JsonDocument.Parse(await researcher.GetStringAsync("/admin/api/v1/requests?range=24h", Ct)).RootElement;
        Assert.Equal(3, page.GetProperty("rows").GetArrayLength());
        Assert.All(page.GetProperty("rows").EnumerateArray(), r => Assert.Equal("research", r.GetProperty("team").GetString()));
        var qa = (await gateway.LedgerAsync()).First(r => r.Team == "qa");
        using var hidden = await researcher.GetAsync("/admin/api/v1/requests/" + qa.RequestId, Ct);
        Assert.Equal(HttpStatusCode.NotFound, hidden.StatusCode);
        using var settings = await researcher.GetAsync("/admin/api/v1/settings", Ct);
        Assert.Equal(HttpStatusCode.Forbidden, settings.StatusCode);

        using var ops = Browser(gateway);
        var csrf = await SignInAsync(ops, "ops", "correct horse battery");
        using var withoutToken = await ops.PostAsJsonAsync("/admin/api/v1/orgs", new { name = "acme" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, withoutToken.StatusCode);
        using var withToken = new HttpRequestMessage(HttpMethod.Post, "/admin/api/v1/orgs") { Content = JsonContent.Create(new { name = "acme" }) };
        withToken.Headers.Add("X-CSRF-Token", csrf);
        using var created2 = await ops.SendAsync(withToken, Ct);
        Assert.Equal(HttpStatusCode.Created, created2.StatusCode);
        using var foreign = new HttpRequestMessage(HttpMethod.Post, "/admin/api/v1/orgs") { Content = JsonContent.Create(new { name = "evil" }) };
        foreign.Headers.Add("X-CSRF-Token", csrf);
        foreign.Headers.Add("Origin", "http://evil.example");
        using var crossSite = await ops.SendAsync(foreign, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, crossSite.StatusCode);

        using var wrong = Browser(gateway);
        using var failed = await wrong.PostAsJsonAsync("/admin/api/v1/session", new { name = "ops", password = "wrong password!!" }, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);

        var audit = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/v1/audit", Ct)).RootElement;
        Assert.True(audit.GetProperty("chain_intact").GetBoolean());
        var actions = audit.GetProperty("entries").EnumerateArray().Select(e => (e.GetProperty("actor").GetString(), e.GetProperty("action").GetString())).ToList();
        Assert.Contains(("ops", "login"), actions);
        Assert.Contains(("ops", "login_failed"), actions);
        Assert.Contains(("ops", "POST /admin/api/v1/orgs"), actions);
        using var revoke = await admin.PostAsync("/admin/api/v1/keys/nope/revoke", null, Ct);
        Assert.Equal(HttpStatusCode.NotFound, revoke.StatusCode);
        Assert.DoesNotContain(actions, a => a.Item2!.Contains("evil", StringComparison.Ordinal));
    }

    [Fact]
    public async Task AuditChain_EntryChangedInTheStore_VerificationFails()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        var store = gateway.App.Service<IConsoleStore>();
        for (var i = 0; i < 3; i++)
        {
            await store.AppendAuditAsync(DateTimeOffset.UtcNow, "t", "act" + i, "s", "d", Ct);
        }

        var entries = (await store.ReadAuditAsync(null, 10, Ct)).Reverse().ToList();
        Assert.Null(AuditChain.Verify(entries));
        entries[1] = entries[1] with { Detail = "changed" };

        Assert.Equal(entries[1].Seq, AuditChain.Verify(entries));
    }

    [Fact]
    public async Task PasswordHasher_RoundTripAndWrongPassword()
    {
        var hash = PasswordHasher.Hash("correct horse battery", 1000);

        Assert.True(PasswordHasher.Verify("correct horse battery", hash));
        Assert.False(PasswordHasher.Verify("correct horse batterz", hash));
        Assert.False(PasswordHasher.Verify("x", "pbkdf2-sha256$1000$!!$??"));
        Assert.StartsWith("pbkdf2-sha256$1000$", hash, StringComparison.Ordinal);
        await Task.CompletedTask;
    }
}
