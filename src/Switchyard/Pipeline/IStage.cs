using Switchyard.Core.Model;
namespace Switchyard.Pipeline;

/// <summary>
/// One link of the request chain (docs/architecture.md, "The request path"): reads the parts of the exchange that
/// earlier stages wrote, writes its own, and either lets the request go on (null) or refuses it with a
/// <see cref="Problem"/> that Egress words in the client's format. A stage that completes synchronously costs no
/// allocation (a <see cref="ValueTask{TResult}"/> from its result).
/// </summary>
internal interface IStage
{
    ValueTask<Problem?> RunAsync(HttpExchange exchange);
}
