using System.Globalization;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Ledger;
using Switchyard.Providers.OpenAI;
using Switchyard.Telemetry;
namespace Switchyard.Pipeline;

/// <summary>The end of every accepted request (its ledger record, budget settlement, metrics) and the response headers.</summary>
internal sealed partial class RequestPipeline
{
    private ReplyContext Reply(CanonicalRequest request, string requestId, Core.Inspect.Inspection inspection, Deployment served) =>
        new(requestId, inspection.EstimatedInputTokens, _time.GetUtcNow().ToUnixTimeSeconds(), request.ClientFormat != served.Adapter.WireFormat);

    private async ValueTask FinishAsync(LedgerDeferred deferred, LedgerRecord record, long start, double upstreamMs, AdmissionTicket? ticket)
    {
        var totalMs = _time.GetElapsedTime(start).TotalMilliseconds;
        record = record with { TotalMs = totalMs, UpstreamMs = upstreamMs, OverheadMs = Math.Max(0, totalMs - upstreamMs) };
        // Settle the budget at the record's cost (the same figure the ledger keeps) and free the rate-limit slot.
        await _admission.CompleteAsync(ticket, record);
        _metrics.RecordRequest(record.Provider ?? "none", record.ServedModel ?? record.RequestedModel, record.HttpStatus, totalMs / 1000, record.OverheadMs / 1000,
            record.Usage.InputTokens, record.Usage.OutputTokens);
        await _ledger.EnqueueAsync(record, deferred);
    }

    private void SetOverhead(HttpResponse response, long start, double upstreamMs)
    {
        var overheadUs = Math.Max(0, (_time.GetElapsedTime(start).TotalMilliseconds - upstreamMs) * 1000);
        response.Headers["x-switchyard-overhead-us"] = ((long)overheadUs).ToString(CultureInfo.InvariantCulture);
    }

    private static void SetServedHeaders(HttpResponse response, Deployment served)
    {
        response.Headers["x-switchyard-model"] = HeaderSafe(served.Model.Name);
        response.Headers["x-switchyard-deployment"] = HeaderSafe(served.Id);
        response.Headers["x-switchyard-provider"] = HeaderSafe(served.ProviderName);
        if (served.Adapter.IsSimulated)
        {
            response.Headers["x-switchyard-simulated"] = "true";
        }
    }

    /// <summary>The status a client sees when no candidate succeeded.</summary>
    internal static (int Status, string Code) ClientStatus(UpstreamResult result) => result.Status switch
    {
        DispatchStatus.RateLimited => (429, "rate_limit_exceeded"),
        DispatchStatus.Timeout => (504, "upstream_timeout"),
        DispatchStatus.ConnectFailed => (503, "upstream_unavailable"),
        DispatchStatus.Rejected => (result.UpstreamStatusCode is >= 400 and < 500 ? result.UpstreamStatusCode : 400, result.ErrorCode ?? "upstream_rejected"),
        DispatchStatus.AuthFailed => (502, "upstream_auth_failed"),
        DispatchStatus.InvalidResponse => (502, "upstream_invalid_response"),
        _ => (502, "upstream_error"),
    };

    private static Usage Estimate(Core.Inspect.Inspection inspection, int contentChars) =>
        new(inspection.EstimatedInputTokens, Inspector.EstimateTokens(contentChars), Estimated: true);

    private static int OpenAIContentChars(ReadOnlySpan<byte> body) => OpenAIStreamText.ContentChars(body);

    /// <summary>Header values must be printable ASCII; configured names may not be.</summary>
    internal static string HeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return string.Create(value.Length, value, static (span, v) =>
                {
                    for (var i = 0; i < v.Length; i++)
                    {
                        span[i] = v[i] is < ' ' or > '~' ? '?' : v[i];
                    }
                });
            }
        }

        return value;
    }

    private static readonly string[] _dataClassNames = [.. Enum.GetValues<DataClass>().Select(static c => c.ToString().ToLowerInvariant())];

    private static string DataClassName(DataClass dataClass) => _dataClassNames[(int)dataClass];

    /// <summary>
    /// Whether Route reads the task analysis for this request: only to rank an alias's targets by predicted quality,
    /// i.e. an alias whose objective (the key's, else the alias's, or the one the request asks for) is not weighted.
    /// A pinned model or a weighted alias routes without it.
    /// </summary>
    internal static bool RouteNeedsTask(RouteTable table, CanonicalRequest request, Caller caller, RouteOverrides overrides) =>
        request.Operation == Operation.ChatCompletion && table.Aliases.TryGetValue(request.Model, out var alias)
        && (overrides.Objective ?? caller.Objective ?? alias.Objective) != RouteObjective.Weighted;

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    private static partial class Log
    {
        [LoggerMessage(EventIds.UpstreamAttemptFailed, LogLevel.Warning, "Request {RequestId}: attempt on {DeploymentId} ended {Status} (upstream status {StatusCode}).")]
        public static partial void AttemptFailed(ILogger logger, string requestId, string deploymentId, string status, int statusCode);

        [LoggerMessage(EventIds.StreamInterrupted, LogLevel.Warning, "Request {RequestId}: stream from {DeploymentId} interrupted ({Failure}) after bytes reached the client; not retried.")]
        public static partial void StreamInterrupted(ILogger logger, string requestId, string deploymentId, string failure);
    }
}
