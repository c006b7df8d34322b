using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Canonical;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Ingress for the Anthropic Messages format (<c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>): one
/// forward-only <see cref="Utf8JsonReader"/> pass builds the <see cref="CanonicalRequest"/>. Unlike the OpenAI
/// parser nothing can be forwarded as original bytes (the upstream speaks another format), so every field is
/// either translated or refused with a 400 that names it: no field is dropped silently. Paths in messages use
/// Anthropic's dotted form (<c>messages.0.content.1.type</c>).
/// </summary>
public static class AnthropicRequestParser
{
    private static readonly JsonReaderOptions _options = new() { MaxDepth = 128, CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Parses a <c>/v1/messages</c> body.</summary>
    public static (CanonicalRequest? Request, IngressError? Error) ParseMessages(ReadOnlyMemory<byte> body) => Parse(body, countTokens: false);

    /// <summary>Parses a <c>/v1/messages/count_tokens</c> body (no <c>max_tokens</c>, <c>stream</c> or sampling fields).</summary>
    public static (CanonicalRequest? Request, IngressError? Error) ParseCountTokens(ReadOnlyMemory<byte> body) => Parse(body, countTokens: true);

    private static (CanonicalRequest?, IngressError?) Parse(ReadOnlyMemory<byte> body, bool countTokens)
    {
        if (body.IsEmpty)
        {
            return (null, Error("The request body is empty; send a JSON object."));
        }

        if (!Utf8.IsValid(body.Span))
        {
            return (null, Error("The request body is not valid UTF-8."));
        }

        try
        {
            var reader = new Utf8JsonReader(body.Span, _options);
            return (Read(ref reader, body, countTokens), null);
        }
        catch (BadRequestException ex)
        {
            return (null, new IngressError(400, ex.Message, ex.Param, "invalid_request_error"));
        }
        catch (JsonException ex)
        {
            return (null, Error($"The request body is not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})."));
        }
    }

    private static IngressError Error(string message) => new(400, message, null, "invalid_request_error");

    private static CanonicalRequest Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, bool countTokens)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BadRequestException("The request body must be a JSON object.", null);
        }

        string? model = null, user = null;
        var stream = false;
        List<ChatMessage>? system = null;
        List<ChatMessage>? messages = null;
        List<ToolDefinition>? tools = null;
        ToolChoice? toolChoice = null;
        bool? parallel = null;
        ResponseFormat? responseFormat = null;
        int? maxTokens = null, topK = null;
        double? temperature = null, topP = null;
        List<string>? stop = null;
        var counts = new Counts();

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
                    messages = ReadMessages(ref reader, body.Span, ref counts);
                    break;
                case "system":
                    system = ReadSystem(ref reader, ref counts);
                    break;
                case "tools":
                    tools = ReadTools(ref reader, body.Span, ref counts);
                    break;
                case "tool_choice":
                    (toolChoice, parallel) = ReadToolChoice(ref reader);
                    break;
                case "output_config":
                    responseFormat = ReadOutputConfig(ref reader, body.Span, ref counts);
                    break;
                case "thinking":
                    ReadThinking(ref reader);
                    break;
                case "max_tokens" when !countTokens:
                    maxTokens = ReadInt(ref reader, "max_tokens", 1);
                    break;
                case "stream" when !countTokens:
                    stream = ReadBool(ref reader, "stream");
                    break;
                case "temperature" when !countTokens:
                    temperature = ReadNumber(ref reader, "temperature", 0, 1);
                    break;
                case "top_p" when !countTokens:
                    topP = ReadNumber(ref reader, "top_p", 0, 1);
                    break;
                case "top_k" when !countTokens:
                    topK = ReadInt(ref reader, "top_k", 0);
                    break;
                case "stop_sequences" when !countTokens:
                    stop = ReadStringArray(ref reader, "stop_sequences");
                    break;
                case "metadata" when !countTokens:
                    user = ReadMetadata(ref reader);
                    break;
                case "service_tier" when !countTokens:
                    // A capacity preference of Anthropic's own; an OpenAI-style upstream has one tier. Only "auto" means "no preference".
                    var tier = ReadString(ref reader, "service_tier");
                    if (tier != "auto")
                    {
                        throw new BadRequestException($"service_tier: '{Clip(tier)}' cannot be translated for an OpenAI-style upstream; omit it or use 'auto'.", "service_tier");
                    }

                    break;
                default:
                    throw new BadRequestException(
                        $"{property}: this field is not supported by the gateway's Anthropic endpoint (it has no translation for an OpenAI-style upstream). Remove it from the request.",
                        property);
            }
        }

        if (model is null)
        {
            throw new BadRequestException("model: Field required", "model");
        }

        if (messages is null)
        {
            throw new BadRequestException("messages: Field required", "messages");
        }

        if (messages.Count == 0)
        {
            throw new BadRequestException("messages: at least one message is required", "messages");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Named } named && (tools is null || !tools.Exists(t => t.Name == named.Name)))
        {
            throw new BadRequestException($"tool_choice.name: no tool named '{Clip(named.Name!)}' in tools.", "tool_choice.name");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Required } && (tools is null || tools.Count == 0))
        {
            throw new BadRequestException("tool_choice: 'any' needs at least one tool in tools.", "tool_choice");
        }

        var features = RequestFeatures.None;
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

        if (counts.Images > 0)
        {
            features |= RequestFeatures.Vision;
        }

        if (responseFormat is not null)
        {
            features |= RequestFeatures.JsonSchema;
        }

        if (system is not null)
        {
            system.AddRange(messages);
            messages = system;
        }

        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.Anthropic,
            Operation = Operation.ChatCompletion,
            Model = model,
            Stream = stream,
            Messages = messages,
            Tools = tools ?? [],
            ToolChoice = toolChoice,
            ParallelToolCalls = parallel,
            ResponseFormat = responseFormat,
            MaxOutputTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            Stop = stop ?? [],
            User = user,
            Features = features,
            PromptChars = counts.Chars,
            ImageCount = counts.Images,
            RawBody = body,
        };
    }

    private static List<ChatMessage>? ReadSystem(ref Utf8JsonReader reader, ref Counts counts)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = reader.GetString()!;
                counts.Chars += text.Length;
                return text.Length == 0 ? null : [new ChatMessage { Role = ChatRole.System, Content = [new ContentPart(ContentPartKind.Text, text)], ContentIsString = true }];
            case JsonTokenType.StartArray:
                var parts = new List<ContentPart>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var path = $"system.{parts.Count}";
                    ExpectObject(ref reader, path);
                    string? type = null, blockText = null;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                    {
                        var p = reader.GetString();
                        reader.Read();
                        switch (p)
                        {
                            case "type":
                                type = ReadString(ref reader, path, ".type");
                                break;
                            case "text":
                                blockText = ReadString(ref reader, path, ".text");
                                break;
                            case "cache_control":
                                ReadCacheControl(ref reader, path);
                                break;
                            default:
                                throw Unsupported(path + "." + p);
                        }
                    }

                    if (type != "text")
                    {
                        throw new BadRequestException($"{path}.type: system blocks must be of type 'text'.", path + ".type");
                    }

                    if (blockText is null)
                    {
                        throw new BadRequestException($"{path}.text: Field required", path + ".text");
                    }

                    counts.Chars += blockText.Length;
                    parts.Add(new ContentPart(ContentPartKind.Text, blockText));
                }

                return parts.Count == 0 ? null : [new ChatMessage { Role = ChatRole.System, Content = parts }];
            case JsonTokenType.Null:
                return null;
            default:
                throw new BadRequestException($"system: Input should be a valid string or a list of text blocks, but got {Describe(reader.TokenType)}.", "system");
        }
    }

    private static List<ChatMessage> ReadMessages(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"messages: Input should be a valid list, but got {Describe(reader.TokenType)}.", "messages");
        }

        var result = new List<ChatMessage>();
        HashSet<string>? previousToolUses = null;
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"messages.{index}";
            ExpectObject(ref reader, path);
            string? role = null;
            List<Block>? blocks = null;
            var contentIsString = false;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var p = reader.GetString();
                reader.Read();
                switch (p)
                {
                    case "role":
                        role = ReadString(ref reader, path, ".role");
                        if (role is not ("user" or "assistant" or "system"))
                        {
                            throw new BadRequestException($"{path}.role: Input should be 'user', 'assistant' or 'system'.", path + ".role");
                        }

                        break;
                    case "content":
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var text = reader.GetString()!;
                            counts.Chars += text.Length;
                            blocks = [new Block(BlockKind.Text, new ContentPart(ContentPartKind.Text, text))];
                            contentIsString = true;
                        }
                        else if (reader.TokenType == JsonTokenType.StartArray)
                        {
                            blocks = ReadBlocks(ref reader, body, path + ".content", ref counts);
                        }
                        else
                        {
                            throw new BadRequestException($"{path}.content: Input should be a valid string or a list of content blocks, but got {Describe(reader.TokenType)}.", path + ".content");
                        }

                        break;
                    default:
                        throw Unsupported(path + "." + p);
                }
            }

            if (role is null)
            {
                throw new BadRequestException($"{path}.role: Field required", path + ".role");
            }

            if (blocks is null)
            {
                throw new BadRequestException($"{path}.content: Field required", path + ".content");
            }

            HashSet<string>? toolUses = null;
            if (role == "system")
            {
                var parts = new List<ContentPart>(blocks.Count);
                for (var i = 0; i < blocks.Count; i++)
                {
                    if (blocks[i].Kind != BlockKind.Text)
                    {
                        throw new BadRequestException($"{path}.content.{i}: a {BlockName(blocks[i].Kind)} block is not allowed in a system message.", $"{path}.content.{i}");
                    }

                    parts.Add(blocks[i].Part!);
                }

                result.Add(new ChatMessage { Role = ChatRole.System, Content = parts, ContentIsString = contentIsString });
            }
            else if (role == "assistant")
            {
                List<ContentPart>? parts = null;
                List<ToolCall>? calls = null;
                for (var i = 0; i < blocks.Count; i++)
                {
                    var block = blocks[i];
                    switch (block.Kind)
                    {
                        case BlockKind.Text:
                            (parts ??= []).Add(block.Part!);
                            break;
                        case BlockKind.ToolUse:
                            (calls ??= []).Add(block.Call!);
                            if (!(toolUses ??= new HashSet<string>(StringComparer.Ordinal)).Add(block.Call!.Id))
                            {
                                throw new BadRequestException($"{path}.content.{i}.id: tool_use ids must be unique; '{Clip(block.Call.Id)}' is repeated.", $"{path}.content.{i}.id");
                            }

                            break;
                        default:
                            throw new BadRequestException($"{path}.content.{i}: a {BlockName(block.Kind)} block is not allowed in an assistant message.", $"{path}.content.{i}");
                    }
                }

                result.Add(new ChatMessage { Role = ChatRole.Assistant, Content = parts ?? [], ContentIsString = contentIsString, ToolCalls = calls ?? [] });
            }
            else
            {
                // Tool results come first: an OpenAI-style upstream needs each answer right after the assistant's calls.
                List<ContentPart>? parts = null;
                for (var i = 0; i < blocks.Count; i++)
                {
                    var block = blocks[i];
                    switch (block.Kind)
                    {
                        case BlockKind.ToolResult:
                            if (previousToolUses is null || !previousToolUses.Contains(block.ToolUseId!))
                            {
                                throw new BadRequestException(
                                    $"{path}.content.{i}: unexpected `tool_use_id` found in `tool_result` blocks: {Clip(block.ToolUseId!)}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
                                    $"{path}.content.{i}.tool_use_id");
                            }

                            result.Add(new ChatMessage { Role = ChatRole.Tool, ToolCallId = block.ToolUseId, Content = block.Parts!, IsError = block.IsError });
                            break;
                        case BlockKind.Text or BlockKind.Image:
                            (parts ??= []).Add(block.Part!);
                            break;
                        default:
                            throw new BadRequestException($"{path}.content.{i}: a {BlockName(block.Kind)} block is not allowed in a user message.", $"{path}.content.{i}");
                    }
                }

                if (parts is not null)
                {
                    result.Add(new ChatMessage { Role = ChatRole.User, Content = parts, ContentIsString = contentIsString });
                }
            }

            previousToolUses = toolUses;
            index++;
        }

        return result;
    }

    private enum BlockKind
    {
        Text,
        Image,
        ToolUse,
        ToolResult,
    }

    private static string BlockName(BlockKind kind) => kind switch
    {
        BlockKind.Text => "text",
        BlockKind.Image => "image",
        BlockKind.ToolUse => "tool_use",
        _ => "tool_result",
    };

    private sealed record Block(BlockKind Kind, ContentPart? Part = null, ToolCall? Call = null, string? ToolUseId = null, List<ContentPart>? Parts = null, bool IsError = false);

    private struct Counts
    {
        public int Chars;
        public int Images;
    }

    private static List<Block> ReadBlocks(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, ref Counts counts)
    {
        var blocks = new List<Block>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            blocks.Add(ReadBlock(ref reader, body, $"{path}.{blocks.Count}", ref counts, nested: false));
        }

        return blocks;
    }

    /// <summary>One content block; <paramref name="nested"/> for the blocks inside a tool_result (text and image only).</summary>
    private static Block ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, ref Counts counts, bool nested)
    {
        ExpectObject(ref reader, path);
        string? type = null, text = null, id = null, name = null, input = null, toolUseId = null;
        var source = default(Utf8JsonReader);
        var hasSource = false;
        List<ContentPart>? resultParts = null;
        var isError = false;
        var hasInput = false;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString()!;
            reader.Read();
            switch (p)
            {
                case "type":
                    type = ReadString(ref reader, path, ".type");
                    break;
                case "text":
                    text = ReadString(ref reader, path, ".text");
                    break;
                case "cache_control":
                    ReadCacheControl(ref reader, path);
                    break;
                case "source":
                    // Kept as a reader copy: how to read it depends on the block type, which may come later.
                    source = reader;
                    hasSource = true;
                    reader.Skip();
                    break;
                case "id":
                    id = ReadString(ref reader, path, ".id");
                    break;
                case "name":
                    name = ReadString(ref reader, path, ".name");
                    break;
                case "input":
                    if (reader.TokenType != JsonTokenType.StartObject)
                    {
                        throw new BadRequestException($"{path}.input: Input should be a valid dictionary, but got {Describe(reader.TokenType)}.", path + ".input");
                    }

                    input = RawSlice(ref reader, body);
                    hasInput = true;
                    break;
                case "tool_use_id":
                    toolUseId = ReadString(ref reader, path, ".tool_use_id");
                    break;
                case "is_error":
                    isError = ReadBool(ref reader, path, ".is_error");
                    break;
                case "content" when !nested:
                    resultParts = ReadToolResultContent(ref reader, body, path + ".content", ref counts);
                    break;
                case "citations" when reader.TokenType == JsonTokenType.Null:
                    break;
                default:
                    throw Unsupported(path + "." + p);
            }
        }

        switch (type)
        {
            case null:
                throw new BadRequestException($"{path}.type: Field required", path + ".type");
            case "text":
                if (text is null)
                {
                    throw new BadRequestException($"{path}.text: Field required", path + ".text");
                }

                counts.Chars += text.Length;
                return new Block(BlockKind.Text, new ContentPart(ContentPartKind.Text, text));
            case "image":
                if (!hasSource)
                {
                    throw new BadRequestException($"{path}.source: Field required", path + ".source");
                }

                var imageUrl = ReadImageSource(ref source, path + ".source");
                counts.Images++;
                return new Block(BlockKind.Image, new ContentPart(ContentPartKind.Image, Url: imageUrl));
            case "tool_use" when !nested:
                if (id is null || name is null || !hasInput)
                {
                    var missing = id is null ? "id" : name is null ? "name" : "input";
                    throw new BadRequestException($"{path}.{missing}: Field required", $"{path}.{missing}");
                }

                counts.Chars += name.Length + input!.Length;
                return new Block(BlockKind.ToolUse, Call: new ToolCall(id, name, input));
            case "tool_result" when !nested:
                if (toolUseId is null)
                {
                    throw new BadRequestException($"{path}.tool_use_id: Field required", path + ".tool_use_id");
                }

                return new Block(BlockKind.ToolResult, ToolUseId: toolUseId, Parts: resultParts ?? [], IsError: isError);
            case "document" or "thinking" or "redacted_thinking" or "search_result" or "server_tool_use" or "web_search_tool_result" or "container_upload":
                throw new BadRequestException($"{path}.type: '{type}' blocks cannot be translated for an OpenAI-style upstream.", path + ".type");
            default:
                throw new BadRequestException(
                    $"{path}.type: Input tag '{Clip(type)}' found using 'type' does not match any of the expected tags: {(nested ? "'text', 'image'" : "'text', 'image', 'tool_use', 'tool_result'")}.",
                    path + ".type");
        }
    }

    private static List<ContentPart> ReadToolResultContent(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, ref Counts counts)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = reader.GetString()!;
            counts.Chars += text.Length;
            return [new ContentPart(ContentPartKind.Text, text)];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"{path}: Input should be a valid string or a list of content blocks, but got {Describe(reader.TokenType)}.", path);
        }

        var parts = new List<ContentPart>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var blockPath = $"{path}.{parts.Count}";
            var block = ReadBlock(ref reader, body, blockPath, ref counts, nested: true);
            if (block.Kind == BlockKind.Image)
            {
                // OpenAI-style tool messages carry text only; an image here would have to be dropped.
                throw new BadRequestException($"{blockPath}: images inside a tool_result cannot be translated for an OpenAI-style upstream (tool messages carry text only).", blockPath);
            }

            parts.Add(block.Part!);
        }

        return parts;
    }

    /// <summary>An image source as a URL: <c>url</c> sources as they are, <c>base64</c> as a data: URL (both are what OpenAI's image_url takes).</summary>
    private static string ReadImageSource(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path);
        string? type = null, mediaType = null, data = null, url = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString();
            reader.Read();
            switch (p)
            {
                case "type":
                    type = ReadString(ref reader, path, ".type");
                    break;
                case "media_type":
                    mediaType = ReadString(ref reader, path, ".media_type");
                    break;
                case "data":
                    data = ReadString(ref reader, path, ".data");
                    break;
                case "url":
                    url = ReadString(ref reader, path, ".url");
                    break;
                default:
                    throw Unsupported(path + "." + p);
            }
        }

        switch (type)
        {
            case "base64":
                if (mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp"))
                {
                    throw new BadRequestException($"{path}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'.", path + ".media_type");
                }

                if (data is null)
                {
                    throw new BadRequestException($"{path}.data: Field required", path + ".data");
                }

                return $"data:{mediaType};base64,{data}";
            case "url":
                return url ?? throw new BadRequestException($"{path}.url: Field required", path + ".url");
            case "file":
                throw new BadRequestException($"{path}.type: 'file' image sources (Anthropic Files API) cannot be translated for an OpenAI-style upstream.", path + ".type");
            default:
                throw new BadRequestException($"{path}.type: Input tag '{Clip(type ?? "")}' found using 'type' does not match any of the expected tags: 'base64', 'url'.", path + ".type");
        }
    }

    private static List<ToolDefinition> ReadTools(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"tools: Input should be a valid list, but got {Describe(reader.TokenType)}.", "tools");
        }

        var tools = new List<ToolDefinition>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var path = $"tools.{tools.Count}";
            ExpectObject(ref reader, path);
            string? type = null, name = null, description = null, schema = null;
            bool? strict = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
            {
                var p = reader.GetString();
                reader.Read();
                switch (p)
                {
                    case "type":
                        type = ReadString(ref reader, path, ".type");
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
                            throw new BadRequestException($"{path}.input_schema: Input should be a valid dictionary, but got {Describe(reader.TokenType)}.", path + ".input_schema");
                        }

                        schema = RawSlice(ref reader, body);
                        break;
                    case "strict":
                        strict = ReadBool(ref reader, path, ".strict");
                        break;
                    case "cache_control":
                        ReadCacheControl(ref reader, path);
                        break;
                    default:
                        throw Unsupported(path + "." + p);
                }
            }

            if (type is not (null or "custom"))
            {
                throw new BadRequestException($"{path}.type: Anthropic server tool '{Clip(type)}' cannot be translated for an OpenAI-style upstream; only custom tools (name, description, input_schema) can.", path + ".type");
            }

            if (name is null)
            {
                throw new BadRequestException($"{path}.name: Field required", path + ".name");
            }

            if (schema is null)
            {
                throw new BadRequestException($"{path}.input_schema: Field required", path + ".input_schema");
            }

            counts.Chars += name.Length + (description?.Length ?? 0) + schema.Length;
            tools.Add(new ToolDefinition(name, description, schema, strict));
        }

        return tools;
    }

    private static (ToolChoice Choice, bool? Parallel) ReadToolChoice(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "tool_choice");
        string? type = null, name = null;
        bool? disableParallel = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString();
            reader.Read();
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
            "tool" => new ToolChoice(ToolChoiceMode.Named, name ?? throw new BadRequestException("tool_choice.name: Field required", "tool_choice.name")),
            null => throw new BadRequestException("tool_choice.type: Field required", "tool_choice.type"),
            _ => throw new BadRequestException($"tool_choice.type: Input tag '{Clip(type)}' found using 'type' does not match any of the expected tags: 'auto', 'any', 'tool', 'none'.", "tool_choice.type"),
        };
        if (disableParallel is not null && type == "none")
        {
            throw Unsupported("tool_choice.disable_parallel_tool_use");
        }

        return (choice, disableParallel is { } d ? !d : null);
    }

    /// <summary><c>output_config.format</c> (structured output) becomes an OpenAI <c>json_schema</c> response format.</summary>
    private static ResponseFormat? ReadOutputConfig(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        ExpectObject(ref reader, "output_config");
        ResponseFormat? format = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString();
            reader.Read();
            if (p == "format")
            {
                if (reader.TokenType == JsonTokenType.Null)
                {
                    continue;
                }

                ExpectObject(ref reader, "output_config.format");
                string? type = null, schema = null;
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var q = reader.GetString();
                    reader.Read();
                    if (q == "type")
                    {
                        type = ReadString(ref reader, "output_config.format.type");
                    }
                    else if (q == "schema")
                    {
                        if (reader.TokenType != JsonTokenType.StartObject)
                        {
                            throw new BadRequestException($"output_config.format.schema: Input should be a valid dictionary, but got {Describe(reader.TokenType)}.", "output_config.format.schema");
                        }

                        schema = RawSlice(ref reader, body);
                    }
                    else
                    {
                        throw Unsupported("output_config.format." + q);
                    }
                }

                if (type != "json_schema")
                {
                    throw new BadRequestException("output_config.format.type: Input should be 'json_schema'.", "output_config.format.type");
                }

                if (schema is null)
                {
                    throw new BadRequestException("output_config.format.schema: Field required", "output_config.format.schema");
                }

                counts.Chars += schema.Length;
                format = new ResponseFormat(ResponseFormatKind.JsonSchema, "output", schema, Strict: true);
            }
            else if (p == "effort" && reader.TokenType == JsonTokenType.Null)
            {
                continue;
            }
            else
            {
                throw Unsupported("output_config." + p);
            }
        }

        return format;
    }

    /// <summary>Extended thinking has no OpenAI chat-completions equivalent; only an explicit "disabled" is accepted.</summary>
    private static void ReadThinking(ref Utf8JsonReader reader)
    {
        ExpectObject(ref reader, "thinking");
        string? type = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString();
            reader.Read();
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
            throw new BadRequestException("thinking: extended thinking cannot be translated for an OpenAI-style upstream; omit it or set {\"type\": \"disabled\"}.", "thinking");
        }
    }

    private static string? ReadMetadata(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        ExpectObject(ref reader, "metadata");
        string? user = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString();
            reader.Read();
            if (p != "user_id")
            {
                throw new BadRequestException($"metadata.{p}: Extra inputs are not permitted", "metadata." + p);
            }

            if (reader.TokenType != JsonTokenType.Null)
            {
                user = ReadString(ref reader, "metadata.user_id");
            }
        }

        return user;
    }

    /// <summary>Prompt-caching breakpoints are hints; OpenAI-style upstreams cache prefixes on their own, so the hint is validated and has no further effect.</summary>
    private static void ReadCacheControl(ref Utf8JsonReader reader, string owner)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            ExpectObject(ref reader, owner + ".cache_control");
        }

        var path = owner;
        string? type = null;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var p = reader.GetString();
            reader.Read();
            if (p == "type")
            {
                type = ReadString(ref reader, path, ".cache_control.type");
            }
            else
            {
                reader.Skip();
            }
        }

        if (type != "ephemeral")
        {
            throw new BadRequestException($"{path}.cache_control.type: Input should be 'ephemeral'.", path + ".cache_control.type");
        }
    }

    private static List<string> ReadStringArray(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new BadRequestException($"{path}: Input should be a valid list, but got {Describe(reader.TokenType)}.", path);
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadString(ref reader, $"{path}.{list.Count}"));
        }

        return list;
    }

    private static string RawSlice(ref Utf8JsonReader reader, ReadOnlySpan<byte> body)
    {
        // The reader runs over the whole body, so the value's JSON text is a slice of it: no re-serialisation.
        var start = (int)reader.TokenStartIndex;
        reader.Skip();
        return Encoding.UTF8.GetString(body[start..(int)reader.BytesConsumed]);
    }

    private static void ExpectObject(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new BadRequestException($"{path}: Input should be a valid dictionary, but got {Describe(reader.TokenType)}.", path);
        }
    }

    // The path is passed as prefix and suffix and joined only for an error: valid requests build no path strings.
    private static string ReadString(ref Utf8JsonReader reader, string path, string? suffix = null) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new BadRequestException($"{path}{suffix}: Input should be a valid string, but got {Describe(reader.TokenType)}.", path + suffix);

    private static bool ReadBool(ref Utf8JsonReader reader, string path, string? suffix = null) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new BadRequestException($"{path}{suffix}: Input should be a valid boolean, but got {Describe(reader.TokenType)}.", path + suffix),
    };

    private static int ReadInt(ref Utf8JsonReader reader, string path, int min)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new BadRequestException($"{path}: Input should be a valid integer, but got {Describe(reader.TokenType)}.", path);
        }

        if (value < min || value > int.MaxValue)
        {
            throw new BadRequestException($"{path}: Input should be greater than or equal to {min}.", path);
        }

        return (int)value;
    }

    private static double ReadNumber(ref Utf8JsonReader reader, string path, double min, double max)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new BadRequestException($"{path}: Input should be a valid number, but got {Describe(reader.TokenType)}.", path);
        }

        var value = reader.GetDouble();
        if (value < min || value > max)
        {
            throw new BadRequestException($"{path}: Input should be between {min} and {max}.", path);
        }

        return value;
    }

    private static BadRequestException Unsupported(string path) =>
        new($"{path}: Extra inputs are not permitted (or the field has no translation for an OpenAI-style upstream).", path);

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

    private sealed class BadRequestException(string message, string? param) : Exception(message)
    {
        public string? Param { get; } = param;
    }
}
