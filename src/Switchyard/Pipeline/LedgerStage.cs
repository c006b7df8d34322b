using Switchyard.Core.Chain;
using Switchyard.Core.Inspect;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Gate;
using Switchyard.Ledger;
using Switchyard.Telemetry;
namespace Switchyard.Pipeline;

/// <summary>
/// Ledger: the end of every accepted request. Builds its record once from the exchange, settles the budget at the
/// record's cost (the same figure the ledger keeps), frees the rate-limit slot, counts the metrics and queues the record.
/// </summary>
internal sealed class LedgerStage(LedgerWriter ledger, TenantAdmission admission, SwitchyardMetrics metrics, TimeProvider time) : IStage
{
    public async ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        exchange.TotalMs = time.GetElapsedTime(exchange.StartTimestamp).TotalMilliseconds;
        var record = exchange.ToLedgerRecord();
        await admission.CompleteAsync(exchange.Ticket, record);
        metrics.RecordRequest(record.Provider ?? "none", record.ServedModel ?? record.RequestedModel, record.HttpStatus, record.TotalMs / 1000, record.OverheadMs / 1000,
            record.Usage.InputTokens, record.Usage.OutputTokens);
        // The columns the request does not need are filled in off the path: the candidates (when it was executed) and,
        // for a chat request routed without the task analysis, its task category.
        var request = exchange.Request;
        var deferred = exchange.TaskAnalyzed || request.Operation != Operation.ChatCompletion ? default : LedgerDeferred.Classify(Inspector.TaskText(request));
        await ledger.EnqueueAsync(record, exchange.Outcome is null ? deferred : deferred with { Plan = exchange.Plan });
        return null;
    }
}
