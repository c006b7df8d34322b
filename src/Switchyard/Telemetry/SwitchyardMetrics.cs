using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Switchyard.Telemetry;

/// <summary>The gateway's metrics, named after the OpenTelemetry GenAI conventions where one exists.</summary>
internal sealed class SwitchyardMetrics
{
    public const string MeterName = "Switchyard";

    private readonly Histogram<long> _tokens;
    private readonly Histogram<double> _duration;
    private readonly Histogram<double> _overhead;
    private readonly Counter<long> _requests;

    public SwitchyardMetrics(IMeterFactory factory)
    {
        var meter = factory.Create(MeterName);
        _tokens = meter.CreateHistogram<long>("gen_ai.client.token.usage", unit: "{token}");
        _duration = meter.CreateHistogram<double>("gen_ai.client.operation.duration", unit: "s");
        _overhead = meter.CreateHistogram<double>("switchyard.gateway.overhead", unit: "s");
        _requests = meter.CreateCounter<long>("switchyard.requests", unit: "{request}");
    }

    public void RecordRequest(string provider, string model, int status, double seconds, double overheadSeconds, int inputTokens, int outputTokens)
    {
        if (_requests.Enabled)
        {
            _requests.Add(1, new TagList { { "gen_ai.provider.name", provider }, { "gen_ai.request.model", model }, { "http.response.status_code", status } });
        }

        if (_duration.Enabled)
        {
            _duration.Record(seconds, new TagList { { "gen_ai.provider.name", provider }, { "gen_ai.request.model", model } });
        }

        if (_overhead.Enabled)
        {
            _overhead.Record(overheadSeconds);
        }

        if (_tokens.Enabled)
        {
            _tokens.Record(inputTokens, new TagList { { "gen_ai.provider.name", provider }, { "gen_ai.request.model", model }, { "gen_ai.token.type", "input" } });
            _tokens.Record(outputTokens, new TagList { { "gen_ai.provider.name", provider }, { "gen_ai.request.model", model }, { "gen_ai.token.type", "output" } });
        }
    }
}
