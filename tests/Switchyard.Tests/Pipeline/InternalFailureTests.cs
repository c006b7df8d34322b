using System.Net;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Switchyard.Core.Route;
using Switchyard.Core.Upstream;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Pipeline;

/// <summary>
/// Invariant 2 holds for the gateway's own failures too: a request accepted and then lost to an exception in one of
/// our stages still ends in exactly one ledger record, and the client gets a 500 in its own format (from the host's
/// last-line middleware), never an empty response or a stack trace. The failure is injected where a bug would sit: Route's read of the live deployment states throws.
/// Before the sequencer recorded such requests, both tests failed on the missing ledger record.
/// </summary>
public sealed class InternalFailureTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Route's view of the deployments, failing as a bug in our own code would.</summary>
    private sealed class FailingStates : IDeploymentStates
    {
        public DeploymentView View(Deployment deployment) => throw new InvalidOperationException("planted failure in the deployment states");

        public bool TryGetSpeed(string deploymentId, out DeploymentSpeed speed) => throw new InvalidOperationException("planted failure in the deployment states");
    }

    private static Task<SwitchyardAppFactory> StartAsync(string upstream) => SwitchyardAppFactory.StartAsync(
        TestConfig.OpenAI(upstream), TestConfig.Keys,
        services => services.Replace(ServiceDescriptor.Singleton<IDeploymentStates>(new FailingStates())));

    [Fact]
    public async Task OpenAIClient_StageThrowsAfterAcceptance_500InOpenAIFormatAndOneLedgerRecord()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream.BaseUrl);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        var error = body.RootElement.GetProperty("error");
        Assert.Equal("internal_error", error.GetProperty("code").GetString());
        Assert.Equal("server_error", error.GetProperty("type").GetString());
        Assert.DoesNotContain("planted", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(upstream.Received);

        await app.StopAsync();
        var record = await app.Ledger.FindAsync(requestId, Ct);
        Assert.NotNull(record);
        Assert.Equal(500, record.HttpStatus);
        Assert.Equal("internal_error", record.ErrorClass);
        Assert.Equal("gpt-4o-mini", record.RequestedModel);
    }

    [Fact]
    public async Task AnthropicClient_StageThrowsAfterAcceptance_500InAnthropicFormatAndOneLedgerRecord()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream.BaseUrl);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/messages",
            new StringContent("{\"model\":\"gpt-4o-mini\",\"max_tokens\":32,\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var requestId = response.Headers.GetValues("x-request-id").Single();
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct));
        Assert.Equal("error", body.RootElement.GetProperty("type").GetString());
        Assert.Equal("api_error", body.RootElement.GetProperty("error").GetProperty("type").GetString());

        await app.StopAsync();
        var record = await app.Ledger.FindAsync(requestId, Ct);
        Assert.NotNull(record);
        Assert.Equal(500, record.HttpStatus);
        Assert.Equal("internal_error", record.ErrorClass);
    }
}
