using Switchyard.Core.Model;
using Switchyard.Gate;
namespace Switchyard.Pipeline;

/// <summary>Budget: reserves the most the plan can cost before any upstream call; the ledger stage settles it at the real cost.</summary>
internal sealed class BudgetStage(TenantAdmission admission) : IStage
{
    public ValueTask<Problem?> RunAsync(HttpExchange exchange) =>
        admission.ReserveAsync(exchange.Ticket, exchange.Sent, exchange.SentInspection.EstimatedInputTokens, exchange.Plan!, exchange.Table.Storage, exchange.Aborted);
}
