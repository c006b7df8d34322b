using Switchyard.Core.Execute;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Telemetry;
namespace Switchyard.Pipeline;

/// <summary>
/// Execute: tries the plan's candidates in order (retries, fallbacks, breakers: <see cref="Executor"/>), tells the
/// route's story in <c>x-switchyard-route</c>, puts redacted values back into a reply, and turns a failure into the
/// refusal the client sees (the status in the client format's conventions).
/// </summary>
internal sealed partial class ExecuteStage(Executor executor, ILogger<ExecuteStage> logger) : IStage
{
    public async ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        var plan = exchange.Plan!;
        var table = exchange.Table;
        var aborted = exchange.Aborted;
        var outcome = await executor.ExecuteAsync(exchange.Sent, exchange.SentInspection, plan, exchange.RequestId, table.RetryBudget, aborted,
            TenantAdmission.DefaultOutputTokens(exchange.Caller, table.Storage));
        // The whole story (chosen, then any retry or fallback and why), the same text in the header and the ledger.
        exchange.RouteStory = RouteStory.Tell(plan, outcome);
        exchange.Response.Headers["x-switchyard-route"] = HeaderValue.Safe(exchange.RouteStory);
        if (exchange.Restorer is { } restorer && outcome.Result.IsSuccess)
        {
            outcome = RedactionStage.Restore(outcome, restorer);
        }

        exchange.Outcome = outcome;
        exchange.UpstreamMs = outcome.UpstreamTime.TotalMilliseconds;
        var result = outcome.Result;
        if (result.IsSuccess)
        {
            return null;
        }

        foreach (var attempt in outcome.Attempts)
        {
            Log.AttemptFailed(logger, exchange.RequestId, attempt.DeploymentId, attempt.Status, attempt.UpstreamStatusCode);
        }

        if (outcome.Unavailable is { } unavailable && !aborted.IsCancellationRequested)
        {
            // Nothing could even be tried (every candidate open, cooling down or capped): say which and why.
            exchange.Result = LedgerOutcome.UpstreamFailed;
            return unavailable;
        }

        if (result.Status == DispatchStatus.ClientCanceled || aborted.IsCancellationRequested)
        {
            exchange.Result = LedgerOutcome.ClientDisconnected;
            return IngressStage.ClientGone;
        }

        var (status, code) = exchange.Format.ClientStatus(result);
        exchange.Result = result.Status == DispatchStatus.Rejected ? LedgerOutcome.Rejected : LedgerOutcome.UpstreamFailed;
        exchange.ErrorClass = result.Status.ToString();
        return new Problem(status, code, result.SafeMessage ?? "The upstream request failed.")
        {
            Param = result.ErrorParam,
            RetryAfter = status == 429 ? result.RetryAfter ?? TimeSpan.FromSeconds(1) : result.RetryAfter,
        };
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.UpstreamAttemptFailed, LogLevel.Warning, "Request {RequestId}: attempt on {DeploymentId} ended {Status} (upstream status {StatusCode}).")]
        public static partial void AttemptFailed(ILogger logger, string requestId, string deploymentId, string status, int statusCode);
    }
}
