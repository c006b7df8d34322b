using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Writes an OpenAI chat-completions body from a canonical request that arrived in another format (the
/// original bytes cannot be forwarded). One <see cref="Utf8JsonWriter"/> pass; JSON values the client sent
/// (tool schemas, tool arguments) are copied as raw text, never re-parsed into a tree.
/// </summary>
public static class OpenAIRequestWriter
{
    private static readonly JsonWriterOptions _options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Prefix of a tool result the client marked as an error; OpenAI tool messages have no error flag.</summary>
    public const string ToolErrorPrefix = "[tool error] ";

    /// <summary>Writes the body for <paramref name="upstreamModel"/>; streams ask for the final usage chunk unless <paramref name="streamUsage"/> is off for the provider.</summary>
    public static void Write(CanonicalRequest request, string upstreamModel, bool streamUsage, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var w = new Utf8JsonWriter(output, _options);
        w.WriteStartObject();
        w.WriteString("model"u8, upstreamModel);
        w.WriteStartArray("messages"u8);
        foreach (var message in request.Messages)
        {
            WriteMessage(w, message);
        }

        w.WriteEndArray();
        if (request.MaxOutputTokens is { } max)
        {
            // max_tokens rather than max_completion_tokens: every OpenAI-style server (vLLM, Ollama, llama.cpp, TGI) reads it.
            w.WriteNumber("max_tokens"u8, max);
        }

        RequestWriterJson.WriteSampling(w, request, "top_p"u8, "top_k"u8);
        RequestWriterJson.WriteStop(w, request, "stop"u8);

        if (request.User is { } user)
        {
            w.WriteString("user"u8, user);
        }

        if (request.Tools.Count > 0)
        {
            w.WriteStartArray("tools"u8);
            foreach (var tool in request.Tools)
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, tool.Name);
                if (tool.Description is { } description)
                {
                    w.WriteString("description"u8, description);
                }

                if (tool.ParametersJson is { } parameters)
                {
                    w.WritePropertyName("parameters"u8);
                    w.WriteRawValue(parameters, skipInputValidation: true);
                }

                if (tool.Strict is { } strict)
                {
                    w.WriteBoolean("strict"u8, strict);
                }

                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (request.ToolChoice is { } choice)
        {
            switch (choice.Mode)
            {
                case ToolChoiceMode.Auto:
                    w.WriteString("tool_choice"u8, "auto"u8);
                    break;
                case ToolChoiceMode.None:
                    w.WriteString("tool_choice"u8, "none"u8);
                    break;
                case ToolChoiceMode.Required:
                    w.WriteString("tool_choice"u8, "required"u8);
                    break;
                case ToolChoiceMode.Named:
                    w.WriteStartObject("tool_choice"u8);
                    w.WriteString("type"u8, "function"u8);
                    w.WriteStartObject("function"u8);
                    w.WriteString("name"u8, choice.Name);
                    w.WriteEndObject();
                    w.WriteEndObject();
                    break;
            }
        }

        if (request.ParallelToolCalls is { } parallel && request.Tools.Count > 0)
        {
            w.WriteBoolean("parallel_tool_calls"u8, parallel);
        }

        if (request.ResponseFormat is { } format)
        {
            w.WriteStartObject("response_format"u8);
            switch (format.Kind)
            {
                case ResponseFormatKind.JsonSchema:
                    w.WriteString("type"u8, "json_schema"u8);
                    w.WriteStartObject("json_schema"u8);
                    w.WriteString("name"u8, format.SchemaName ?? "output");
                    if (format.SchemaJson is { } schema)
                    {
                        w.WritePropertyName("schema"u8);
                        w.WriteRawValue(schema, skipInputValidation: true);
                    }

                    if (format.Strict is { } strict)
                    {
                        w.WriteBoolean("strict"u8, strict);
                    }

                    w.WriteEndObject();
                    break;
                case ResponseFormatKind.JsonObject:
                    w.WriteString("type"u8, "json_object"u8);
                    break;
                default:
                    w.WriteString("type"u8, "text"u8);
                    break;
            }

            w.WriteEndObject();
        }

        if (request.Stream)
        {
            w.WriteBoolean("stream"u8, true);
            if (streamUsage)
            {
                w.WriteStartObject("stream_options"u8);
                w.WriteBoolean("include_usage"u8, true);
                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
    }

    private static void WriteMessage(Utf8JsonWriter w, ChatMessage message)
    {
        w.WriteStartObject();
        switch (message.Role)
        {
            case ChatRole.System:
            case ChatRole.Developer:
                w.WriteString("role"u8, message.Role == ChatRole.System ? "system"u8 : "developer"u8);
                WriteTextContent(w, message.Content, null);
                break;
            case ChatRole.User:
                w.WriteString("role"u8, "user"u8);
                if (message.ContentIsString && message.Content is [{ Kind: ContentPartKind.Text } only])
                {
                    w.WriteString("content"u8, only.Text);
                }
                else
                {
                    w.WriteStartArray("content"u8);
                    foreach (var part in message.Content)
                    {
                        w.WriteStartObject();
                        if (part.Kind == ContentPartKind.Image)
                        {
                            w.WriteString("type"u8, "image_url"u8);
                            w.WriteStartObject("image_url"u8);
                            w.WriteString("url"u8, part.Url);
                            if (part.Detail is { } detail)
                            {
                                w.WriteString("detail"u8, detail);
                            }

                            w.WriteEndObject();
                        }
                        else
                        {
                            w.WriteString("type"u8, "text"u8);
                            w.WriteString("text"u8, part.Text);
                        }

                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                break;
            case ChatRole.Assistant:
                w.WriteString("role"u8, "assistant"u8);
                if (message.Content.Count == 0)
                {
                    w.WriteNull("content"u8);
                }
                else
                {
                    WriteTextContent(w, message.Content, null);
                }

                if (message.ToolCalls.Count > 0)
                {
                    w.WriteStartArray("tool_calls"u8);
                    foreach (var call in message.ToolCalls)
                    {
                        w.WriteStartObject();
                        w.WriteString("id"u8, call.Id);
                        w.WriteString("type"u8, "function"u8);
                        w.WriteStartObject("function"u8);
                        w.WriteString("name"u8, call.Name);
                        // OpenAI carries arguments as a JSON string holding the JSON text.
                        w.WriteString("arguments"u8, call.ArgumentsJson);
                        w.WriteEndObject();
                        w.WriteEndObject();
                    }

                    w.WriteEndArray();
                }

                break;
            case ChatRole.Tool:
                w.WriteString("role"u8, "tool"u8);
                w.WriteString("tool_call_id"u8, message.ToolCallId);
                WriteTextContent(w, message.Content, message.IsError ? ToolErrorPrefix : null);
                break;
        }

        w.WriteEndObject();
    }

    /// <summary>One text part as a string (the form every server reads); several as an array of text parts.</summary>
    private static void WriteTextContent(Utf8JsonWriter w, IReadOnlyList<ContentPart> parts, string? prefix)
    {
        if (parts.Count <= 1)
        {
            var text = parts.Count == 0 ? "" : parts[0].Text ?? "";
            w.WriteString("content"u8, prefix is null ? text : prefix + text);
            return;
        }

        w.WriteStartArray("content"u8);
        for (var i = 0; i < parts.Count; i++)
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "text"u8);
            w.WriteString("text"u8, i == 0 && prefix is not null ? prefix + parts[0].Text : parts[i].Text);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }
}
