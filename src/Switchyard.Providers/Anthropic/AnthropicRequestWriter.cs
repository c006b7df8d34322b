using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Writes an Anthropic Messages body from a canonical request of another client format, and forwards an
/// Anthropic-format body as its own bytes (model rewritten, <c>max_tokens</c> added when absent). One
/// <see cref="Utf8JsonWriter"/> pass; JSON the client sent (schemas, tool arguments) is copied as raw text.
/// </summary>
public static class AnthropicRequestWriter
{
    /// <summary>Used when neither the request nor the model's configuration gives a maximum: Anthropic requires one.</summary>
    public const int DefaultMaxTokens = 4096;

    /// <summary>The request fields (by their OpenAI names) this format cannot carry; docs/translation.md lists the same.</summary>
    public static readonly IReadOnlyList<string> Refused = ["n with stream", "temperature above 1", "response_format json_object", "audio and file parts", "non-object tool arguments"];

    /// <summary>What of <paramref name="request"/> cannot be written for an Anthropic upstream, or null.</summary>
    public static string? CannotCarry(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ClientFormat == ApiFormat.Anthropic)
        {
            return null;
        }

        if (request.Operation == Operation.Embeddings)
        {
            return Refusals.Field("input", "embeddings (Anthropic has no embeddings API)", ApiFormat.Anthropic);
        }

        if (Refusals.Untranslatable(request, ApiFormat.Anthropic) is { } field)
        {
            return field;
        }

        if (request.N is > 1 && request.Stream)
        {
            // Without a stream, n > 1 is served by n calls whose replies are merged (HttpProviderAdapter.FansOutChoices).
            return Refusals.Field("n", "several choices (n > 1) in a stream", ApiFormat.Anthropic);
        }

        if (request.Temperature is > 1)
        {
            return Refusals.Field("temperature", "a temperature above 1 (Anthropic's range is 0–1)", ApiFormat.Anthropic);
        }

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonObject })
        {
            return Refusals.Field("response_format", "json_object (Anthropic's structured output needs a json_schema)", ApiFormat.Anthropic);
        }

        return Refusals.Content(request, ApiFormat.Anthropic);
    }

    /// <summary>Forwards an Anthropic client's body: only the model changes, and <c>max_tokens</c> is added when the client left it out.</summary>
    public static void Forward(CanonicalRequest request, string upstreamModel, int maxTokens, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var maxTokensMember = request.MaxOutputTokens is null
            ? System.Text.Encoding.UTF8.GetBytes("\"max_tokens\":" + maxTokens.ToString(System.Globalization.CultureInfo.InvariantCulture) + ",")
            : default;
        ModelSplice.Write(request.RawBody.Span, upstreamModel, maxTokensMember, output);
    }

    /// <summary>Writes the Messages body for a request of another client format (which <see cref="CannotCarry"/> accepted).</summary>
    public static void Write(CanonicalRequest request, string upstreamModel, int maxTokens, IBufferWriter<byte> output) =>
        Write(request, upstreamModel, null, maxTokens, output);

    /// <summary>
    /// Writes the Messages body for a request of another client format; for Anthropic on Vertex AI the model is left
    /// out (<paramref name="upstreamModel"/> null: it is in the URL) and <paramref name="anthropicVersion"/> is written.
    /// </summary>
    public static void Write(CanonicalRequest request, string? upstreamModel, string? anthropicVersion, int maxTokens, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var w = new Utf8JsonWriter(output, AnthropicWire.WriterOptions);
        w.WriteStartObject();
        if (anthropicVersion is not null)
        {
            w.WriteString("anthropic_version"u8, anthropicVersion);
        }

        if (upstreamModel is not null)
        {
            w.WriteString("model"u8, upstreamModel);
        }

        w.WriteNumber("max_tokens"u8, maxTokens);

        // System and developer messages, wherever they stand, become the system prompt (Anthropic has no system turns).
        if (RequestWriterJson.HasSystemTurn(request.Messages))
        {
            w.WriteStartArray("system"u8);
            foreach (var text in RequestWriterJson.SystemTexts(request.Messages))
            {
                WriteText(w, text);
            }

            w.WriteEndArray();
        }

        RequestWriterJson.WriteMergedTurns(w, "messages"u8, request.Messages, "assistant", "content"u8, 0, static (w, message, _) => WriteBlocks(w, message));
        RequestWriterJson.WriteStop(w, request, "stop_sequences"u8);
        RequestWriterJson.WriteSampling(w, request, "top_p"u8, "top_k"u8);

        if (request.User is { } user)
        {
            w.WriteStartObject("metadata"u8);
            w.WriteString("user_id"u8, user);
            w.WriteEndObject();
        }

        if (request.Tools.Count > 0)
        {
            w.WriteStartArray("tools"u8);
            foreach (var tool in request.Tools)
            {
                w.WriteStartObject();
                w.WriteString("name"u8, tool.Name);
                if (tool.Description is { } description)
                {
                    w.WriteString("description"u8, description);
                }

                w.WritePropertyName("input_schema"u8);
                w.WriteRawValue(tool.ParametersJson ?? """{"type":"object","properties":{}}""", skipInputValidation: true);
                if (tool.Strict is { } strict)
                {
                    w.WriteBoolean("strict"u8, strict);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        var noParallel = request.ParallelToolCalls == false && request.Tools.Count > 0;
        if (request.ToolChoice is not null || noParallel)
        {
            var choice = request.ToolChoice ?? new ToolChoice(ToolChoiceMode.Auto);
            w.WriteStartObject("tool_choice"u8);
            w.WriteString("type"u8, choice.Mode switch
            {
                ToolChoiceMode.Required => "any",
                ToolChoiceMode.None => "none",
                ToolChoiceMode.Named => "tool",
                _ => "auto",
            });
            if (choice.Mode == ToolChoiceMode.Named)
            {
                w.WriteString("name"u8, choice.Name);
            }

            if (noParallel && choice.Mode != ToolChoiceMode.None)
            {
                w.WriteBoolean("disable_parallel_tool_use"u8, true);
            }

            w.WriteEndObject();
        }

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema, SchemaJson: { } schema })
        {
            // Anthropic's native structured output: the reply's text is the JSON document, as OpenAI clients expect in content.
            w.WriteStartObject("output_config"u8);
            w.WriteStartObject("format"u8);
            w.WriteString("type"u8, "json_schema"u8);
            w.WritePropertyName("schema"u8);
            w.WriteRawValue(schema, skipInputValidation: true);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        if (request.Stream)
        {
            w.WriteBoolean("stream"u8, true);
        }

        w.WriteEndObject();
    }

    private static void WriteBlocks(Utf8JsonWriter w, ChatMessage message)
    {
        if (message.Role == ChatRole.Tool)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "tool_result"u8);
            w.WriteString("tool_use_id"u8, message.ToolCallId);
            w.WriteStartArray("content"u8);
            foreach (var part in message.Content)
            {
                WriteText(w, part.Text ?? "");
            }

            w.WriteEndArray();
            if (message.IsError)
            {
                w.WriteBoolean("is_error"u8, true);
            }

            w.WriteEndObject();
            return;
        }

        foreach (var part in message.Content)
        {
            if (part.Kind == ContentPartKind.Image)
            {
                WriteImage(w, part.Url ?? "");
            }
            else if (!string.IsNullOrEmpty(part.Text))
            {
                // Anthropic rejects empty text blocks; an empty part carries nothing.
                WriteText(w, part.Text);
            }
        }

        foreach (var call in message.ToolCalls)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "tool_use"u8);
            w.WriteString("id"u8, call.Id);
            w.WriteString("name"u8, call.Name);
            w.WritePropertyName("input"u8);
            w.WriteRawValue(string.IsNullOrWhiteSpace(call.ArgumentsJson) ? "{}" : call.ArgumentsJson, skipInputValidation: true);
            w.WriteEndObject();
        }
    }

    private static void WriteText(Utf8JsonWriter w, string text)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "text"u8);
        w.WriteString("text"u8, text);
        w.WriteEndObject();
    }

    /// <summary><c>data:</c> URLs become base64 sources, other URLs URL sources.</summary>
    private static void WriteImage(Utf8JsonWriter w, string url)
    {
        w.WriteStartObject();
        w.WriteString("type"u8, "image"u8);
        w.WriteStartObject("source"u8);
        if (DataUrl.TryParse(url, out var mediaType, out var data))
        {
            w.WriteString("type"u8, "base64"u8);
            w.WriteString("media_type"u8, mediaType);
            w.WriteString("data"u8, data);
        }
        else
        {
            w.WriteString("type"u8, "url"u8);
            w.WriteString("url"u8, url);
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
