using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Switchyard.Composition;
using Switchyard.Hosting;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Hosting;

/// <summary>The host's per-request diagnostics and the opt-in Kestrel knob (docs/configuration.md, "Process knobs").</summary>
public sealed class HostingKnobsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Gateway_Default_NoHostingRequestActivityOrScopeAndKestrelSchedulesOnThePool()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);

        // ASP.NET Core starts a per-request Activity and logging scope only while this category is enabled at Critical.
        var hosting = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Microsoft.AspNetCore.Hosting.Diagnostics");
        Assert.False(hosting.IsEnabled(LogLevel.Critical));
        Assert.True(app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("Switchyard.Unhandled").IsEnabled(LogLevel.Error));
        Assert.False(app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);

        using var response = await app.CreateClient().PostAsync("/v1/chat/completions",
            new StringContent("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("yes", false)]
    public async Task Gateway_InlineSchedulingVariable_SetsKestrelSocketOption(string value, bool expected)
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var environment = new Dictionary<string, string>(TestConfig.Keys) { [GatewayHost.InlineSchedulingVariable] = value };
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), environment);

        Assert.Equal(expected, app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value.UnsafePreferInlineScheduling);
        using var response = await app.CreateClient().PostAsync("/v1/chat/completions",
            new StringContent("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"stream\":true}", System.Text.Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("data: [DONE]", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }
}
