using System.Net;
using System.Text.Json.Nodes;
using Switchyard.Cli;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Admin;

/// <summary>
/// Who may read the health documents (issue 13 papercut): with no admin key configured, a client on the loopback
/// interface may (the operator on the gateway's host, following the README's link); the rest of the admin API stays 404,
/// and the unset key is reported as a startup warning. With a key configured, the key is required from everywhere.
/// </summary>
public sealed class HealthAccessTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("/admin/health/deployments")]
    [InlineData("/admin/health")]
    public async Task HealthDocument_NoAdminKeyConfigured_LoopbackReadsIt(string path)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient(key: null);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.NotNull(JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct)));
    }

    [Theory]
    [InlineData("/admin/tenancy")]
    [InlineData("/admin/report")]
    [InlineData("/admin/spend")]
    public async Task OtherAdminUrls_NoAdminKeyConfigured_Stay404EvenOnLoopback(string path)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient(key: null);

        using var response = await client.GetAsync(path, Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task HealthDocument_AdminKeyConfigured_RequiredOnLoopbackToo()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, server: "  admin_key_env: ADMIN_KEY"),
            new Dictionary<string, string>(TestConfig.Keys) { ["ADMIN_KEY"] = TenancyHttp.AdminKey });
        using var anonymous = app.CreateClient(key: null);
        using var admin = app.CreateClient(TenancyHttp.AdminKey);

        using var refused = await anonymous.GetAsync("/admin/health/deployments", Ct);
        using var allowed = await admin.GetAsync("/admin/health/deployments", Ct);

        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Equal(HttpStatusCode.OK, allowed.StatusCode);
    }

    [Fact]
    public void ConfigCheck_ExampleConfigWithoutAdminKey_WarnsThatTheAdminApiIsOff()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = ConfigCommand.Check(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"), output, errors, _ => null);

        Assert.Equal(0, code);
        Assert.Contains("warning: admin API disabled: server.admin_key_env is not set", output.ToString(), StringComparison.Ordinal);
    }
}
