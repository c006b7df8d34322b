using System.Globalization;
using Switchyard.Core.Chain;
using Switchyard.Core.Execute;
using Switchyard.Core.Inspect;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Clients;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Pipeline;

/// <summary>
/// Egress: answers in the client's own format (invariant 3). A refusal becomes the format's error envelope (with the
/// retry headers the SDKs honour); a reply is written as the upstream's bytes or translated from the canonical reply,
/// and a stream is relayed event by event (<see cref="StreamEgress"/>). Records how the reply ended and its usage.
/// </summary>
internal sealed class EgressStage(StreamEgress streams, TimeProvider time) : IStage
{
    public async ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        if (exchange.Problem is { } problem)
        {
            await RefuseAsync(exchange, problem);
            return problem;
        }

        var outcome = exchange.Outcome!;
        var result = outcome.Result;
        var served = outcome.Served!.Deployment;
        var response = exchange.Response;
        SetServedHeaders(response, served);
        SetOverhead(exchange);
        var reply = new ReplyContext(exchange.RequestId, exchange.SentInspection.EstimatedInputTokens, time.GetUtcNow().ToUnixTimeSeconds(),
            exchange.ClientFormat != served.Adapter.WireFormat);
        if (result.Stream is { } stream)
        {
            await using (stream)
            {
                await streams.RelayAsync(exchange, stream, outcome.StreamPrimed, reply);
            }

            return null;
        }

        exchange.Result = LedgerOutcome.Success;
        var written = 200;
        try
        {
            written = await exchange.Format.WriteBodyAsync(exchange, exchange.Sent, result, reply, exchange.Aborted);
            if (written != 200)
            {
                exchange.Result = LedgerOutcome.UpstreamFailed;
                exchange.ErrorClass = nameof(DispatchStatus.InvalidResponse);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            exchange.Result = LedgerOutcome.ClientDisconnected;
        }

        exchange.HttpStatus = exchange.Result == LedgerOutcome.ClientDisconnected ? 499 : written;
        exchange.Usage = ReplyUsage(exchange, result.Usage, result.Response is { } canonical ? canonical.Text.Length : OpenAIStreamText.ContentChars(result.Body.Span));
        return null;
    }

    /// <summary>The refusal in the client's format (with the retry headers the SDKs honour); nothing when the client is gone.</summary>
    private static Task RefuseAsync(HttpExchange exchange, Problem problem)
    {
        if (problem.Status == IngressStage.ClientGone.Status)
        {
            return Task.CompletedTask;
        }

        return exchange.Format.WriteErrorAsync(exchange, problem, exchange.RequestId).AsTask();
    }

    /// <summary>The reply's usage, for streamed and non-streamed replies alike: what the upstream reported, else the gateway's estimate.</summary>
    internal static Usage ReplyUsage(Exchange exchange, Usage? reported, int contentChars) =>
        reported ?? new Usage(exchange.SentInspection.EstimatedInputTokens, Inspector.EstimateTokens(contentChars), Estimated: true);

    /// <summary>The gateway's own time so far (<c>x-switchyard-overhead-us</c>): total minus the time spent waiting on upstreams.</summary>
    private void SetOverhead(HttpExchange exchange)
    {
        var overheadUs = Math.Max(0, (time.GetElapsedTime(exchange.StartTimestamp).TotalMilliseconds - exchange.UpstreamMs) * 1000);
        exchange.Response.Headers["x-switchyard-overhead-us"] = ((long)overheadUs).ToString(CultureInfo.InvariantCulture);
    }

    private static void SetServedHeaders(HttpResponse response, Deployment served)
    {
        response.Headers["x-switchyard-model"] = HeaderValue.Safe(served.Model.Name);
        response.Headers["x-switchyard-deployment"] = HeaderValue.Safe(served.Id);
        response.Headers["x-switchyard-provider"] = HeaderValue.Safe(served.ProviderName);
        if (served.Adapter.IsSimulated)
        {
            response.Headers["x-switchyard-simulated"] = "true";
        }
    }
}
