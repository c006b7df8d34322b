using System.Diagnostics.Metrics;
using System.Net;
using System.Text;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Resilience;

public sealed class ResilienceMetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task BreakerOpens_ObservableGaugesReportStateAndAvailabilityPerDeployment()
    {
        await using var upstream = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "boom", "server_error"));
        const string Extra = """
            resilience:
              defaults:
                max_retries: 0
                breaker: { consecutive_failures: 1, break_duration: 60s }
            """;
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, extra: Extra), TestConfig.Keys);
        using var client = app.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var factory = app.Service<IMeterFactory>();
        var seen = new List<(string Instrument, int Value, string Deployment)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Name.StartsWith("switchyard.deployment.", StringComparison.Ordinal))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<int>((i, v, tags, _) =>
            seen.Add((i.Name, v, (string)tags.ToArray().Single(t => t.Key == "switchyard.deployment.id").Value!)));
        listener.Start();

        listener.RecordObservableInstruments();

        Assert.Contains(("switchyard.deployment.breaker_state", 1, "primary-mini"), seen);
        Assert.Contains(("switchyard.deployment.available", 0, "primary-mini"), seen);
        Assert.Contains(("switchyard.deployment.breaker_state", 0, "primary-embed"), seen);
        Assert.Contains(("switchyard.deployment.available", 1, "primary-embed"), seen);
    }
}
