using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
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

    /// <summary>
    /// The wait a client should honour, in both headers the OpenAI and Anthropic SDKs read: <c>retry-after</c> in whole
    /// seconds (rounded up, at least 1: the HTTP form) and <c>retry-after-ms</c> to the millisecond (rounded up).
    /// </summary>
    public static void SetRetryAfter(HttpResponse response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.Headers.RetryAfter = Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        response.Headers["retry-after-ms"] = Math.Max(0, (long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>The status and code a client sees when no candidate succeeded.</summary>
    public virtual (int Status, string Code) ClientStatus(UpstreamResult result) => RequestPipeline.ClientStatus(result);

    /// <summary>
    /// Writes a successful non-streamed reply: the upstream's bytes when it spoke the client's format, else the
    /// canonical <see cref="UpstreamResult.Response"/> in the client's format. Returns the HTTP status written (not
    /// 200 when the reply could not be translated).
    /// </summary>
    public abstract ValueTask<int> WriteBodyAsync(HttpResponse response, CanonicalRequest request, UpstreamResult result, ReplyContext context, CancellationToken cancellationToken);

    /// <summary>Sets the stream's status and headers and returns the relay that writes its events.</summary>
    public abstract IStreamRelay StartStream(HttpResponse response, CanonicalRequest request, ReplyContext context);
}

/// <summary>
/// What Egress needs to name a reply it writes itself: the request id, the input estimate, the time, and whether
/// the upstream spoke another format than the client (its events then carry canonical deltas).
/// </summary>
internal readonly record struct ReplyContext(string RequestId, int EstimatedInputTokens, long CreatedUnixSeconds, bool Translated);

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

    private static readonly OpenAIStreamRelay _withUsage = new(includeUsage: true, null);
    private static readonly OpenAIStreamRelay _withoutUsage = new(includeUsage: false, null);

    public override ApiFormat Format => ApiFormat.OpenAI;

    public override (CanonicalRequest? Request, IngressError? Error) Parse(ReadOnlyMemory<byte> body, Operation operation) =>
        operation == Operation.Embeddings ? OpenAIRequestParser.ParseEmbeddings(body) : OpenAIRequestParser.ParseChat(body);

    public override Task WriteErrorAsync(HttpResponse response, int status, string message, string? param, string? code, string requestId, TimeSpan? retryAfter = null) =>
        OpenAIEgress.WriteErrorAsync(response, status, message, param, code, retryAfter);

    public override async ValueTask<int> WriteBodyAsync(HttpResponse response, CanonicalRequest request, UpstreamResult result, ReplyContext context, CancellationToken cancellationToken)
    {
        var body = result.Body;
        if (result.Response is { } canonical)
        {
            var buffer = new ArrayBufferWriter<byte>(canonical.Text.Length + 512);
            OpenAIReplyWriter.Write(canonical, CompletionId(context.RequestId), context.CreatedUnixSeconds, request.Model, buffer);
            body = buffer.WrittenMemory;
        }

        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, cancellationToken);
        return 200;
    }

    public override IStreamRelay StartStream(HttpResponse response, CanonicalRequest request, ReplyContext context)
    {
        OpenAIEgress.StartStream(response);
        if (!context.Translated)
        {
            return request.IncludeUsage ? _withUsage : _withoutUsage;
        }

        return new OpenAIStreamRelay(request.IncludeUsage, new OpenAIChunkWriter(CompletionId(context.RequestId), context.CreatedUnixSeconds, request.Model, request.IncludeUsage));
    }

    /// <summary>The completion id of a reply the gateway writes itself derives from the request id, so logs and ledger find it.</summary>
    internal static string CompletionId(string requestId) => requestId.StartsWith("req_", StringComparison.Ordinal) ? "chatcmpl-" + requestId[4..] : "chatcmpl-" + requestId;

    /// <summary>Same-format events are relayed as their bytes; translated ones (with deltas) are written as OpenAI chunks.</summary>
    private sealed class OpenAIStreamRelay(bool includeUsage, OpenAIChunkWriter? chunks) : IStreamRelay
    {
        public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
        {
            if (chunks is null || evt.Deltas is not { } deltas)
            {
                // The usage chunk the gateway asked for on the client's behalf is not the client's to see.
                return evt.IsUsageOnly && !includeUsage ? default : OpenAIEgress.WriteEventAsync(writer, evt, cancellationToken);
            }

            foreach (var delta in deltas)
            {
                chunks.Write(delta, writer);
            }

            if (evt.IsDone)
            {
                chunks.Finish(writer);
            }

            return writer.FlushAsync(cancellationToken);
        }

        public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
        {
            if (chunks is null)
            {
                return OpenAIEgress.WriteDoneAsync(writer, cancellationToken);
            }

            if (chunks.Finished)
            {
                return default;
            }

            chunks.Finish(writer);
            return writer.FlushAsync(cancellationToken);
        }

        public ValueTask WriteInterruptedAsync(PipeWriter writer, string message) => OpenAIEgress.WriteStreamErrorAsync(writer, message, "stream_interrupted");
    }
}
