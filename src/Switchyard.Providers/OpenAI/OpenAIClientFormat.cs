using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Clients;
namespace Switchyard.Providers.OpenAI;

/// <summary>
/// The OpenAI client format (<c>/v1/chat/completions</c>, <c>/v1/embeddings</c>): bodies and events are the upstream's
/// own bytes when it spoke OpenAI, else written from the canonical reply; errors are OpenAI's
/// <c>{"error":{"message","type","param","code"}}</c>, never a stack trace or an upstream body.
/// </summary>
public sealed class OpenAIClientFormat : IClientFormat
{
    public const string FormatName = "openai";

    /// <summary>Messages keep quotes and non-ASCII readable; the body is JSON, not HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Name => FormatName;

    public ApiFormat Format => ApiFormat.OpenAI;

    public (CanonicalRequest? Request, Problem? Problem) Parse(ReadOnlyMemory<byte> body, Operation operation) =>
        operation == Operation.Embeddings ? OpenAIRequestParser.ParseEmbeddings(body) : OpenAIRequestParser.ParseChat(body);

    public ValueTask WriteErrorAsync(IResponseSink response, Problem problem, string requestId)
    {
        ArgumentNullException.ThrowIfNull(problem);
        return WriteErrorAsync(response, problem.Status, problem.Message, problem.Param, problem.Code, problem.RetryAfter, problem.ShouldRetry);
    }

    /// <summary>An OpenAI error response (also for the host's own surfaces: the model list, unhandled failures).</summary>
    public static ValueTask WriteErrorAsync(IResponseSink response, int status, string message, string? param, string? code, TimeSpan? retryAfter = null, bool shouldRetry = true)
    {
        ArgumentNullException.ThrowIfNull(message);
        var buffer = new ArrayBufferWriter<byte>(256 + message.Length);
        WriteEnvelope(buffer, message, ErrorType(status), param, code);
        return ClientResponses.WriteErrorAsync(response, status, retryAfter, shouldRetry, buffer.WrittenMemory);
    }

    public static string ErrorType(int status) => status switch
    {
        401 => "authentication_error",
        403 => "permission_error",
        404 => "invalid_request_error",
        413 => "invalid_request_error",
        429 => "rate_limit_error",
        >= 500 => "server_error",
        _ => "invalid_request_error",
    };

    /// <summary><c>{"error":{"message","type","param","code"}}</c>, the body of an error response and of a stream's error event.</summary>
    internal static void WriteEnvelope(IBufferWriter<byte> output, string message, string type, string? param, string? code)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteString("type", type);
        WriteNullable(w, "param", param);
        WriteNullable(w, "code", code);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public (int Status, string Code) ClientStatus(UpstreamResult result) => ClientResponses.GatewayStatus(result);

    public ValueTask<int> WriteBodyAsync(IResponseSink response, CanonicalRequest request, UpstreamResult result, ReplyContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var body = result.Body;
        if (result.Response is { } canonical)
        {
            var buffer = new ArrayBufferWriter<byte>(canonical.Text.Length + 512);
            OpenAIReplyWriter.Write(canonical, CompletionId(context.RequestId), context.CreatedUnixSeconds, request.Model, buffer);
            body = buffer.WrittenMemory;
        }

        return ClientResponses.WriteJsonAsync(response, body, cancellationToken);
    }

    public IStreamRelay StartStream(IResponseSink response, CanonicalRequest request, ReplyContext context)
    {
        ArgumentNullException.ThrowIfNull(request);
        ClientResponses.StartEventStream(response);
        return OpenAIStreamRelay.For(request.IncludeUsage, context.Translated
            ? new OpenAIChunkWriter(CompletionId(context.RequestId), context.CreatedUnixSeconds, request.Model, request.IncludeUsage)
            : null);
    }

    /// <summary>The completion id of a reply the gateway writes itself derives from the request id, so logs and ledger find it.</summary>
    public static string CompletionId(string requestId)
    {
        ArgumentNullException.ThrowIfNull(requestId);
        return requestId.StartsWith("req_", StringComparison.Ordinal) ? "chatcmpl-" + requestId[4..] : "chatcmpl-" + requestId;
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null)
        {
            w.WriteNull(name);
        }
        else
        {
            w.WriteString(name, value);
        }
    }
}
