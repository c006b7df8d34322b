using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.OpenAI.OpenAIFieldReader;

namespace Switchyard.Providers.OpenAI;

/// <summary>The <c>messages</c> of an OpenAI chat request: roles, content parts, tool calls and tool results, their text recorded as segments.</summary>
internal static class OpenAIMessagesReader
{
    /// <summary>Every tool message must answer a tool call made earlier in the conversation.</summary>
    internal static void CheckToolResults(List<ChatMessage> messages)
    {
        HashSet<string>? callIds = null;
        for (var i = 0; i < messages.Count; i++)
        {
            var m = messages[i];
            foreach (var call in m.ToolCalls)
            {
                (callIds ??= new HashSet<string>(StringComparer.Ordinal)).Add(call.Id);
            }

            if (m.Role == ChatRole.Tool && (callIds is null || !callIds.Contains(m.ToolCallId!)))
            {
                throw new RequestFieldException(
                    $"Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (no tool call with id '{m.ToolCallId}').",
                    $"messages[{i}].tool_call_id");
            }
        }
    }

    internal static List<ChatMessage> ReadMessages(ref Utf8JsonReader reader, SegmentRecorder segments, ref RequestFeatures features, ref int promptChars, ref int images)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"Invalid type for 'messages': expected an array, but got {RequestJson.Describe(reader.TokenType)} instead.", "messages", "invalid_type");
        }

        var messages = new List<ChatMessage>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"messages[{messages.Count}]";
            ExpectStartObject(ref reader, path);
            ChatRole? role = null;
            List<ContentPart>? content = null;
            var contentIsString = false;
            var contentPresent = false;
            string? name = null, toolCallId = null;
            List<ToolCall>? toolCalls = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var property = reader.GetString();
                reader.Read();
                switch (property)
                {
                    case "role":
                        var roleText = ReadString(ref reader, path + ".role");
                        role = roleText switch
                        {
                            "system" => ChatRole.System,
                            "developer" => ChatRole.Developer,
                            "user" => ChatRole.User,
                            "assistant" => ChatRole.Assistant,
                            "tool" => ChatRole.Tool,
                            "function" => ChatRole.Tool,
                            _ => throw new RequestFieldException(
                                $"Invalid value: '{RequestJson.Clip(roleText)}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'function', and 'developer'.", path + ".role", "invalid_value"),
                        };
                        break;
                    case "content":
                        contentPresent = reader.TokenType != JsonTokenType.Null;
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var text = segments.Read(ref reader, TextSegmentKind.Content);
                            promptChars += text.Length;
                            content = [new ContentPart(ContentPartKind.Text, text)];
                            contentIsString = true;
                        }
                        else if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            content = ReadContentParts(ref reader, segments, path + ".content", ref features, ref promptChars, ref images);
                        }
                        else if (reader.TokenType != JsonTokenType.Null)
                        {
                            throw new RequestFieldException($"Invalid type for '{path}.content': expected a string or an array of content parts, but got {RequestJson.Describe(reader.TokenType)} instead.", path + ".content", "invalid_type");
                        }

                        break;
                    case "name":
                        name = ReadString(ref reader, path + ".name", allowNull: true);
                        break;
                    case "tool_call_id":
                        toolCallId = ReadString(ref reader, path + ".tool_call_id");
                        break;
                    case "tool_calls":
                        toolCalls = ReadToolCalls(ref reader, segments, path + ".tool_calls", ref promptChars);
                        break;
                    default:
                        segments.Skip(ref reader, property, inZone: false);
                        break;
                }
            }

            if (role is null)
            {
                throw OpenAIFieldReader.Missing(path + ".role");
            }

            if (!contentPresent && role is ChatRole.User or ChatRole.System or ChatRole.Developer or ChatRole.Tool)
            {
                throw OpenAIFieldReader.Missing(path + ".content");
            }

            if (role == ChatRole.Assistant && !contentPresent && toolCalls is null)
            {
                throw new RequestFieldException($"Invalid '{path}': an assistant message needs 'content' or 'tool_calls'.", path + ".content", "missing_required_parameter");
            }

            if (role == ChatRole.Tool && toolCallId is null && name is null)
            {
                throw OpenAIFieldReader.Missing(path + ".tool_call_id");
            }

            messages.Add(new ChatMessage
            {
                Role = role.Value,
                Content = content ?? [],
                ContentIsString = contentIsString,
                Name = name,
                ToolCalls = toolCalls ?? [],
                ToolCallId = toolCallId ?? (role == ChatRole.Tool ? name : null),
            });
        }

        return messages;
    }

    internal static List<ContentPart> ReadContentParts(ref Utf8JsonReader reader, SegmentRecorder segments, string path, ref RequestFeatures features, ref int promptChars, ref int images)
    {
        var parts = new List<ContentPart>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var partPath = $"{path}[{parts.Count}]";
            ExpectStartObject(ref reader, partPath);
            string? type = null, text = null, url = null, detail = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var property = reader.GetString();
                reader.Read();
                switch (property)
                {
                    case "type":
                        type = ReadString(ref reader, partPath + ".type");
                        break;
                    case "text":
                    case "refusal":
                        // The parts sit inside "content": every string but identifiers, types and URLs is prompt text.
                        text = reader.TokenType == JsonTokenType.String ? segments.Read(ref reader, TextSegmentKind.Content) : ReadString(ref reader, partPath + "." + property);
                        break;
                    case "image_url":
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            url = segments.Read(ref reader, TextSegmentKind.Unmapped);
                            break;
                        }

                        ExpectStartObject(ref reader, partPath + ".image_url");
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var p = reader.GetString();
                            reader.Read();
                            if (p == "url")
                            {
                                url = ReadString(ref reader, partPath + ".image_url.url");
                            }
                            else if (p == "detail")
                            {
                                detail = ReadString(ref reader, partPath + ".image_url.detail");
                            }
                            else
                            {
                                segments.Skip(ref reader, p, inZone: true);
                            }
                        }

                        break;
                    default:
                        segments.Skip(ref reader, property, inZone: true);
                        break;
                }
            }

            var part = type switch
            {
                "text" => new ContentPart(ContentPartKind.Text, text ?? throw OpenAIFieldReader.Missing(partPath + ".text")),
                "image_url" => new ContentPart(ContentPartKind.Image, Url: url ?? throw new RequestFieldException($"Missing required parameter: '{partPath}.image_url.url'.", partPath + ".image_url", "missing_required_parameter"), Detail: detail),
                "input_audio" => new ContentPart(ContentPartKind.Audio),
                "file" => new ContentPart(ContentPartKind.File),
                "refusal" => new ContentPart(ContentPartKind.Refusal, text),
                null => throw OpenAIFieldReader.Missing(partPath + ".type"),
                _ => throw new RequestFieldException($"Invalid value: '{RequestJson.Clip(type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'file' and 'refusal'.", partPath + ".type", "invalid_value"),
            };
            switch (part.Kind)
            {
                case ContentPartKind.Text or ContentPartKind.Refusal:
                    promptChars += part.Text?.Length ?? 0;
                    break;
                case ContentPartKind.Image:
                    features |= RequestFeatures.Vision;
                    images++;
                    break;
                case ContentPartKind.Audio:
                    features |= RequestFeatures.Audio;
                    break;
                case ContentPartKind.File:
                    features |= RequestFeatures.Files;
                    break;
            }

            parts.Add(part);
        }

        return parts;
    }

    internal static List<ToolCall> ReadToolCalls(ref Utf8JsonReader reader, SegmentRecorder segments, string path, ref int promptChars)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"Invalid type for '{path}': expected an array.", path, "invalid_type");
        }

        var calls = new List<ToolCall>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var callPath = $"{path}[{calls.Count}]";
            ExpectStartObject(ref reader, callPath);
            string? id = null, name = null, arguments = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var property = reader.GetString();
                reader.Read();
                if (property == "id")
                {
                    id = ReadString(ref reader, callPath + ".id");
                }
                else if (property == "function")
                {
                    ExpectStartObject(ref reader, callPath + ".function");
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var p = reader.GetString();
                        reader.Read();
                        if (p == "name")
                        {
                            name = ReadString(ref reader, callPath + ".function.name");
                        }
                        else if (p == "arguments")
                        {
                            arguments = reader.TokenType == JsonTokenType.String
                                ? segments.Read(ref reader, TextSegmentKind.ToolArguments)
                                : ReadString(ref reader, callPath + ".function.arguments");
                        }
                        else
                        {
                            segments.Skip(ref reader, p, inZone: false);
                        }
                    }
                }
                else
                {
                    segments.Skip(ref reader, property, inZone: false);
                }
            }

            if (id is null || name is null)
            {
                throw new RequestFieldException($"Missing required parameter: '{callPath}.{(id is null ? "id" : "function.name")}'.", callPath, "missing_required_parameter");
            }

            promptChars += name.Length + (arguments?.Length ?? 0);
            calls.Add(new ToolCall(id, name, arguments ?? "{}"));
        }

        return calls;
    }
}
