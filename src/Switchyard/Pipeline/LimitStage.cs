using Switchyard.Core.Model;
using Switchyard.Gate;
namespace Switchyard.Pipeline;

/// <summary>Gate, second half: the stored key's rate limits, counted in memory; a refused request is not accepted.</summary>
internal sealed class LimitStage(TenantAdmission admission) : IStage
{
    public ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        var (ticket, problem) = admission.Admit(exchange.Caller, exchange.Request, exchange.Response);
        exchange.Ticket = ticket;
        return new(problem);
    }
}
