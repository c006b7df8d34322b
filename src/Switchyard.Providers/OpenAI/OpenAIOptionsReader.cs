using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.OpenAI.OpenAIFieldReader;

namespace Switchyard.Providers.OpenAI;

/// <summary>The options of an OpenAI chat request the canonical model carries: tools, tool choice, response format, stop sequences.</summary>
internal static class OpenAIOptionsReader
{
    internal static List<ToolDefinition> ReadTools(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int promptChars)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"Invalid type for 'tools': expected an array, but got {RequestJson.Describe(reader.TokenType)} instead.", "tools", "invalid_type");
        }

        var tools = new List<ToolDefinition>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"tools[{tools.Count}]";
            ExpectStartObject(ref reader, path);
            string? type = null, name = null, description = null, parameters = null;
            bool? strict = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var property = reader.GetString();
                reader.Read();
                if (property == "type")
                {
                    type = ReadString(ref reader, path + ".type");
                }
                else if (property is "function" or "custom")
                {
                    ExpectStartObject(ref reader, path + "." + property);
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var p = reader.GetString();
                        reader.Read();
                        switch (p)
                        {
                            case "name":
                                name = ReadString(ref reader, $"{path}.{property}.name");
                                break;
                            case "description":
                                description = ReadString(ref reader, $"{path}.{property}.description", allowNull: true);
                                break;
                            case "parameters":
                                parameters = ReadRawObject(ref reader, body, $"{path}.{property}.parameters");
                                break;
                            case "strict":
                                strict = ReadBool(ref reader, $"{path}.{property}.strict");
                                break;
                            default:
                                reader.Skip();
                                break;
                        }
                    }
                }
                else
                {
                    reader.Skip();
                }
            }

            if (type is not ("function" or "custom"))
            {
                throw new RequestFieldException($"Invalid value: '{RequestJson.Clip(type ?? "")}'. Supported values are: 'function' and 'custom'.", path + ".type", "invalid_value");
            }

            if (string.IsNullOrEmpty(name))
            {
                throw OpenAIFieldReader.Missing(path + ".function.name");
            }

            promptChars += name.Length + (description?.Length ?? 0) + (parameters?.Length ?? 0);
            tools.Add(new ToolDefinition(name, description, parameters, strict));
        }

        return tools;
    }

    internal static ToolChoice? ReadToolChoice(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                var mode = reader.GetString();
                return mode switch
                {
                    "auto" => new ToolChoice(ToolChoiceMode.Auto),
                    "none" => new ToolChoice(ToolChoiceMode.None),
                    "required" => new ToolChoice(ToolChoiceMode.Required),
                    _ => throw new RequestFieldException($"Invalid value: '{RequestJson.Clip(mode ?? "")}'. Supported values are: 'none', 'auto', and 'required'.", "tool_choice", "invalid_value"),
                };
            case JsonTokenType.StartObject:
                string? type = null, name = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var property = reader.GetString();
                    reader.Read();
                    if (property == "type")
                    {
                        type = ReadString(ref reader, "tool_choice.type");
                    }
                    else if (property is "function" or "custom" && reader.TokenType == JsonTokenType.StartObject)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var p = reader.GetString();
                            reader.Read();
                            if (p == "name")
                            {
                                name = ReadString(ref reader, "tool_choice.function.name");
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }
                }

                if (type == "allowed_tools")
                {
                    return new ToolChoice(ToolChoiceMode.Auto);
                }

                if (type is not ("function" or "custom") || name is null)
                {
                    throw new RequestFieldException("Invalid 'tool_choice': expected {\"type\": \"function\", \"function\": {\"name\": …}}.", "tool_choice");
                }

                return new ToolChoice(ToolChoiceMode.Named, name);
            default:
                throw new RequestFieldException($"Invalid type for 'tool_choice': expected a string or an object, but got {RequestJson.Describe(reader.TokenType)} instead.", "tool_choice", "invalid_type");
        }
    }

    internal static ResponseFormat? ReadResponseFormat(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int promptChars)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectStartObject(ref reader, "response_format");
        string? type = null, name = null, schema = null;
        bool? strict = null;
        var hasJsonSchema = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            if (property == "type")
            {
                type = ReadString(ref reader, "response_format.type");
            }
            else if (property == "json_schema")
            {
                hasJsonSchema = true;
                ExpectStartObject(ref reader, "response_format.json_schema");
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var p = reader.GetString();
                    reader.Read();
                    switch (p)
                    {
                        case "name":
                            name = ReadString(ref reader, "response_format.json_schema.name");
                            break;
                        case "schema":
                            schema = ReadRawObject(ref reader, body, "response_format.json_schema.schema");
                            break;
                        case "strict":
                            strict = ReadBool(ref reader, "response_format.json_schema.strict");
                            break;
                        default:
                            reader.Skip();
                            break;
                    }
                }
            }
            else
            {
                reader.Skip();
            }
        }

        switch (type)
        {
            case "text":
                return new ResponseFormat(ResponseFormatKind.Text);
            case "json_object":
                return new ResponseFormat(ResponseFormatKind.JsonObject);
            case "json_schema":
                if (!hasJsonSchema)
                {
                    throw OpenAIFieldReader.Missing("response_format.json_schema");
                }

                if (string.IsNullOrEmpty(name))
                {
                    throw OpenAIFieldReader.Missing("response_format.json_schema.name");
                }

                promptChars += schema?.Length ?? 0;
                return new ResponseFormat(ResponseFormatKind.JsonSchema, name, schema, strict);
            case null:
                throw OpenAIFieldReader.Missing("response_format.type");
            default:
                throw new RequestFieldException($"Invalid value: '{RequestJson.Clip(type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type", "invalid_value");
        }
    }

    internal static List<string>? ReadStop(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return null;
            case JsonTokenType.String:
                return [reader.GetString()!];
            case JsonTokenType.StartArray:
                var list = new List<string>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    list.Add(ReadString(ref reader, $"stop[{list.Count}]"));
                }

                if (list.Count > 4)
                {
                    throw new RequestFieldException("Invalid 'stop': array too long. Expected an array with maximum length 4.", "stop", "array_above_max_length");
                }

                return list;
            default:
                throw new RequestFieldException($"Invalid type for 'stop': expected a string or an array of strings, but got {RequestJson.Describe(reader.TokenType)} instead.", "stop", "invalid_type");
        }
    }
}
