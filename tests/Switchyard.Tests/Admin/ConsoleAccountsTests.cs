using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Switchyard.Admin;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Tests.Admin;

/// <summary>Accounts, the loopback rule, the privacy review, the audit export and the tail, through <c>/admin/api/v1</c>.</summary>
public sealed class ConsoleAccountsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Loopback_UntilAPasswordExists_RemoteClientsRefused()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        var sessions = gateway.App.Service<ConsoleSessions>();
        var remote = new DefaultHttpContext();
        remote.Connection.RemoteIpAddress = IPAddress.Parse("10.1.2.3");
        var local = new DefaultHttpContext();
        local.Connection.RemoteIpAddress = IPAddress.Parse("::ffff:127.0.0.1");

        Assert.False(await sessions.ReachableAsync(remote));
        Assert.True(await sessions.ReachableAsync(local));

        using var admin = gateway.AdminClient();
        using var created = await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name = "ops", role = "admin", password = "correct horse battery" }, Ct);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(await sessions.ReachableAsync(remote));
    }

    [Fact]
    public async Task Accounts_ChangeDeleteOwnPasswordReviewAndAudit_AllRecorded()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        using var admin = gateway.AdminClient();
        using var weak = await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name = "ops", role = "admin", password = "short" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, weak.StatusCode);
        using var badRole = await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name = "ops", role = "root", password = "correct horse battery" }, Ct);
        Assert.Equal(HttpStatusCode.BadRequest, badRole.StatusCode);
        (await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name = "ops", role = "admin", password = "correct horse battery" }, Ct)).EnsureSuccessStatusCode();
        (await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name = "temp", role = "viewer", password = "correct horse battery" }, Ct)).EnsureSuccessStatusCode();
        using var duplicate = await admin.PostAsJsonAsync("/admin/api/v1/accounts", new { name = "temp", role = "viewer", password = "correct horse battery" }, Ct);
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        using var changed = await admin.PutAsJsonAsync("/admin/api/v1/accounts/temp", new { role = "team-viewer", teams = new[] { "qa" } }, Ct);
        Assert.Equal("team-viewer", JsonDocument.Parse(await changed.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("role").GetString());
        using var deleted = await admin.DeleteAsync("/admin/api/v1/accounts/temp", Ct);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        using var gone = await admin.DeleteAsync("/admin/api/v1/accounts/temp", Ct);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);

        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = gateway.App.BaseAddress };
        using var signIn = await browser.PostAsJsonAsync("/admin/api/v1/session", new { name = "ops", password = "correct horse battery" }, Ct);
        var csrf = JsonDocument.Parse(await signIn.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("csrf_token").GetString()!;
        browser.DefaultRequestHeaders.Add("X-CSRF-Token", csrf);
        using var wrongCurrent = await browser.PutAsJsonAsync("/admin/api/v1/me/password", new { current = "not it at all!", password = "a brand new passphrase" }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, wrongCurrent.StatusCode);
        using var setOwn = await browser.PutAsJsonAsync("/admin/api/v1/me/password", new { current = "correct horse battery", password = "a brand new passphrase" }, Ct);
        Assert.Equal(HttpStatusCode.NoContent, setOwn.StatusCode);

        var before = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/v1/onboarding", Ct)).RootElement;
        Assert.False(before.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "privacy_reviewed").GetProperty("done").GetBoolean());
        using var reviewed = await browser.PostAsync("/admin/api/v1/privacy/reviewed", null, Ct);
        Assert.Equal(HttpStatusCode.NoContent, reviewed.StatusCode);
        var after = JsonDocument.Parse(await admin.GetStringAsync("/admin/api/v1/onboarding", Ct)).RootElement;
        Assert.True(after.GetProperty("steps").EnumerateArray().Single(s => s.GetProperty("id").GetString() == "privacy_reviewed").GetProperty("done").GetBoolean());

        using var signOut = await browser.DeleteAsync("/admin/api/v1/session", Ct);
        Assert.Equal(HttpStatusCode.NoContent, signOut.StatusCode);
        using var afterSignOut = await browser.GetAsync("/admin/api/v1/me", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, afterSignOut.StatusCode);

        var csv = await admin.GetStringAsync("/admin/api/v1/audit?format=csv", Ct);
        Assert.StartsWith("seq,at,actor,action,subject,detail,prev_hash,hash", csv, StringComparison.Ordinal);
        foreach (var action in new[] { "POST /admin/api/v1/accounts", "PUT /admin/api/v1/accounts/{name}", "DELETE /admin/api/v1/accounts/{name}", "password_set",
            ConsoleAccountsApi.PrivacyReviewed, "login", "logout" })
        {
            Assert.Contains("," + action + ",", csv, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Tail_OneStream_DeliversANewMatchingRequestOnly()
    {
        await using var gateway = await ConsoleGateway.StartAsync();
        using var admin = gateway.AdminClient();
        using var stream = await admin.GetStreamAsync("/admin/api/v1/requests/tail?team=research", Ct);
        using var reader = new StreamReader(stream);
        Assert.StartsWith(": tail open", await reader.ReadLineAsync(Ct), StringComparison.Ordinal);

        using var qa = gateway.App.CreateClient();
        using var research = gateway.App.CreateClient("sk-other-team-key-0123456789");
        (await qa.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"not mine"}]}""", Encoding.UTF8, "application/json"), Ct)).Dispose();
        using var mine = await research.PostAsync("/v1/chat/completions", new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"mine"}]}""", Encoding.UTF8, "application/json"), Ct);
        var id = mine.Headers.GetValues("x-request-id").Single();

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        string? data = null;
        while (data is null && await reader.ReadLineAsync(deadline.Token) is { } line)
        {
            if (line.StartsWith("data: ", StringComparison.Ordinal))
            {
                data = line["data: ".Length..];
            }
        }

        var row = JsonDocument.Parse(data!).RootElement;
        Assert.Equal(id, row.GetProperty("request_id").GetString());
        Assert.Equal("research", row.GetProperty("team").GetString());
    }
}
