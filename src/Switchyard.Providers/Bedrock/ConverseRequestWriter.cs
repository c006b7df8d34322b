using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Bedrock;

/// <summary>
/// Writes a Bedrock <c>Converse</c>/<c>ConverseStream</c> body from a canonical request: system and developer messages
/// → <c>system</c>; turns → <c>messages</c> (consecutive turns of one role merged, tool results as <c>toolResult</c>
/// blocks of a user turn); base64 images → <c>image</c> blocks; tools → <c>toolConfig</c>; sampling, limit and stop
/// sequences → <c>inferenceConfig</c>; <c>top_k</c> → <c>additionalModelRequestFields</c>; a JSON schema →
/// <c>outputConfig.textFormat</c>; the provider's guardrail → <c>guardrailConfig</c>.
/// </summary>
public static class ConverseRequestWriter
{
    private static readonly string[] _imageFormats = ["png", "jpeg", "gif", "webp"];

    /// <summary>The request features Converse cannot carry; docs/translation.md lists the same.</summary>
    public static readonly IReadOnlyList<string> Refused =
        ["n with stream", "image URLs (not data: URLs)", "image types other than png, jpeg, gif, webp", "audio and file parts", "tool_choice none", "parallel_tool_calls false",
         "response_format json_object", "embeddings", "non-object tool arguments"];

    /// <summary>What of <paramref name="request"/> cannot be written for Converse, or null.</summary>
    public static string? CannotCarry(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        const ApiFormat wire = ApiFormat.Bedrock;
        var anthropic = request.ClientFormat == ApiFormat.Anthropic;
        if (request.Operation == Operation.Embeddings)
        {
            return Refusals.Field("input", "embeddings (Converse has none: use an OpenAI-style embeddings deployment)", wire);
        }

        if (Refusals.Untranslatable(request, wire) is { } field)
        {
            return field;
        }

        if (request.N is > 1 && request.Stream)
        {
            // Without a stream, n > 1 is served by n calls whose replies are merged (HttpProviderAdapter.FansOutChoices).
            return Refusals.Field("n", "several choices (n > 1) in a stream", wire);
        }

        if (request.ToolChoice is { Mode: ToolChoiceMode.None } && request.Tools.Count > 0)
        {
            return Refusals.Field("tool_choice", "tool_choice none (Converse has no such choice: leave the tools out)", wire);
        }

        if (request.ParallelToolCalls == false && request.Tools.Count > 1)
        {
            return Refusals.Field(anthropic ? "tool_choice.disable_parallel_tool_use" : "parallel_tool_calls", "turning parallel tool calls off (Converse has no such switch)", wire);
        }

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonObject })
        {
            return Refusals.Field("response_format", "json_object (Converse's structured output needs a json_schema)", wire);
        }

        return Refusals.Content(request, wire, static part =>
            !DataUrl.TryParse(part.Url ?? "", out var mediaType, out _) ? "image URLs (Converse takes images inline as base64; send a data: URL)"
            : ImageFormat(mediaType) is null ? $"the image type '{mediaType}' (Converse takes png, jpeg, gif, webp)"
            : null);
    }

    /// <summary>Writes the body; <paramref name="guardrail"/> is the provider's guardrail (identifier, version), if any.</summary>
    public static void Write(CanonicalRequest request, (string Id, string Version)? guardrail, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var w = new Utf8JsonWriter(output, BedrockWire.WriterOptions);
        w.WriteStartObject();
        RequestWriterJson.WriteMergedTurns(w, "messages"u8, request.Messages, "assistant", "content"u8, 0, static (w, message, _) => WriteBlocks(w, message));

        if (RequestWriterJson.HasSystemTurn(request.Messages))
        {
            w.WriteStartArray("system"u8);
            foreach (var text in RequestWriterJson.SystemTexts(request.Messages))
            {
                w.WriteStartObject();
                w.WriteString("text"u8, text);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (request.MaxOutputTokens is not null || request.Temperature is not null || request.TopP is not null || request.Stop.Count > 0)
        {
            w.WriteStartObject("inferenceConfig"u8);
            if (request.MaxOutputTokens is { } max)
            {
                w.WriteNumber("maxTokens"u8, max);
            }

            if (request.Temperature is { } temperature)
            {
                w.WriteNumber("temperature"u8, temperature);
            }

            if (request.TopP is { } topP)
            {
                w.WriteNumber("topP"u8, topP);
            }

            RequestWriterJson.WriteStop(w, request, "stopSequences"u8);
            w.WriteEndObject();
        }

        if (request.Tools.Count > 0)
        {
            WriteTools(w, request);
        }

        if (request.TopK is { } topK)
        {
            // Converse has no top-k; the models that have one (Claude, Llama, Mistral) read it from the model's own fields.
            w.WriteStartObject("additionalModelRequestFields"u8);
            w.WriteNumber("top_k"u8, topK);
            w.WriteEndObject();
        }

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, SchemaJson: { } schema } format)
        {
            w.WriteStartObject("outputConfig"u8);
            w.WriteStartObject("textFormat"u8);
            w.WriteString("type"u8, "json_schema"u8);
            w.WriteStartObject("structure"u8);
            w.WriteStartObject("jsonSchema"u8);
            // Converse takes the schema as a JSON string, not an object.
            w.WriteString("schema"u8, schema);
            if (format.SchemaName is { } name)
            {
                w.WriteString("name"u8, name);
            }

            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (guardrail is { } g)
        {
            w.WriteStartObject("guardrailConfig"u8);
            w.WriteString("guardrailIdentifier"u8, g.Id);
            w.WriteString("guardrailVersion"u8, g.Version);
            w.WriteString("trace"u8, "enabled"u8);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTools(Utf8JsonWriter w, CanonicalRequest request)
    {
        w.WriteStartObject("toolConfig"u8);
        w.WriteStartArray("tools"u8);
        foreach (var tool in request.Tools)
        {
            w.WriteStartObject();
            w.WriteStartObject("toolSpec"u8);
            w.WriteString("name"u8, tool.Name);
            if (tool.Description is { } description)
            {
                w.WriteString("description"u8, description);
            }

            w.WriteStartObject("inputSchema"u8);
            w.WritePropertyName("json"u8);
            w.WriteRawValue(tool.ParametersJson ?? """{"type":"object","properties":{}}""", skipInputValidation: true);
            w.WriteEndObject();
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (request.ToolChoice is { Mode: not ToolChoiceMode.None } choice)
        {
            w.WriteStartObject("toolChoice"u8);
            switch (choice.Mode)
            {
                case ToolChoiceMode.Required:
                    w.WriteStartObject("any"u8);
                    w.WriteEndObject();
                    break;
                case ToolChoiceMode.Named:
                    w.WriteStartObject("tool"u8);
                    w.WriteString("name"u8, choice.Name);
                    w.WriteEndObject();
                    break;
                default:
                    w.WriteStartObject("auto"u8);
                    w.WriteEndObject();
                    break;
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteBlocks(Utf8JsonWriter w, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            var text = string.Concat(message.Content.Select(p => p.Text));
            w.WriteStartObject();
            w.WriteStartObject("toolResult"u8);
            w.WriteString("toolUseId"u8, message.ToolCallId);
            w.WriteStartArray("content"u8);
            w.WriteStartObject();
            if (ReplyJson.IsObject(text))
            {
                w.WritePropertyName("json"u8);
                w.WriteRawValue(text, skipInputValidation: true);
            }
            else
            {
                w.WriteString("text"u8, text);
            }

            w.WriteEndObject();
            w.WriteEndArray();
            if (message.IsError)
            {
                w.WriteString("status"u8, "error"u8);
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
                w.WriteStartObject("image"u8);
                w.WriteString("format"u8, ImageFormat(mediaType));
                w.WriteStartObject("source"u8);
                w.WriteString("bytes"u8, data);
                w.WriteEndObject();
                w.WriteEndObject();
                w.WriteEndObject();
            }
            else if (!string.IsNullOrEmpty(part.Text))
            {
                // Converse rejects blank text blocks, as Anthropic does.
                w.WriteStartObject();
                w.WriteString("text"u8, part.Text);
                w.WriteEndObject();
            }
        }

        foreach (var call in message.ToolCalls)
        {
            w.WriteStartObject();
            w.WriteStartObject("toolUse"u8);
            w.WriteString("toolUseId"u8, call.Id);
            w.WriteString("name"u8, call.Name);
            w.WritePropertyName("input"u8);
            w.WriteRawValue(string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson, skipInputValidation: true);
            w.WriteEndObject();
            w.WriteEndObject();
        }
    }

    /// <summary><c>image/png</c> → <c>png</c>, for the four types Converse takes; null otherwise.</summary>
    private static string? ImageFormat(string mediaType)
    {
        var subtype = mediaType.StartsWith("image/", StringComparison.OrdinalIgnoreCase) ? mediaType[6..].ToLowerInvariant() : "";
        subtype = subtype == "jpg" ? "jpeg" : subtype;
        return _imageFormats.Contains(subtype) ? subtype : null;
    }
}
