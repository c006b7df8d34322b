using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.Anthropic.AnthropicFieldReader;
using static Switchyard.Providers.Anthropic.AnthropicMessagesReader;

namespace Switchyard.Providers.Anthropic;

/// <summary>The options of an Anthropic request: tools, tool choice, output config, thinking, metadata, cache control.</summary>
internal static class AnthropicOptionsReader
{
    internal static List<ToolDefinition> ReadTools(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"tools: Input should be a valid list, but got {RequestJson.Describe(reader.TokenType)}.", "tools");
        }

        var tools = new List<ToolDefinition>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"tools.{index++}";
            ExpectObject(ref reader, path);
            string? type = null, name = null, description = null, schema = null, unknown = null;
            UntranslatableField? note = null;
            bool? strict = null;
            while (NextProperty(ref reader, out var p))
            {
                switch (p)
                {
                    case "type":
                        type = reader.TokenType == JsonTokenType.Null ? null : ReadString(ref reader, path, ".type");
                        break;
                    case "name":
                        name = ReadString(ref reader, path, ".name");
                        break;
                    case "description":
                        description = ReadString(ref reader, path, ".description");
                        break;
                    case "input_schema":
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new RequestFieldException($"{path}.input_schema: Input should be a valid dictionary, but got {RequestJson.Describe(reader.TokenType)}.", path + ".input_schema");
                        }

                        schema = RequestJson.RawSlice(ref reader, body);
                        break;
                    case "strict":
                        strict = ReadBool(ref reader, path, ".strict");
                        break;
                    case "cache_control":
                        ReadCacheControl(ref reader, path, ".cache_control");
                        break;
                    case "eager_input_streaming":
                        // How finely Anthropic streams the arguments; translated upstreams stream them as they come.
                        if (reader.TokenType != JsonTokenType.Null)
                        {
                            ReadBool(ref reader, path, ".eager_input_streaming");
                        }

                        break;
                    case "allowed_callers":
                        // Without "direct" only Anthropic's code execution tool may call it: a translated model could call it directly.
                        if (!ReadStringArray(ref reader, path + ".allowed_callers").Contains("direct"))
                        {
                            note ??= new UntranslatableField(path + ".allowed_callers", "tools only Anthropic's code execution may call (allowed_callers without 'direct')");
                        }

                        break;
                    case "defer_loading":
                        if (ReadBool(ref reader, path, ".defer_loading"))
                        {
                            note ??= new UntranslatableField(path + ".defer_loading", "deferred tools (defer_loading, for Anthropic's tool search)");
                        }

                        break;
                    case "input_examples":
                        if (reader.TokenType != JsonTokenType.StartArray)
                        {
                            throw new RequestFieldException($"{path}.input_examples: Input should be a valid list, but got {RequestJson.Describe(reader.TokenType)}.", path + ".input_examples");
                        }

                        if (!IsEmpty(reader))
                        {
                            note ??= new UntranslatableField(path + ".input_examples", "tool input examples");
                        }

                        reader.Skip();
                        break;
                    default:
                        // A server tool's own fields (max_uses, user_location, …): judged once the type is known.
                        unknown ??= p;
                        reader.Skip();
                        break;
                }
            }

            if (type is not (null or "custom"))
            {
                // Anthropic server tools (web search, code execution, bash, …) run at Anthropic: forwarded to an Anthropic upstream as sent.
                Note(ref counts, path, $"Anthropic server tool '{RequestJson.Clip(type)}'");
                if (name is not null)
                {
                    (counts.ServerTools ??= []).Add(name);
                }

                continue;
            }

            if (unknown is not null)
            {
                throw Unsupported(path + "." + unknown);
            }

            if (name is null)
            {
                throw new RequestFieldException($"{path}.name: Field required", path + ".name");
            }

            if (schema is null)
            {
                throw new RequestFieldException($"{path}.input_schema: Field required", path + ".input_schema");
            }

            if (note is not null)
            {
                (counts.Untranslatable ??= []).Add(note);
            }

            counts.Chars += name.Length + (description?.Length ?? 0) + schema.Length;
            tools.Add(new ToolDefinition(name, description, schema, strict));
        }

        return tools;
    }

    internal static (ToolChoice Choice, bool? Parallel) ReadToolChoice(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "tool_choice");
        string? type = null, name = null;
        bool? disableParallel = null;
        while (NextProperty(ref reader, out var p))
        {
            switch (p)
            {
                case "type":
                    type = ReadString(ref reader, "tool_choice.type");
                    break;
                case "name":
                    name = ReadString(ref reader, "tool_choice.name");
                    break;
                case "disable_parallel_tool_use":
                    disableParallel = ReadBool(ref reader, "tool_choice.disable_parallel_tool_use");
                    break;
                default:
                    throw Unsupported("tool_choice." + p);
            }
        }

        ToolChoice choice = type switch
        {
            "auto" => new ToolChoice(ToolChoiceMode.Auto),
            "any" => new ToolChoice(ToolChoiceMode.Required),
            "none" => new ToolChoice(ToolChoiceMode.None),
            "tool" => new ToolChoice(ToolChoiceMode.Named, name ?? throw new RequestFieldException("tool_choice.name: Field required", "tool_choice.name")),
            null => throw new RequestFieldException("tool_choice.type: Field required", "tool_choice.type"),
            _ => throw new RequestFieldException($"tool_choice.type: Input tag '{RequestJson.Clip(type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'.", "tool_choice.type"),
        };
        if (disableParallel is not null && type == "none")
        {
            throw Unsupported("tool_choice.disable_parallel_tool_use");
        }

        return (choice, disableParallel is { } d ? !d : null);
    }

    /// <summary><c>output_config.format</c> (structured output) becomes an OpenAI <c>json_schema</c> response format.</summary>
    internal static ResponseFormat? ReadOutputConfig(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        ExpectObject(ref reader, "output_config");
        ResponseFormat? format = null;
        while (NextProperty(ref reader, out var p))
        {
            if (p == "format")
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                ExpectObject(ref reader, "output_config.format");
                string? type = null, schema = null;
                while (NextProperty(ref reader, out var q))
                {
                    if (q == "type")
                    {
                        type = ReadString(ref reader, "output_config.format.type");
                    }
                    else if (q == "schema")
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new RequestFieldException($"output_config.format.schema: Input should be a valid dictionary, but got {RequestJson.Describe(reader.TokenType)}.", "output_config.format.schema");
                        }

                        schema = RequestJson.RawSlice(ref reader, body);
                    }
                    else
                    {
                        throw Unsupported("output_config.format." + q);
                    }
                }

                if (type != "json_schema")
                {
                    throw new RequestFieldException("output_config.format.type: Input should be 'json_schema'.", "output_config.format.type");
                }

                if (schema is null)
                {
                    throw new RequestFieldException("output_config.format.schema: Field required", "output_config.format.schema");
                }

                counts.Chars += schema.Length;
                format = new ResponseFormat(ResponseFormatKind.JsonSchema, "output", schema, Strict: true);
            }
            else if (p == "effort")
            {
                // How much effort Claude spends (low … max): Anthropic's own knob.
                if (reader.TokenType != JsonTokenType.Null)
                {
                    Note(ref counts, "output_config.effort", $"output effort '{RequestJson.Clip(ReadString(ref reader, "output_config.effort"))}'");
                }
            }
            else
            {
                throw Unsupported("output_config." + p);
            }
        }

        return format;
    }

    /// <summary>Extended thinking has no OpenAI chat-completions equivalent; only an explicit "disabled" is accepted.</summary>
    internal static void ReadThinking(ref Utf8JsonReader reader, ref Counts counts)
    {
        ExpectObject(ref reader, "thinking");
        string? type = null;
        while (NextProperty(ref reader, out var p))
        {
            if (p == "type")
            {
                type = ReadString(ref reader, "thinking.type");
            }
            else
            {
                reader.Skip();
            }
        }

        if (type != "disabled")
        {
            (counts.Untranslatable ??= []).Add(new UntranslatableField("thinking", "extended thinking"));
        }
    }

    internal static string? ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(ref reader, "metadata");
        string? user = null;
        while (NextProperty(ref reader, out var p))
        {
            if (p != "user_id")
            {
                throw new RequestFieldException($"metadata.{p}: Extra inputs are not permitted", "metadata." + p);
            }

            if (reader.TokenType != JsonTokenType.Null)
            {
                user = ReadString(ref reader, "metadata.user_id");
            }
        }

        return user;
    }

    /// <summary>Prompt-caching breakpoints are hints; OpenAI-style upstreams cache prefixes on their own, so the hint is validated and has no further effect.</summary>
    /// <remarks>The field's path is <paramref name="owner"/> + <paramref name="field"/>, joined only for an error.</remarks>
    internal static void ReadCacheControl(ref Utf8JsonReader reader, string owner, string field)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ExpectObject(ref reader, owner + field);
        }

        string? type = null;
        while (NextProperty(ref reader, out var p))
        {
            if (p == "type")
            {
                type = reader.TokenType == JsonTokenType.String ? reader.GetString() : ReadString(ref reader, owner + field, ".type");
            }
            else
            {
                reader.Skip();
            }
        }

        if (type != "ephemeral")
        {
            throw new RequestFieldException($"{owner}{field}.type: Input should be 'ephemeral'.", owner + field + ".type");
        }
    }
}
