using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;

namespace Switchyard.Providers.Anthropic;

/// <summary>Pieces of Anthropic's Messages wire format shared by the response writer, the stream translator and Egress.</summary>
public static class AnthropicWire
{
    /// <summary>Messages keep quotes and non-ASCII readable; the body is JSON, not HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The canonical finish reason → Anthropic <c>stop_reason</c> (and the matched sequence); a refusal is <c>refusal</c>.</summary>
    public static (string StopReason, string? StopSequence) StopReason(FinishReason finish, string? matchedStop, bool refused) => refused
        ? ("refusal", null)
        : finish switch
        {
            FinishReason.Length => ("max_tokens", null),
            FinishReason.ToolCalls => ("tool_use", null),
            FinishReason.ContentFilter => ("refusal", null),
            FinishReason.StopSequence when matchedStop is not null => ("stop_sequence", matchedStop),
            _ => ("end_turn", null),
        };

    /// <summary>
    /// Writes a Message <c>usage</c> object. Anthropic's <c>input_tokens</c> excludes cache reads (the total input is
    /// input + cache_creation + cache_read); OpenAI's <c>prompt_tokens</c> includes its cached tokens.
    /// </summary>
    public static void WriteUsage(Utf8JsonWriter w, Usage usage)
    {
        w.WriteStartObject("usage"u8);
        w.WriteNumber("input_tokens"u8, Math.Max(0, usage.InputTokens - usage.CachedInputTokens));
        w.WriteNumber("output_tokens"u8, usage.OutputTokens);
        w.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWriteTokens);
        w.WriteNumber("cache_read_input_tokens"u8, usage.CachedInputTokens);
        w.WriteNull("cache_creation"u8);
        w.WriteNull("inference_geo"u8);
        w.WriteNull("output_tokens_details"u8);
        w.WriteNull("server_tool_use"u8);
        w.WriteNull("service_tier"u8);
        w.WriteNull("speed"u8);
        w.WriteEndObject();
    }

    /// <summary>The Anthropic error type for an HTTP status.</summary>
    public static string ErrorType(int status) => status switch
    {
        401 => "authentication_error",
        402 => "billing_error",
        403 => "permission_error",
        404 => "not_found_error",
        413 => "request_too_large",
        429 => "rate_limit_error",
        504 => "timeout_error",
        529 => "overloaded_error",
        >= 500 => "api_error",
        _ => "invalid_request_error",
    };

    /// <summary><c>{"type":"error","error":{"type":…,"message":…},"request_id":…}</c>.</summary>
    public static void WriteError(IBufferWriter<byte> output, string type, string message, string? requestId)
    {
        using var w = new Utf8JsonWriter(output, WriterOptions);
        w.WriteStartObject();
        w.WriteString("type"u8, "error"u8);
        w.WriteStartObject("error"u8);
        w.WriteString("type"u8, type);
        w.WriteString("message"u8, message);
        w.WriteEndObject();
        if (requestId is null)
        {
            w.WriteNull("request_id"u8);
        }
        else
        {
            w.WriteString("request_id"u8, requestId);
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// <c>{"type":"error","error":{"type":…,"message":…}}</c>; the message is the upstream's own wording about the
    /// request. A 529 (Anthropic's "overloaded") maps like any 5xx: a failure another deployment may not have.
    /// </summary>
    public static UpstreamErrorBody ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new UpstreamErrorBody(ReplyJson.String(error, "message"u8), ReplyJson.String(error, "type"u8));
            }
        }
        catch (JsonException)
        {
        }

        return default;
    }
}
