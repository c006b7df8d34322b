using System.Buffers;
using System.IO.Pipelines;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
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
            ClientEgress.SetRetryAfter(response, wait);
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

    public override async ValueTask<int> WriteBodyAsync(HttpResponse response, CanonicalRequest request, UpstreamResult result, ReplyContext context, CancellationToken cancellationToken)
    {
        var body = result.Body;
        if (result.Response is { } canonical)
        {
            var buffer = new ArrayBufferWriter<byte>(canonical.Text.Length + 512);
            if (!AnthropicResponseWriter.TryWrite(canonical, request, MessageId(context.RequestId), buffer, out var problem))
            {
                await WriteErrorAsync(response, 502, problem ?? "The upstream response could not be translated.", context.RequestId);
                return 502;
            }

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
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["x-accel-buffering"] = "no";
        return context.Translated
            ? new Relay(new AnthropicStreamWriter(MessageId(context.RequestId), request.Model, context.EstimatedInputTokens), context.RequestId)
            : new PassthroughRelay(context.RequestId);
    }

    /// <summary>The message id derives from the gateway's request id, so logs and ledger find it.</summary>
    internal static string MessageId(string requestId) => requestId.StartsWith("req_", StringComparison.Ordinal) ? "msg_" + requestId[4..] : "msg_" + requestId;

    /// <summary>Canonical deltas written as Anthropic events.</summary>
    private sealed class Relay(AnthropicStreamWriter events, string requestId) : IStreamRelay
    {
        public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
        {
            if (evt.Deltas is { } deltas)
            {
                foreach (var delta in deltas)
                {
                    events.Write(delta, writer);
                }
            }

            if (evt.IsDone)
            {
                events.Finish(writer);
            }

            return writer.FlushAsync(cancellationToken);
        }

        public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
        {
            events.Finish(writer);
            return writer.FlushAsync(cancellationToken);
        }

        public async ValueTask WriteInterruptedAsync(PipeWriter writer, string message)
        {
            events.Error(writer, "api_error", message, requestId);
            await writer.FlushAsync(CancellationToken.None);
        }
    }

    /// <summary>An Anthropic upstream's own events, relayed as their bytes (event name and data), each flushed.</summary>
    private sealed class PassthroughRelay(string requestId) : IStreamRelay
    {
        private bool _ended;

        public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
        {
            if (!evt.EventName.IsEmpty)
            {
                writer.Write("event: "u8);
                writer.Write(evt.EventName.Span);
                writer.Write("\n"u8);
            }

            writer.Write("data: "u8);
            writer.Write(evt.Data.Span);
            writer.Write("\n\n"u8);
            _ended |= evt.IsDone;
            return writer.FlushAsync(cancellationToken);
        }

        /// <summary>The upstream ended cleanly after its last content without <c>message_stop</c>: nothing to add but the stop.</summary>
        public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
        {
            if (_ended)
            {
                return default;
            }

            _ended = true;
            writer.Write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);
            return writer.FlushAsync(cancellationToken);
        }

        public async ValueTask WriteInterruptedAsync(PipeWriter writer, string message)
        {
            writer.Write("event: error\ndata: "u8);
            AnthropicWire.WriteError(writer, "api_error", message, requestId);
            writer.Write("\n\n"u8);
            await writer.FlushAsync(CancellationToken.None);
        }
    }
}
