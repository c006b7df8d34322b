using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Writes a canonical reply as an Anthropic <c>Message</c>: text and refusal become text blocks, tool calls become
/// <c>tool_use</c> blocks with their ids preserved, the finish reason becomes <c>stop_reason</c>, and usage is
/// restated the Anthropic way (cache reads and writes outside <c>input_tokens</c>).
/// </summary>
public static class AnthropicResponseWriter
{
    /// <summary>Writes the message; false (nothing written) when a tool call's arguments are not a JSON object.</summary>
    public static bool TryWrite(CanonicalResponse response, CanonicalRequest request, string messageId, IBufferWriter<byte> output, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(response);
        ArgumentNullException.ThrowIfNull(request);
        problem = null;
        // Tool arguments must be JSON objects to become tool_use input; check all before writing anything.
        foreach (var call in response.ToolCalls)
        {
            if (!string.IsNullOrWhiteSpace(call.ArgumentsJson) && !ReplyJson.IsObject(call.ArgumentsJson))
            {
                problem = "The upstream model produced tool-call arguments that are not a JSON object.";
                return false;
            }
        }

        var (stopReason, stopSequence) = AnthropicWire.StopReason(response.Finish, response.MatchedStop, response.Refusal is not null);
        using var w = new Utf8JsonWriter(output, AnthropicWire.WriterOptions);
        w.WriteStartObject();
        w.WriteString("id"u8, messageId);
        w.WriteString("type"u8, "message"u8);
        w.WriteString("role"u8, "assistant"u8);
        w.WriteString("model"u8, response.Model ?? request.Model);
        w.WriteStartArray("content"u8);
        if (!string.IsNullOrEmpty(response.Text))
        {
            WriteTextBlock(w, response.Text);
        }

        if (!string.IsNullOrEmpty(response.Refusal))
        {
            WriteTextBlock(w, response.Refusal);
        }

        for (var i = 0; i < response.ToolCalls.Count; i++)
        {
            var call = response.ToolCalls[i];
            w.WriteStartObject();
            w.WriteString("type"u8, "tool_use"u8);
            w.WriteString("id"u8, call.Id is { Length: > 0 } id ? id : ToolId(messageId, i));
            w.WriteString("name"u8, call.Name);
            w.WritePropertyName("input"u8);
            w.WriteRawValue(string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson, skipInputValidation: true);
            WriteDirectCaller(w);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteString("stop_reason"u8, stopReason);
        if (stopSequence is null)
        {
            w.WriteNull("stop_sequence"u8);
        }
        else
        {
            w.WriteString("stop_sequence"u8, stopSequence);
        }

        w.WriteNull("stop_details"u8);
        w.WriteNull("container"u8);
        w.WriteNull("diagnostics"u8);
        AnthropicWire.WriteUsage(w, response.Usage ?? default);
        w.WriteEndObject();
        return true;
    }

    /// <summary>An id for a tool call the upstream sent without one (some OpenAI-style servers do).</summary>
    public static string ToolId(string messageId, int index) => $"toolu_{messageId}_{index}";

    internal static void WriteDirectCaller(Utf8JsonWriter w)
    {
        w.WriteStartObject("caller"u8);
        w.WriteString("type"u8, "direct"u8);
        w.WriteEndObject();
    }

    private static void WriteTextBlock(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        w.WriteString("text"u8, text);
        w.WriteNull("citations"u8);
        w.WriteEndObject();
    }
}
