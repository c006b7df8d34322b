using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Gemini;

/// <summary>
/// Writes a Gemini <c>generateContent</c> body from a canonical request: system and developer messages →
/// <c>systemInstruction</c>; turns → <c>contents</c> (assistant → <c>model</c>; tool results → <c>functionResponse</c>
/// parts of a user turn, named from the assistant's call with the same id); base64 images → <c>inlineData</c>;
/// tools → <c>functionDeclarations</c> with schemas converted by <see cref="GeminiSchema"/>; tool choice →
/// <c>toolConfig</c>; sampling, limits, stop sequences and structured output → <c>generationConfig</c>.
/// </summary>
public static class GeminiRequestWriter
{
    private const int MaxStopSequences = 5;

    /// <summary>The request features this format cannot carry; docs/translation.md lists the same.</summary>
    public static readonly IReadOnlyList<string> Refused =
        ["n with stream", "image URLs (not data: URLs)", "audio and file parts", "parallel_tool_calls false", "more than 5 stop sequences", "embeddings on Vertex AI", "non-object tool arguments", "unconvertible JSON Schema keywords"];

    /// <summary>What of <paramref name="request"/> cannot be written for Gemini, or null.</summary>
    public static string? CannotCarry(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const ApiFormat wire = ApiFormat.Gemini;
        if (request.Operation == Operation.Embeddings)
        {
            return Refusals.Field("input", "embeddings (Gemini on Vertex AI embeds through another API: use a gemini or OpenAI-style embeddings deployment)", wire);
        }

        if (Refusals.Untranslatable(request, wire) is { } field)
        {
            return field;
        }

        if (request.N is > 1 && request.Stream)
        {
            return Refusals.Field("n", "several choices (n > 1) in a stream", wire);
        }

        if (request.ParallelToolCalls == false && request.Tools.Count > 1)
        {
            return Refusals.Field(request.ClientFormat == ApiFormat.Anthropic ? "tool_choice.disable_parallel_tool_use" : "parallel_tool_calls",
                "turning parallel tool calls off (Gemini has no such switch)", wire);
        }

        if (request.Stop.Count > MaxStopSequences)
        {
            return Refusals.Field(request.ClientFormat == ApiFormat.Anthropic ? "stop_sequences" : "stop", $"more than {MaxStopSequences} stop sequences", wire);
        }

        if (Refusals.Content(request, wire, static part => DataUrl.TryParse(part.Url ?? "", out _, out _) ? null : "image URLs (Gemini takes images inline as base64; send a data: URL)") is { } content)
        {
            return content;
        }

        foreach (var tool in request.Tools)
        {
            if (tool.ParametersJson is { } parameters && GeminiSchema.Problem(parameters) is { } keyword)
            {
                return Refusals.Field("tools", $"the JSON Schema keyword '{keyword}' (in tool '{tool.Name}') has no Gemini form and", wire);
            }
        }

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, SchemaJson: { } schema } && GeminiSchema.Problem(schema) is { } schemaKeyword)
        {
            return Refusals.Field(request.ClientFormat == ApiFormat.Anthropic ? "output_config.format.schema" : "response_format",
                $"the JSON Schema keyword '{schemaKeyword}' has no Gemini form and", wire);
        }

        return null;
    }

    public static void Write(CanonicalRequest request, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var names = new Dictionary<string, string>(StringComparer.Ordinal);
        using var w = new Utf8JsonWriter(output, GeminiWire.WriterOptions);
        w.WriteStartObject();

        if (RequestWriterJson.HasSystemTurn(request.Messages))
        {
            w.WriteStartObject("systemInstruction"u8);
            w.WriteStartArray("parts"u8);
            foreach (var text in RequestWriterJson.SystemTexts(request.Messages))
            {
                w.WriteStartObject();
                w.WriteString("text"u8, text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        RequestWriterJson.WriteMergedTurns(w, "contents"u8, request.Messages, "model", "parts"u8, names, static (w, message, names) => WriteParts(w, message, names));

        if (request.Tools.Count > 0)
        {
            w.WriteStartArray("tools"u8);
            w.WriteStartObject();
            w.WriteStartArray("functionDeclarations"u8);
            foreach (var tool in request.Tools)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, tool.Name);
                if (tool.Description is { } description)
                {
                    w.WriteString("description"u8, description);
                }

                if (tool.ParametersJson is { } parameters && !IsEmptyObjectSchema(parameters))
                {
                    w.WritePropertyName("parameters"u8);
                    w.WriteRawValue(GeminiSchema.Convert(parameters), skipInputValidation: true);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndArray();
        }

        if (request.ToolChoice is { } choice)
        {
            w.WriteStartObject("toolConfig"u8);
            w.WriteStartObject("functionCallingConfig"u8);
            w.WriteString("mode"u8, choice.Mode switch
            {
                ToolChoiceMode.None => "NONE",
                ToolChoiceMode.Required or ToolChoiceMode.Named => "ANY",
                _ => "AUTO",
            });
            if (choice.Mode == ToolChoiceMode.Named)
            {
                w.WriteStartArray("allowedFunctionNames"u8);
                w.WriteStringValue(choice.Name);
                w.WriteEndArray();
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteStartObject("generationConfig"u8);
        RequestWriterJson.WriteSampling(w, request, "topP"u8, "topK"u8);

        if (request.MaxOutputTokens is { } max)
        {
            w.WriteNumber("maxOutputTokens"u8, max);
        }

        if (request.N is > 1 and var n)
        {
            w.WriteNumber("candidateCount"u8, n);
        }

        RequestWriterJson.WriteStop(w, request, "stopSequences"u8);

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema or ResponseFormatKind.JsonObject } format)
        {
            w.WriteString("responseMimeType"u8, "application/json"u8);
            if (format.SchemaJson is { } schema)
            {
                w.WritePropertyName("responseSchema"u8);
                w.WriteRawValue(GeminiSchema.Convert(schema), skipInputValidation: true);
            }
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteParts(Utf8JsonWriter w, ChatMessage message, Dictionary<string, string> names)
    {
        if (message.Role == ChatRole.Tool)
        {
            // Gemini names a function response by the function, not by a call id: the name comes from the earlier call.
            var text = string.Concat(message.Content.Select(p => p.Text));
            w.WriteStartObject();
            w.WriteStartObject("functionResponse"u8);
            w.WriteString("name"u8, names.TryGetValue(message.ToolCallId ?? "", out var name) ? name : message.Name ?? "");
            w.WritePropertyName("response"u8);
            if (!message.IsError && ReplyJson.IsObject(text))
            {
                w.WriteRawValue(text, skipInputValidation: true);
            }
            else
            {
                // Gemini's response is a JSON object: other results are wrapped as {"result": …} or, for errors, {"error": …}.
                w.WriteStartObject();
                w.WriteString(message.IsError ? "error"u8 : "result"u8, text);
                w.WriteEndObject();
            }

            w.WriteEndObject();
            w.WriteEndObject();
            return;
        }

        foreach (var part in message.Content)
        {
            if (part.Kind == ContentPartKind.Image && DataUrl.TryParse(part.Url ?? "", out var mediaType, out var data))
            {
                w.WriteStartObject();
                w.WriteStartObject("inlineData"u8);
                w.WriteString("mimeType"u8, mediaType);
                w.WriteString("data"u8, data);
                w.WriteEndObject();
                w.WriteEndObject();
            }
            else if (!string.IsNullOrEmpty(part.Text))
            {
                w.WriteStartObject();
                w.WriteString("text"u8, part.Text);
                w.WriteEndObject();
            }
        }

        foreach (var call in message.ToolCalls)
        {
            names[call.Id] = call.Name;
            w.WriteStartObject();
            w.WriteStartObject("functionCall"u8);
            w.WriteString("name"u8, call.Name);
            w.WritePropertyName("args"u8);
            w.WriteRawValue(string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson, skipInputValidation: true);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    /// <summary>A parameterless function's schema (<c>{"type":"object","properties":{}}</c>): Gemini wants no parameters then.</summary>
    private static bool IsEmptyObjectSchema(string schema)
    {
        using var document = JsonDocument.Parse(schema);
        var root = document.RootElement;
        return root.ValueKind == JsonValueKind.Object
            && (!root.TryGetProperty("properties"u8, out var properties) || (properties.ValueKind == JsonValueKind.Object && !properties.EnumerateObject().Any()));
    }
}
