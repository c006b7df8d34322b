using Switchyard.Core.Model;
using Switchyard.Gate;
namespace Switchyard.Pipeline;

/// <summary>
/// Gate, first half: who is calling (the key, looked up in memory), the data class the caller asks for and its routing
/// headers. Runs before the body is read.
/// </summary>
internal sealed class CallerStage(TenantDirectory tenants) : IStage
{
    public ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        var request = exchange.Context.Request;
        var (caller, problem) = GateStage.Authenticate(request, exchange.Table, tenants);
        if (problem is not null)
        {
            return new(problem);
        }

        exchange.Caller = caller!;
        (exchange.RequestedClass, problem) = GateStage.RequestedDataClass(request);
        if (problem is not null)
        {
            return new(problem);
        }

        (exchange.Overrides, problem) = RouteHeaders.Read(request);
        return new(problem);
    }
}
