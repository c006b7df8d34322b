using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Gate;
using Switchyard.Hosting;
using Switchyard.Providers.Clients;
namespace Switchyard.Pipeline;

/// <summary>
/// Runs one request along the chain Ingress → Gate → Inspect → Route (→ Redact) → Budget → Execute → Egress → Ledger
/// over one <see cref="HttpExchange"/>. Each stage is a small type with one job; this class only sequences them and
/// guarantees that every accepted request ends in exactly one ledger record (invariant 2). A new stage (a cache, a
/// guardrail, shadow traffic) is one more link in one of the two chains below.
/// </summary>
internal sealed class RequestSequencer(
    CallerStage caller, IngressStage ingress, LimitStage limits, InspectStage inspect, RouteStage route, BudgetStage budget,
    ExecuteStage execute, EgressStage egress, LedgerStage ledger, TenantAdmission admission, InFlightRequests inFlight,
    RouteTableHolder routes, TimeProvider time)
{
    /// <summary>Runs one request whose format-specific ends (parse, errors, bodies, streams) are <paramref name="format"/>'s.</summary>
    public async Task HandleAsync(HttpContext context, Operation operation, IClientFormat format)
    {
        var exchange = new HttpExchange(NewRequestId(), time.GetTimestamp(), format, operation, context, routes.Current);
        context.Response.Headers["x-request-id"] = exchange.RequestId;
        try
        {
            // Before acceptance a refusal is only answered: Gate's "who" runs before the body is read, so an
            // unauthenticated caller learns nothing about its request; nothing was accepted, nothing is recorded.
            exchange.Problem = await caller.RunAsync(exchange) ?? await ingress.RunAsync(exchange) ?? await limits.RunAsync(exchange);
            if (exchange.Problem is not null)
            {
                await egress.RunAsync(exchange);
                return;
            }

            // Accepted: from here every path ends in exactly one ledger record.
            exchange.AcceptedAt = time.GetUtcNow();
            inFlight.Enter();
            try
            {
                try
                {
                    exchange.Problem = await inspect.RunAsync(exchange) ?? await route.RunAsync(exchange) ?? await budget.RunAsync(exchange)
                        ?? await execute.RunAsync(exchange);
                    await egress.RunAsync(exchange);
                }
                catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
                {
                    // A bug in one of our stages: the request still ends in exactly one ledger record (invariant 2); the
                    // host's last-line middleware logs it and answers 500 in the client's format when nothing was written.
                    exchange.Problem = _internalError;
                    exchange.HttpStatus = _internalError.Status;
                    await ledger.RunAsync(exchange);
                    throw;
                }

                await ledger.RunAsync(exchange);
            }
            finally
            {
                // Normally completed with the ledger record; this only releases what an unexpected exception left.
                await admission.CompleteAsync(exchange.Ticket, null);
                inFlight.Exit();
            }
        }
        finally
        {
            exchange.Body?.Dispose();
        }
    }

    /// <summary>What the ledger records for a request our own code failed (the client sees the middleware's 500).</summary>
    private static readonly Problem _internalError = new(500, "internal_error", "The gateway failed to process the request.") { Type = "server_error" };

    public static string NewRequestId() => string.Create(36, Guid.CreateVersion7(), static (span, id) =>
    {
        "req_".CopyTo(span);
        id.TryFormat(span[4..], out _, "N");
    });
}
