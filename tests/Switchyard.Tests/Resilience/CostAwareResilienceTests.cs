using System.Net;
using System.Text;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Resilience;

/// <summary>
/// Issue 13, defect 12, through HTTP: a cheap self-hosted primary's transient failure is retried before the request
/// escalates to the dear external fallback, and when it does escalate the ledger says what the fallback cost.
/// </summary>
public sealed class CostAwareResilienceTests
{
    private const string Chat = """{"model":"assistant","messages":[{"role":"user","content":"Hi"}]}""";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Config(string localUrl, string frontierUrl) =>
        CheapAndDearConfig.Yaml(localUrl, frontierUrl, "{ max_retries: 1, retry_base_delay: 10ms, retry_max_delay: 20ms }");

    private static string Header(HttpResponseMessage response, string name) => response.Headers.GetValues(name).Single();

    [Fact]
    public async Task CheapPrimaryFailsOnce_RetriedThereNotEscalatedToTheDearFallback()
    {
        var calls = 0;
        var busy = FakeUpstream.Error(503, "busy", "server_error");
        await using var local = await FakeUpstream.StartAsync((context, request) => Interlocked.Increment(ref calls) == 1
            ? busy(context, request)
            : FakeUpstream.WriteJsonAsync(context, OpenAIWire.Completion("llama", "local answer")));
        await using var frontier = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(local.BaseUrl, frontier.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(Chat, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("local-llama", Header(response, "x-switchyard-deployment"));
        Assert.EndsWith("; served by local-llama on try 2 after upstream 503", Header(response, "x-switchyard-route"), StringComparison.Ordinal);
        Assert.Equal(2, local.Received.Count);
        Assert.Empty(frontier.Received);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(Header(response, "x-request-id"), Ct);
        Assert.Null(record!.FallbackExtraCostUsd);
    }

    [Fact]
    public async Task CheapPrimaryDown_EscalatesAfterItsRetryAndTheLedgerKeepsWhatTheFallbackCostMore()
    {
        await using var local = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "down", "server_error"));
        await using var frontier = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(local.BaseUrl, frontier.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(Chat, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("frontier-4o", Header(response, "x-switchyard-deployment"));
        Assert.EndsWith("; fell back to frontier-4o after local-llama: upstream 500 (2 tries)", Header(response, "x-switchyard-route"), StringComparison.Ordinal);
        await app.StopAsync();
        var record = await app.Ledger.FindAsync(Header(response, "x-request-id"), Ct);
        Assert.NotNull(record);
        // The same usage priced on llama, the plan's first choice.
        var cheap = ((record.Usage.InputTokens * 0.1m) + (record.Usage.OutputTokens * 0.2m)) / 1_000_000m;
        Assert.Equal(record.CostUsd - cheap, record.FallbackExtraCostUsd);
        Assert.True(record.FallbackExtraCostUsd > 0);
    }
}
