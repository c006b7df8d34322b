using System.Buffers;
using System.Text.Json;
using Switchyard.Canonical;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Translates a complete OpenAI chat completion into an Anthropic <c>Message</c>: text and refusal become text
/// blocks, tool calls become <c>tool_use</c> blocks with their ids preserved, <c>finish_reason</c> becomes
/// <c>stop_reason</c>, and usage is restated the Anthropic way (cache reads outside <c>input_tokens</c>).
/// </summary>
public static class AnthropicResponseWriter
{
    /// <summary>Writes the message; false (nothing written) when the body is not a translatable completion.</summary>
    public static bool TryWrite(ReadOnlyMemory<byte> openAIBody, CanonicalRequest request, string messageId, IBufferWriter<byte> output, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(request);
        problem = null;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(openAIBody);
        }
        catch (JsonException)
        {
            problem = "The upstream answered with a body that is not JSON.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                problem = "The upstream answered without a choice.";
                return false;
            }

            var choice = choices[0];
            if (!choice.TryGetProperty("message"u8, out var message) || message.ValueKind != JsonValueKind.Object)
            {
                problem = "The upstream's choice has no message.";
                return false;
            }

            // Tool arguments must be JSON objects to become tool_use input; check all before writing anything.
            var toolCalls = message.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array ? calls : default;
            if (toolCalls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    var arguments = call.TryGetProperty("function"u8, out var f) ? AnthropicWire.String(f, "arguments"u8) : null;
                    if (!string.IsNullOrWhiteSpace(arguments) && !IsJsonObject(arguments))
                    {
                        problem = "The upstream model produced tool-call arguments that are not a JSON object.";
                        return false;
                    }
                }
            }

            var usage = root.TryGetProperty("usage"u8, out var u) && u.ValueKind == JsonValueKind.Object ? AnthropicWire.ReadOpenAIUsage(u) : default;
            var text = AnthropicWire.String(message, "content"u8);
            var refusal = AnthropicWire.String(message, "refusal"u8);
            var (stopReason, stopSequence) = AnthropicWire.MapFinish(AnthropicWire.String(choice, "finish_reason"u8), AnthropicWire.String(choice, "stop_reason"u8),
                request.Stop, refusal is not null);

            using var w = new Utf8JsonWriter(output, AnthropicWire.WriterOptions);
            w.WriteStartObject();
            w.WriteString("id"u8, messageId);
            w.WriteString("type"u8, "message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("model"u8, AnthropicWire.String(root, "model"u8) ?? request.Model);
            w.WriteStartArray("content"u8);
            if (!string.IsNullOrEmpty(text))
            {
                WriteTextBlock(w, text);
            }

            if (!string.IsNullOrEmpty(refusal))
            {
                WriteTextBlock(w, refusal);
            }

            if (toolCalls.ValueKind == JsonValueKind.Array)
            {
                var i = 0;
                foreach (var call in toolCalls.EnumerateArray())
                {
                    call.TryGetProperty("function"u8, out var function);
                    var arguments = function.ValueKind == JsonValueKind.Object ? AnthropicWire.String(function, "arguments"u8) : null;
                    w.WriteStartObject();
                    w.WriteString("type"u8, "tool_use"u8);
                    w.WriteString("id"u8, AnthropicWire.String(call, "id"u8) is { Length: > 0 } id ? id : ToolId(messageId, i));
                    w.WriteString("name"u8, function.ValueKind == JsonValueKind.Object ? AnthropicWire.String(function, "name"u8) ?? "" : "");
                    w.WritePropertyName("input"u8);
                    w.WriteRawValue(string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments, skipInputValidation: true);
                    WriteDirectCaller(w);
                    w.WriteEndObject();
                    i++;
                }
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
            AnthropicWire.WriteUsage(w, usage);
            w.WriteEndObject();
        }

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

    private static bool IsJsonObject(string json)
    {
        try
        {
            var reader = new Utf8JsonReader(System.Text.Encoding.UTF8.GetBytes(json));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            reader.Skip();
            return !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
