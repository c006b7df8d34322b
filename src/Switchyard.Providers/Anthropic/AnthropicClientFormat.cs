using System.Buffers;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Clients;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Providers.Anthropic;

/// <summary>
/// The Anthropic client format (<c>/v1/messages</c>): errors as <c>{"type":"error","error":{…},"request_id":…}</c>
/// with Anthropic's status conventions (529 for an overloaded or unavailable upstream), bodies translated from the
/// canonical reply when the upstream spoke another format, and streams as Anthropic's named SSE events.
/// </summary>
public sealed class AnthropicClientFormat : IClientFormat
{
    public const string FormatName = "anthropic";

    /// <summary>The gate's own wording names the bearer header; Anthropic clients send <c>x-api-key</c>.</summary>
    private const string MissingKey = "x-api-key header is required (an Authorization: Bearer token is accepted too).";

    public string Name => FormatName;

    public ApiFormat Format => ApiFormat.Anthropic;

    public (CanonicalRequest? Request, Problem? Problem) Parse(ReadOnlyMemory<byte> body, Operation operation) =>
        AnthropicRequestParser.ParseMessages(body);

    /// <summary>A gateway 503 (no deployment available) is what Anthropic calls overloaded: 529.</summary>
    public ValueTask WriteErrorAsync(IResponseSink response, Problem problem, string requestId)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return WriteErrorAsync(response, problem.Status == 503 ? 529 : problem.Status, problem.Code == "missing_api_key" ? MissingKey : problem.Message, requestId,
            problem.RetryAfter, problem.ShouldRetry);
    }

    /// <summary>An Anthropic error response (also for the host's own surfaces: token counting, unhandled failures).</summary>
    public static ValueTask WriteErrorAsync(IResponseSink response, int status, string message, string? requestId, TimeSpan? retryAfter = null, bool shouldRetry = true)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(256 + message.Length);
        AnthropicWire.WriteError(buffer, AnthropicWire.ErrorType(status), message, requestId);
        return ClientResponses.WriteErrorAsync(response, status, retryAfter, shouldRetry, buffer.WrittenMemory);
    }

    /// <summary>Anthropic's conventions: an overloaded or unreachable upstream is 529, a timeout 504, other upstream failures 5xx api_error.</summary>
    public (int Status, string Code) ClientStatus(UpstreamResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            DispatchStatus.RateLimited => (429, "rate_limit_error"),
            DispatchStatus.Timeout => (504, "timeout_error"),
            DispatchStatus.ConnectFailed => (529, "overloaded_error"),
            DispatchStatus.UpstreamError when result.UpstreamStatusCode is 503 or 529 => (529, "overloaded_error"),
            DispatchStatus.Rejected => (result.UpstreamStatusCode is >= 400 and < 500 ? result.UpstreamStatusCode : 400, "invalid_request_error"),
            _ => (502, "api_error"),
        };
    }

    public async ValueTask<int> WriteBodyAsync(IResponseSink response, CanonicalRequest request, UpstreamResult result, ReplyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
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

        return await ClientResponses.WriteJsonAsync(response, body, cancellationToken);
    }

    public IStreamRelay StartStream(IResponseSink response, CanonicalRequest request, ReplyContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientResponses.StartEventStream(response);
        return context.Translated
            ? new AnthropicTranslatingRelay(new AnthropicStreamWriter(MessageId(context.RequestId), request.Model, context.EstimatedInputTokens), context.RequestId)
            : new AnthropicPassthroughRelay(context.RequestId);
    }

    /// <summary>The message id derives from the gateway's request id, so logs and ledger find it.</summary>
    public static string MessageId(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return requestId.StartsWith("req_", StringComparison.Ordinal) ? "msg_" + requestId[4..] : "msg_" + requestId;
    }
}
