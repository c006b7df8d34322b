using Switchyard.Core.Execute;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Ledger;
namespace Switchyard.Pipeline;

/// <summary>Egress of a stream: relays the upstream's events one by one, then finishes the ledger record.</summary>
internal sealed partial class RequestPipeline
{
    private async Task RelayStreamAsync(HttpContext context, ClientEgress egress, CanonicalRequest request, Core.Inspect.Inspection inspection, IUpstreamStream stream,
        Outcome outcome, LedgerRecord record, LedgerDeferred deferred, ModelInfo? baseline, long start, AdmissionTicket? ticket)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        var upstreamMs = outcome.UpstreamTime.TotalMilliseconds;
        SetOverhead(response, start, upstreamMs);
        var relay = egress.StartStream(response, request, Reply(request, record.RequestId, inspection, outcome.Served!.Deployment));
        var writer = response.BodyWriter;
        var kind = LedgerOutcome.Success;
        string? errorClass = null;
        var wroteDone = false;
        try
        {
            var has = outcome.StreamPrimed;
            while (has)
            {
                var evt = stream.Current;
                var flush = await relay.WriteEventAsync(writer, evt, aborted);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    kind = LedgerOutcome.ClientDisconnected;
                    break;
                }

                if (evt.IsDone)
                {
                    wroteDone = true;
                    break;
                }

                var t0 = _time.GetTimestamp();
                has = await stream.ReadAsync(aborted);
                upstreamMs += _time.GetElapsedTime(t0).TotalMilliseconds;
            }

            if (kind == LedgerOutcome.Success && !wroteDone)
            {
                if (stream.Failure is { } failure)
                {
                    kind = LedgerOutcome.StreamInterrupted;
                    errorClass = failure.ToString();
                    Log.StreamInterrupted(_logger, record.RequestId, record.DeploymentId ?? "", failure.ToString());
                    await relay.WriteInterruptedAsync(writer, "The upstream stream was interrupted before it completed.");
                }
                else
                {
                    await relay.WriteEndAsync(writer, aborted);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            kind = LedgerOutcome.ClientDisconnected;
            errorClass = "client_disconnected";
        }

        var usage = stream.Usage is { } reported && kind == LedgerOutcome.Success ? reported : stream.Usage ?? Estimate(inspection, stream.ContentChars);
        var served = outcome.Served!.Deployment;
        await FinishAsync(deferred, record with
        {
            Outcome = kind,
            HttpStatus = kind == LedgerOutcome.ClientDisconnected ? 499 : 200,
            ErrorClass = errorClass,
            Usage = usage,
            CostUsd = served.Model.Price.Cost(usage),
            FallbackExtraCostUsd = outcome.FallbackExtraCost(usage),
            BaselineCostUsd = baseline?.Price.Cost(usage),
        }, start, upstreamMs, ticket);
    }
}
