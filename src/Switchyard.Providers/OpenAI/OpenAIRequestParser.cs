using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Canonical;

namespace Switchyard.Providers.OpenAI;

/// <summary>A request the gateway refuses at the door; Egress writes it in the client's format.</summary>
public sealed record IngressError(int StatusCode, string Message, string? Param, string Code, string Type = "invalid_request_error");

/// <summary>
/// Ingress for the OpenAI format: one forward-only <see cref="Utf8JsonReader"/> pass over the body builds the
/// <see cref="CanonicalRequest"/>. Fields it does not need are skipped (they survive in <c>RawBody</c> for
/// same-format forwarding); fields it reads are type-checked, and a bad one is reported with its path as
/// OpenAI's <c>param</c>.
/// </summary>
public static class OpenAIRequestParser
{
    private static readonly JsonReaderOptions _options = new() { MaxDepth = 128, CommentHandling = JsonCommentHandling.Disallow };

    public static (CanonicalRequest? Request, IngressError? Error) ParseChat(ReadOnlyMemory<byte> body) => Parse(body, Operation.ChatCompletion);

    public static (CanonicalRequest? Request, IngressError? Error) ParseEmbeddings(ReadOnlyMemory<byte> body) => Parse(body, Operation.Embeddings);

    private static (CanonicalRequest?, IngressError?) Parse(ReadOnlyMemory<byte> body, Operation operation)
    {
        if (body.IsEmpty)
        {
            return (null, new IngressError(400, "The request body is empty; send a JSON object.", null, "invalid_body"));
        }

        if (!Utf8.IsValid(body.Span))
        {
            return (null, new IngressError(400, "The request body is not valid UTF-8.", null, "invalid_body"));
        }

        try
        {
            var reader = new Utf8JsonReader(body.Span, _options);
            var request = operation == Operation.ChatCompletion ? ReadChat(ref reader, body) : ReadEmbeddings(ref reader, body);
            return (request, null);
        }
        catch (BadRequestException ex)
        {
            return (null, new IngressError(400, ex.Message, ex.Param, ex.Code));
        }
        catch (JsonException ex)
        {
            return (null, new IngressError(400, $"We could not parse the JSON body of your request (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1}).", null, "invalid_json"));
        }
    }

    private static CanonicalRequest ReadChat(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        ExpectStartObject(ref reader, null);
        string? model = null;
        var stream = false;
        var includeUsage = false;
        var hasStreamOptions = false;
        List<ChatMessage>? messages = null;
        List<ToolDefinition>? tools = null;
        ToolChoice? toolChoice = null;
        bool? parallel = null;
        ResponseFormat? responseFormat = null;
        int? maxTokens = null, maxCompletionTokens = null, n = null;
        double? temperature = null, topP = null;
        List<string>? stop = null;
        string? user = null;
        var features = RequestFeatures.None;
        var promptChars = 0;
        var images = 0;

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString()!;
            reader.Read();
            switch (property)
            {
                case "model":
                    model = ReadString(ref reader, "model");
                    break;
                case "messages":
                    messages = ReadMessages(ref reader, ref features, ref promptChars, ref images);
                    break;
                case "stream":
                    stream = ReadBool(ref reader, "stream") ?? false;
                    break;
                case "stream_options":
                    // Present even as null: a usage rewrite must then replace it, not add a duplicate key.
                    hasStreamOptions = true;
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        ExpectStartObject(ref reader, "stream_options");
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var name = reader.GetString();
                            reader.Read();
                            if (name == "include_usage")
                            {
                                includeUsage = ReadBool(ref reader, "stream_options.include_usage") ?? false;
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }

                    break;
                case "tools":
                    tools = ReadTools(ref reader, body.Span, ref promptChars);
                    break;
                case "tool_choice":
                    toolChoice = ReadToolChoice(ref reader);
                    break;
                case "parallel_tool_calls":
                    parallel = ReadBool(ref reader, "parallel_tool_calls");
                    break;
                case "response_format":
                    responseFormat = ReadResponseFormat(ref reader, body.Span, ref promptChars);
                    break;
                case "max_tokens":
                    maxTokens = ReadInt(ref reader, "max_tokens", 1);
                    break;
                case "max_completion_tokens":
                    maxCompletionTokens = ReadInt(ref reader, "max_completion_tokens", 1);
                    break;
                case "n":
                    n = ReadInt(ref reader, "n", 1, 128);
                    break;
                case "temperature":
                    temperature = ReadNumber(ref reader, "temperature", 0, 2);
                    break;
                case "top_p":
                    topP = ReadNumber(ref reader, "top_p", 0, 1);
                    break;
                case "frequency_penalty":
                    ReadNumber(ref reader, "frequency_penalty", -2, 2);
                    break;
                case "presence_penalty":
                    ReadNumber(ref reader, "presence_penalty", -2, 2);
                    break;
                case "seed":
                    if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null))
                    {
                        throw new BadRequestException("seed must be an integer.", "seed");
                    }

                    break;
                case "stop":
                    stop = ReadStop(ref reader);
                    break;
                case "user":
                    user = ReadString(ref reader, "user", allowNull: true);
                    break;
                case "modalities":
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("audio"u8))
                            {
                                features |= RequestFeatures.Audio;
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
                default:
                    // Unknown and pass-through fields (logprobs, metadata, store, service_tier, …) stay in RawBody.
                    reader.Skip();
                    break;
            }
        }

        if (model is null)
        {
            throw new BadRequestException("You must provide a model parameter.", "model", "missing_required_parameter");
        }

        if (messages is null)
        {
            throw new BadRequestException("Missing required parameter: 'messages'.", "messages", "missing_required_parameter");
        }

        if (messages.Count == 0)
        {
            throw new BadRequestException("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages", "empty_array");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Named } named && (tools is null || !tools.Exists(t => t.Name == named.Name)))
        {
            throw new BadRequestException($"Invalid 'tool_choice': no tool named '{named.Name}' in 'tools'.", "tool_choice");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Required } && (tools is null || tools.Count == 0))
        {
            throw new BadRequestException("Invalid 'tool_choice': 'required' needs at least one tool in 'tools'.", "tool_choice");
        }

        CheckToolResults(messages);

        if (stream)
        {
            features |= RequestFeatures.Streaming;
        }

        if (tools is { Count: > 0 })
        {
            features |= RequestFeatures.Tools;
            if (parallel != false && tools.Count > 1)
            {
                features |= RequestFeatures.ParallelToolCalls;
            }
        }

        if (responseFormat?.Kind == ResponseFormatKind.JsonSchema)
        {
            features |= RequestFeatures.JsonSchema;
        }
        else if (responseFormat?.Kind == ResponseFormatKind.JsonObject)
        {
            features |= RequestFeatures.JsonObject;
        }

        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            HasStreamOptions = hasStreamOptions,
            Messages = messages,
            Tools = tools ?? [],
            ToolChoice = toolChoice,
            ParallelToolCalls = parallel,
            ResponseFormat = responseFormat,
            MaxOutputTokens = maxCompletionTokens ?? maxTokens,
            Temperature = temperature,
            TopP = topP,
            Stop = stop ?? [],
            N = n,
            User = user,
            Features = features,
            PromptChars = promptChars,
            ImageCount = images,
            RawBody = body,
        };
    }

    /// <summary>Every tool message must answer a tool call made earlier in the conversation.</summary>
    private static void CheckToolResults(List<ChatMessage> messages)
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
                throw new BadRequestException(
                    $"Invalid parameter: messages with role 'tool' must be a response to a preceding message with 'tool_calls' (no tool call with id '{m.ToolCallId}').",
                    $"messages[{i}].tool_call_id");
            }
        }
    }

    private static List<ChatMessage> ReadMessages(ref Utf8JsonReader reader, ref RequestFeatures features, ref int promptChars, ref int images)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"Invalid type for 'messages': expected an array, but got {Describe(reader.TokenType)} instead.", "messages", "invalid_type");
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
                            _ => throw new BadRequestException(
                                $"Invalid value: '{Clip(roleText)}'. Supported values are: 'system', 'assistant', 'user', 'tool', 'function', and 'developer'.", path + ".role", "invalid_value"),
                        };
                        break;
                    case "content":
                        contentPresent = reader.TokenType != JsonTokenType.Null;
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var text = reader.GetString()!;
                            promptChars += text.Length;
                            content = [new ContentPart(ContentPartKind.Text, text)];
                            contentIsString = true;
                        }
                        else if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            content = ReadContentParts(ref reader, path + ".content", ref features, ref promptChars, ref images);
                        }
                        else if (reader.TokenType != JsonTokenType.Null)
                        {
                            throw new BadRequestException($"Invalid type for '{path}.content': expected a string or an array of content parts, but got {Describe(reader.TokenType)} instead.", path + ".content", "invalid_type");
                        }

                        break;
                    case "name":
                        name = ReadString(ref reader, path + ".name", allowNull: true);
                        break;
                    case "tool_call_id":
                        toolCallId = ReadString(ref reader, path + ".tool_call_id");
                        break;
                    case "tool_calls":
                        toolCalls = ReadToolCalls(ref reader, path + ".tool_calls", ref promptChars);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (role is null)
            {
                throw new BadRequestException($"Missing required parameter: '{path}.role'.", path + ".role", "missing_required_parameter");
            }

            if (!contentPresent && role is ChatRole.User or ChatRole.System or ChatRole.Developer or ChatRole.Tool)
            {
                throw new BadRequestException($"Missing required parameter: '{path}.content'.", path + ".content", "missing_required_parameter");
            }

            if (role == ChatRole.Assistant && !contentPresent && toolCalls is null)
            {
                throw new BadRequestException($"Invalid '{path}': an assistant message needs 'content' or 'tool_calls'.", path + ".content", "missing_required_parameter");
            }

            if (role == ChatRole.Tool && toolCallId is null && name is null)
            {
                throw new BadRequestException($"Missing required parameter: '{path}.tool_call_id'.", path + ".tool_call_id", "missing_required_parameter");
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

    private static List<ContentPart> ReadContentParts(ref Utf8JsonReader reader, string path, ref RequestFeatures features, ref int promptChars, ref int images)
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
                        text = ReadString(ref reader, partPath + "." + property);
                        break;
                    case "image_url":
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            url = reader.GetString();
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
                                reader.Skip();
                            }
                        }

                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            var part = type switch
            {
                "text" => new ContentPart(ContentPartKind.Text, text ?? throw new BadRequestException($"Missing required parameter: '{partPath}.text'.", partPath + ".text", "missing_required_parameter")),
                "image_url" => new ContentPart(ContentPartKind.Image, Url: url ?? throw new BadRequestException($"Missing required parameter: '{partPath}.image_url.url'.", partPath + ".image_url", "missing_required_parameter"), Detail: detail),
                "input_audio" => new ContentPart(ContentPartKind.Audio),
                "file" => new ContentPart(ContentPartKind.File),
                "refusal" => new ContentPart(ContentPartKind.Refusal, text),
                null => throw new BadRequestException($"Missing required parameter: '{partPath}.type'.", partPath + ".type", "missing_required_parameter"),
                _ => throw new BadRequestException($"Invalid value: '{Clip(type)}'. Supported values are: 'text', 'image_url', 'input_audio', 'file' and 'refusal'.", partPath + ".type", "invalid_value"),
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

    private static List<ToolCall> ReadToolCalls(ref Utf8JsonReader reader, string path, ref int promptChars)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return [];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"Invalid type for '{path}': expected an array.", path, "invalid_type");
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
                            arguments = ReadString(ref reader, callPath + ".function.arguments");
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

            if (id is null || name is null)
            {
                throw new BadRequestException($"Missing required parameter: '{callPath}.{(id is null ? "id" : "function.name")}'.", callPath, "missing_required_parameter");
            }

            promptChars += name.Length + (arguments?.Length ?? 0);
            calls.Add(new ToolCall(id, name, arguments ?? "{}"));
        }

        return calls;
    }

    private static List<ToolDefinition> ReadTools(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int promptChars)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"Invalid type for 'tools': expected an array, but got {Describe(reader.TokenType)} instead.", "tools", "invalid_type");
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
                throw new BadRequestException($"Invalid value: '{Clip(type ?? "")}'. Supported values are: 'function' and 'custom'.", path + ".type", "invalid_value");
            }

            if (string.IsNullOrEmpty(name))
            {
                throw new BadRequestException($"Missing required parameter: '{path}.function.name'.", path + ".function.name", "missing_required_parameter");
            }

            promptChars += name.Length + (description?.Length ?? 0) + (parameters?.Length ?? 0);
            tools.Add(new ToolDefinition(name, description, parameters, strict));
        }

        return tools;
    }

    private static ToolChoice? ReadToolChoice(ref Utf8JsonReader reader)
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
                    _ => throw new BadRequestException($"Invalid value: '{Clip(mode ?? "")}'. Supported values are: 'none', 'auto', and 'required'.", "tool_choice", "invalid_value"),
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
                    throw new BadRequestException("Invalid 'tool_choice': expected {\"type\": \"function\", \"function\": {\"name\": …}}.", "tool_choice");
                }

                return new ToolChoice(ToolChoiceMode.Named, name);
            default:
                throw new BadRequestException($"Invalid type for 'tool_choice': expected a string or an object, but got {Describe(reader.TokenType)} instead.", "tool_choice", "invalid_type");
        }
    }

    private static ResponseFormat? ReadResponseFormat(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref int promptChars)
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
                    throw new BadRequestException("Missing required parameter: 'response_format.json_schema'.", "response_format.json_schema", "missing_required_parameter");
                }

                if (string.IsNullOrEmpty(name))
                {
                    throw new BadRequestException("Missing required parameter: 'response_format.json_schema.name'.", "response_format.json_schema.name", "missing_required_parameter");
                }

                promptChars += schema?.Length ?? 0;
                return new ResponseFormat(ResponseFormatKind.JsonSchema, name, schema, strict);
            case null:
                throw new BadRequestException("Missing required parameter: 'response_format.type'.", "response_format.type", "missing_required_parameter");
            default:
                throw new BadRequestException($"Invalid value: '{Clip(type)}'. Supported values are: 'text', 'json_object' and 'json_schema'.", "response_format.type", "invalid_value");
        }
    }

    private static List<string>? ReadStop(ref Utf8JsonReader reader)
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
                    throw new BadRequestException("Invalid 'stop': array too long. Expected an array with maximum length 4.", "stop", "array_above_max_length");
                }

                return list;
            default:
                throw new BadRequestException($"Invalid type for 'stop': expected a string or an array of strings, but got {Describe(reader.TokenType)} instead.", "stop", "invalid_type");
        }
    }

    private static CanonicalRequest ReadEmbeddings(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        ExpectStartObject(ref reader, null);
        string? model = null, user = null;
        EmbeddingInput? input = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "model":
                    model = ReadString(ref reader, "model");
                    break;
                case "input":
                    input = ReadEmbeddingInput(ref reader);
                    break;
                case "encoding_format":
                    var format = ReadString(ref reader, "encoding_format");
                    if (format is not ("float" or "base64"))
                    {
                        throw new BadRequestException($"Invalid value: '{Clip(format)}'. Supported values are: 'float' and 'base64'.", "encoding_format", "invalid_value");
                    }

                    break;
                case "dimensions":
                    ReadInt(ref reader, "dimensions", 1);
                    break;
                case "user":
                    user = ReadString(ref reader, "user", allowNull: true);
                    break;
                default:
                    reader.Skip();
                    break;
            }
        }

        if (model is null)
        {
            throw new BadRequestException("You must provide a model parameter.", "model", "missing_required_parameter");
        }

        if (input is null)
        {
            throw new BadRequestException("Missing required parameter: 'input'.", "input", "missing_required_parameter");
        }

        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.Embeddings,
            Model = model,
            User = user,
            EmbeddingInput = input,
            PromptChars = input.TotalChars,
            RawBody = body,
        };
    }

    private static EmbeddingInput ReadEmbeddingInput(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            if (text.Length == 0)
            {
                throw new BadRequestException("'input' cannot be an empty string.", "input", "invalid_value");
            }

            return new EmbeddingInput(1, text.Length, 0);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"Invalid type for 'input': expected a string, an array of strings, or token arrays, but got {Describe(reader.TokenType)} instead.", "input", "invalid_type");
        }

        int count = 0, chars = 0, tokenIds = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    chars += reader.GetString()!.Length;
                    count++;
                    break;
                case JsonTokenType.Number:
                    // An array of token ids is one input.
                    tokenIds++;
                    count = 1;
                    break;
                case JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number)
                        {
                            throw new BadRequestException($"Invalid type for 'input[{count}]': token arrays hold integers.", $"input[{count}]", "invalid_type");
                        }

                        tokenIds++;
                    }

                    count++;
                    break;
                default:
                    throw new BadRequestException($"Invalid type for 'input[{count}]': expected a string or a token array.", $"input[{count}]", "invalid_type");
            }
        }

        if (count == 0)
        {
            throw new BadRequestException("'input' cannot be an empty array.", "input", "empty_array");
        }

        if (count > 2048)
        {
            throw new BadRequestException("'input' holds more than 2048 items.", "input", "array_above_max_length");
        }

        return new EmbeddingInput(count, chars, tokenIds);
    }

    private static string ReadRawObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BadRequestException($"Invalid type for '{path}': expected an object, but got {Describe(reader.TokenType)} instead.", path, "invalid_type");
        }

        // The reader runs over the whole body, so the object's JSON text is a slice of it: no re-serialisation.
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
    }

    private static void ExpectStartObject(ref Utf8JsonReader reader, string? path)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw path is null
                ? new BadRequestException("The request body must be a JSON object.", null, "invalid_body")
                : new BadRequestException($"Invalid type for '{path}': expected an object, but got {Describe(reader.TokenType)} instead.", path, "invalid_type");
        }
    }

    private static string ReadString(ref Utf8JsonReader reader, string path, bool allowNull = false)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!;
        }

        if (allowNull && reader.TokenType == JsonTokenType.Null)
        {
            return null!;
        }

        throw new BadRequestException($"Invalid type for '{path}': expected a string, but got {Describe(reader.TokenType)} instead.", path, "invalid_type");
    }

    private static bool? ReadBool(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new BadRequestException($"Invalid type for '{path}': expected a boolean, but got {Describe(reader.TokenType)} instead.", path, "invalid_type"),
    };

    private static int? ReadInt(ref Utf8JsonReader reader, string path, int min, int max = int.MaxValue)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new BadRequestException($"Invalid type for '{path}': expected an integer, but got {Describe(reader.TokenType)} instead.", path, "invalid_type");
        }

        if (value < min || value > max)
        {
            throw new BadRequestException($"Invalid '{path}': {value} is out of range ({min} to {max}).", path, "invalid_value");
        }

        return (int)value;
    }

    private static double? ReadNumber(ref Utf8JsonReader reader, string path, double min, double max)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new BadRequestException($"Invalid type for '{path}': expected a number, but got {Describe(reader.TokenType)} instead.", path, "invalid_type");
        }

        var value = reader.GetDouble();
        if (value < min || value > max)
        {
            throw new BadRequestException($"Invalid '{path}': {value} is out of range ({min} to {max}).", path, "invalid_value");
        }

        return value;
    }

    private static string Describe(JsonTokenType token) => token switch
    {
        JsonTokenType.String => "a string",
        JsonTokenType.Number => "a number",
        JsonTokenType.True or JsonTokenType.False => "a boolean",
        JsonTokenType.Null => "null",
        JsonTokenType.StartArray => "an array",
        JsonTokenType.StartObject => "an object",
        _ => "something else",
    };

    private static string Clip(string text) => text.Length <= 64 ? text : text[..64] + "…";

    private sealed class BadRequestException(string message, string? param, string code = "invalid_value") : Exception(message)
    {
        public string? Param { get; } = param;
        public string Code { get; } = code;
    }
}
