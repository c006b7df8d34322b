using Switchyard.Core.Execute;
using Switchyard.Core.Ledger;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Clients;
using Switchyard.Telemetry;
namespace Switchyard.Pipeline;

/// <summary>Egress of a stream: relays the upstream's events one by one, each flushed, and records how the stream ended.</summary>
internal sealed partial class StreamEgress(TimeProvider time, ILogger<StreamEgress> logger)
{
    public async Task RelayAsync(HttpExchange exchange, IUpstreamStream stream, bool primed, ReplyContext reply)
    {
        var aborted = exchange.Aborted;
        var relay = exchange.Format.StartStream(exchange, exchange.Sent, reply);
        var writer = exchange.Response.BodyWriter;
        var kind = LedgerOutcome.Success;
        string? errorClass = null;
        var wroteDone = false;
        try
        {
            var has = primed;
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

                var t0 = time.GetTimestamp();
                has = await stream.ReadAsync(aborted);
                exchange.UpstreamMs += time.GetElapsedTime(t0).TotalMilliseconds;
            }

            if (kind == LedgerOutcome.Success && !wroteDone)
            {
                if (stream.Failure is { } failure)
                {
                    kind = LedgerOutcome.StreamInterrupted;
                    errorClass = failure.ToString();
                    Log.StreamInterrupted(logger, exchange.RequestId, exchange.Outcome!.Served!.Deployment.Id, errorClass);
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

        exchange.Result = kind;
        exchange.HttpStatus = kind == LedgerOutcome.ClientDisconnected ? 499 : 200;
        exchange.ErrorClass = errorClass;
        exchange.Usage = EgressStage.ReplyUsage(exchange, stream.Usage, stream.ContentChars);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.StreamInterrupted, LogLevel.Warning, "Request {RequestId}: stream from {DeploymentId} interrupted ({Failure}) after bytes reached the client; not retried.")]
        public static partial void StreamInterrupted(ILogger logger, string requestId, string deploymentId, string failure);
    }
}
