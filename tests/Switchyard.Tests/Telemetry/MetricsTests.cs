using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Text;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Telemetry;

public sealed class MetricsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Request_RecordsGenAiTokenUsageDurationAndOverhead()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        var factory = app.Service<IMeterFactory>();
        var measurements = new ConcurrentBag<(string Instrument, double Value, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            // Only this app's meters: other tests run gateways in parallel.
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == "Switchyard")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((i, v, tags, _) => measurements.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.SetMeasurementEventCallback<double>((i, v, tags, _) => measurements.Add((i.Name, v, tags.ToArray().ToDictionary(t => t.Key, t => t.Value))));
        listener.Start();
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        await response.Content.ReadAsStringAsync(Ct);
        await app.StopAsync();

        var tokens = measurements.Where(m => m.Instrument == "gen_ai.client.token.usage").ToList();
        Assert.Contains(tokens, m => m.Value == OpenAIWire.PromptTokens && (string?)m.Tags["gen_ai.token.type"] == "input" && (string?)m.Tags["gen_ai.request.model"] == "gpt-4o-mini");
        Assert.Contains(tokens, m => m.Value == OpenAIWire.CompletionTokens && (string?)m.Tags["gen_ai.token.type"] == "output" && (string?)m.Tags["gen_ai.provider.name"] == "primary");
        Assert.Single(measurements, m => m.Instrument == "gen_ai.client.operation.duration");
        Assert.Single(measurements, m => m.Instrument == "switchyard.gateway.overhead");
        Assert.Contains(measurements, m => m.Instrument == "switchyard.requests" && (int?)m.Tags["http.response.status_code"] == 200);
    }
}
