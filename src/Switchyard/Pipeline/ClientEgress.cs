using System.IO.Pipelines;
using Switchyard.Canonical;
using Switchyard.Execution;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Pipeline;

/// <summary>
/// The format-specific ends of the request path, chosen by the endpoint: how a body is parsed (Ingress) and how
/// errors, bodies and streams are written back (Egress). <see cref="RequestPipeline"/> runs every other stage the
/// same way for every client format (invariant 3: the client only ever sees its own API's format).
/// </summary>
internal abstract class ClientEgress
{
    public abstract ApiFormat Format { get; }

    public abstract (CanonicalRequest? Request, IngressError? Error) Parse(ReadOnlyMemory<byte> body, Operation operation);

    public abstract Task WriteErrorAsync(HttpResponse response, int status, string message, string? param, string? code, string requestId, TimeSpan? retryAfter = null);

    /// <summary>The status and code a client sees when no candidate succeeded.</summary>
    public virtual (int Status, string Code) ClientStatus(UpstreamResult result) => RequestPipeline.ClientStatus(result);

    /// <summary>Writes a successful non-streamed upstream body; returns the HTTP status written (not 200 when the body could not be translated).</summary>
    public abstract ValueTask<int> WriteBodyAsync(HttpResponse response, CanonicalRequest request, UpstreamResult result, string requestId, CancellationToken cancellationToken);

    /// <summary>Sets the stream's status and headers and returns the relay that writes its events.</summary>
    public abstract IStreamRelay StartStream(HttpResponse response, CanonicalRequest request, string requestId, int estimatedInputTokens);
}

/// <summary>Writes the events of one upstream stream to the client, each flushed as it is written.</summary>
internal interface IStreamRelay
{
    /// <summary>Writes one upstream event (possibly nothing) and flushes.</summary>
    ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken);

    /// <summary>The upstream ended cleanly without its terminator: end the client's stream properly.</summary>
    ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken);

    /// <summary>The upstream broke after bytes reached the client: end with an error event.</summary>
    ValueTask WriteInterruptedAsync(PipeWriter writer, string message);
}

/// <summary>The OpenAI format: bodies and events are the upstream's own bytes (same format), errors are OpenAI's.</summary>
internal sealed class OpenAIClientEgress : ClientEgress
{
    public static readonly OpenAIClientEgress Instance = new();

    private static readonly OpenAIStreamRelay _withUsage = new(includeUsage: true);
    private static readonly OpenAIStreamRelay _withoutUsage = new(includeUsage: false);

    public override ApiFormat Format => ApiFormat.OpenAI;

    public override (CanonicalRequest? Request, IngressError? Error) Parse(ReadOnlyMemory<byte> body, Operation operation) =>
        operation == Operation.Embeddings ? OpenAIRequestParser.ParseEmbeddings(body) : OpenAIRequestParser.ParseChat(body);

    public override Task WriteErrorAsync(HttpResponse response, int status, string message, string? param, string? code, string requestId, TimeSpan? retryAfter = null) =>
        OpenAIEgress.WriteErrorAsync(response, status, message, param, code, retryAfter);

    public override async ValueTask<int> WriteBodyAsync(HttpResponse response, CanonicalRequest request, UpstreamResult result, string requestId, CancellationToken cancellationToken)
    {
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = result.Body.Length;
        await response.Body.WriteAsync(result.Body, cancellationToken);
        return 200;
    }

    public override IStreamRelay StartStream(HttpResponse response, CanonicalRequest request, string requestId, int estimatedInputTokens)
    {
        OpenAIEgress.StartStream(response);
        return request.IncludeUsage ? _withUsage : _withoutUsage;
    }

    private sealed class OpenAIStreamRelay(bool includeUsage) : IStreamRelay
    {
        public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken) =>
            // The usage chunk the gateway asked for on the client's behalf is not the client's to see.
            evt.IsUsageOnly && !includeUsage ? default : OpenAIEgress.WriteEventAsync(writer, evt, cancellationToken);

        public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken) => OpenAIEgress.WriteDoneAsync(writer, cancellationToken);

        public ValueTask WriteInterruptedAsync(PipeWriter writer, string message) => OpenAIEgress.WriteStreamErrorAsync(writer, message, "stream_interrupted");
    }
}
