using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Canonical;

namespace Switchyard.Providers.Anthropic;

/// <summary>Pieces of Anthropic's Messages wire format shared by the response writer, the stream translator and Egress.</summary>
public static class AnthropicWire
{
    /// <summary>Messages keep quotes and non-ASCII readable; the body is JSON, not HTML.</summary>
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// OpenAI <c>finish_reason</c> → Anthropic <c>stop_reason</c>. A plain <c>stop</c> becomes <c>stop_sequence</c> only
    /// when the upstream names the matched sequence (vLLM's <c>stop_reason</c>) and it is one the client sent.
    /// </summary>
    public static (string StopReason, string? StopSequence) MapFinish(string? finishReason, string? matchedStop, IReadOnlyList<string> clientStops, bool refused)
    {
        if (refused)
        {
            return ("refusal", null);
        }

        switch (finishReason)
        {
            case "length":
                return ("max_tokens", null);
            case "tool_calls" or "function_call":
                return ("tool_use", null);
            case "content_filter":
                return ("refusal", null);
            case "stop" when matchedStop is not null && Contains(clientStops, matchedStop):
                return ("stop_sequence", matchedStop);
            default:
                return ("end_turn", null);
        }
    }

    private static bool Contains(IReadOnlyList<string> list, string value)
    {
        foreach (var item in list)
        {
            if (string.Equals(item, value, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

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

    /// <summary>Reads OpenAI's <c>usage</c> object (prompt, completion, cached prompt tokens).</summary>
    internal static Usage ReadOpenAIUsage(JsonElement usage)
    {
        var prompt = Int(usage, "prompt_tokens");
        var completion = Int(usage, "completion_tokens");
        var cached = usage.TryGetProperty("prompt_tokens_details"u8, out var details) && details.ValueKind == JsonValueKind.Object ? Int(details, "cached_tokens") : 0;
        return new Usage(prompt, completion, cached);
    }

    private static int Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var n) ? n : 0;

    internal static string? String(JsonElement element, ReadOnlySpan<byte> name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
