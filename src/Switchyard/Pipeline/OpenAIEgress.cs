using System.Buffers;
using System.IO.Pipelines;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
namespace Switchyard.Pipeline;

/// <summary>
/// Egress for OpenAI-format clients: bodies, SSE events and error objects exactly as OpenAI writes them.
/// Errors carry a status, a type, the offending <c>param</c> and a code; never a stack trace or an upstream body.
/// </summary>
internal static class OpenAIEgress
{
    /// <summary>Messages keep quotes and non-ASCII readable; the body is JSON, not HTML.</summary>
    internal static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static readonly byte[] _dataPrefix = "data: "u8.ToArray();
    private static readonly byte[] _eventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] _done = "data: [DONE]\n\n"u8.ToArray();

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

    public static async Task WriteErrorAsync(HttpResponse response, int status, string message, string? param, string? code, TimeSpan? retryAfter = null)
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
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", ErrorType(status));
            WriteNullable(w, "param", param);
            WriteNullable(w, "code", code);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        response.ContentLength = buffer.WrittenCount;
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }

    public static void StartStream(HttpResponse response)
    {
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.Headers.CacheControl = "no-cache";
        response.Headers["x-accel-buffering"] = "no";
    }

    /// <summary>Writes one event and flushes it, so the client sees each token as it arrives.</summary>
    public static ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, in StreamEvent evt, CancellationToken cancellationToken)
    {
        if (evt.IsDone)
        {
            writer.Write(_done);
        }
        else
        {
            var data = evt.Data.Span;
            var span = writer.GetSpan(data.Length + 8);
            _dataPrefix.CopyTo(span);
            data.CopyTo(span[6..]);
            _eventEnd.CopyTo(span[(6 + data.Length)..]);
            writer.Advance(data.Length + 8);
        }

        return writer.FlushAsync(cancellationToken);
    }

    public static ValueTask<FlushResult> WriteDoneAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        writer.Write(_done);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>A stream that broke after bytes reached the client can only end with an error event (SDKs raise it).</summary>
    public static async ValueTask WriteStreamErrorAsync(PipeWriter writer, string message, string code)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteStartObject("error");
            w.WriteString("message", message);
            w.WriteString("type", "server_error");
            w.WriteNull("param");
            w.WriteString("code", code);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        await WriteEventAsync(writer, new StreamEvent(buffer.WrittenMemory, false, false, 0), CancellationToken.None);
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
