using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using Switchyard.Canonical;
using Switchyard.Execution;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Pipeline;

/// <summary>
/// Ingress and Egress for Anthropic-format clients (<c>/v1/messages</c>): errors as
/// <c>{"type":"error","error":{…},"request_id":…}</c> with Anthropic's status conventions (529 for an overloaded
/// or unavailable upstream), bodies translated from the upstream's OpenAI completion, and streams translated
/// event by event into Anthropic's named SSE events.
/// </summary>
internal sealed class AnthropicEgress : ClientEgress
{
    public static readonly AnthropicEgress Instance = new();

    public override ApiFormat Format => ApiFormat.Anthropic;

    public override (CanonicalRequest? Request, IngressError? Error) Parse(ReadOnlyMemory<byte> body, Operation operation) =>
        AnthropicRequestParser.ParseMessages(body);

    /// <summary>A gateway 503 (no deployment available) is what Anthropic calls overloaded: 529.</summary>
    public override Task WriteErrorAsync(HttpResponse response, int status, string message, string? param, string? code, string requestId, TimeSpan? retryAfter = null) =>
        WriteErrorAsync(response, status == 503 ? 529 : status, code == "missing_api_key" ? MissingKey : message, requestId, retryAfter);

    /// <summary>The gate's own wording names the bearer header; Anthropic clients send <c>x-api-key</c>.</summary>
    private const string MissingKey = "x-api-key header is required (an Authorization: Bearer token is accepted too).";

    public static async Task WriteErrorAsync(HttpResponse response, int status, string message, string? requestId, TimeSpan? retryAfter = null)
    {
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        }

        var buffer = new ArrayBufferWriter<byte>(256 + message.Length);
        AnthropicWire.WriteError(buffer, AnthropicWire.ErrorType(status), message, requestId);
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }

    /// <summary>Anthropic's conventions: an overloaded or unreachable upstream is 529, a timeout 504, other upstream failures 5xx api_error.</summary>
    public override (int Status, string Code) ClientStatus(UpstreamResult result) => result.Status switch
    {
        DispatchStatus.RateLimited => (429, "rate_limit_error"),
        DispatchStatus.Timeout => (504, "timeout_error"),
        DispatchStatus.ConnectFailed => (529, "overloaded_error"),
        DispatchStatus.UpstreamError when result.UpstreamStatusCode is 503 or 529 => (529, "overloaded_error"),
        DispatchStatus.Rejected => (result.UpstreamStatusCode is >= 400 and < 500 ? result.UpstreamStatusCode : 400, "invalid_request_error"),
        _ => (502, "api_error"),
    };

    public override async ValueTask<int> WriteBodyAsync(HttpResponse response, CanonicalRequest request, UpstreamResult result, string requestId, CancellationToken cancellationToken)
    {
        var buffer = new ArrayBufferWriter<byte>(result.Body.Length + 512);
        if (!AnthropicResponseWriter.TryWrite(result.Body, request, MessageId(requestId), buffer, out var problem))
        {
            await WriteErrorAsync(response, 502, problem ?? "The upstream response could not be translated.", requestId);
            return 502;
        }

        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory, cancellationToken);
        return 200;
    }

    public override IStreamRelay StartStream(HttpResponse response, CanonicalRequest request, string requestId, int estimatedInputTokens)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["x-accel-buffering"] = "no";
        return new Relay(new AnthropicStreamTranslator(MessageId(requestId), request.Model, estimatedInputTokens, request.Stop), requestId);
    }

    /// <summary>The message id derives from the gateway's request id, so logs and ledger find it.</summary>
    internal static string MessageId(string requestId) => requestId.StartsWith("req_", StringComparison.Ordinal) ? "msg_" + requestId[4..] : "msg_" + requestId;

    private sealed class Relay(AnthropicStreamTranslator translator, string requestId) : IStreamRelay
    {
        public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
        {
            if (evt.IsDone)
            {
                translator.Finish(writer);
            }
            else if (!translator.Translate(evt.Data, writer))
            {
                translator.Error(writer, "api_error", "The upstream sent a stream event that could not be translated.", requestId);
            }

            return writer.FlushAsync(cancellationToken);
        }

        public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
        {
            translator.Finish(writer);
            return writer.FlushAsync(cancellationToken);
        }

        public async ValueTask WriteInterruptedAsync(PipeWriter writer, string message)
        {
            translator.Error(writer, "api_error", message, requestId);
            await writer.FlushAsync(CancellationToken.None);
        }
    }
}
