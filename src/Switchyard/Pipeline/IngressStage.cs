using Switchyard.Core.Model;
namespace Switchyard.Pipeline;

/// <summary>Ingress: a bounded read of the body into a pooled buffer, then one parse into the canonical request by the client format.</summary>
internal sealed class IngressStage : IStage
{
    /// <summary>The client went away: there is no one to answer (Egress writes nothing for it).</summary>
    internal static readonly Problem ClientGone = new(499, "client_disconnected", "The client closed the connection.");

    private static readonly Problem _unreadable = new(400, "invalid_body", "The request body could not be read.");

    public async ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        var limit = exchange.Table.Server.MaxRequestBodyBytes;
        try
        {
            exchange.Body = await RequestBody.ReadAsync(exchange.Context.Request, limit, exchange.Aborted);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            return exchange.Aborted.IsCancellationRequested ? ClientGone : _unreadable;
        }

        if (exchange.Body is not { } body)
        {
            return new Problem(413, "request_too_large", $"The request body exceeds the gateway's limit of {limit} bytes.");
        }

        var (request, problem) = exchange.Format.Parse(body.Memory, exchange.Operation);
        if (problem is not null)
        {
            return problem;
        }

        exchange.Request = request!;
        return null;
    }
}
