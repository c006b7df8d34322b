using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Canonical;
using Switchyard.Providers.Json;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers.Anthropic;

public static partial class AnthropicRequestParser
{
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
        while (NextProperty(ref reader, out var p))
        {
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
                        throw new RequestFieldException($"{path}.input: Input should be a valid dictionary, but got {RequestJson.Describe(reader.TokenType)}.", path + ".input");
                    }

                    input = RequestJson.RawSlice(ref reader, body);
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
                case var _ when UntranslatableBlock(type) is not null:
                    // thinking, signature, data, source … of a block only an Anthropic upstream can receive.
                    reader.Skip();
                    break;
                default:
                    throw Unsupported(path + "." + p);
            }
        }

        switch (type)
        {
            case null:
                throw new RequestFieldException($"{path}.type: Field required", path + ".type");
            case "text":
                if (text is null)
                {
                    throw new RequestFieldException($"{path}.text: Field required", path + ".text");
                }

                counts.Chars += text.Length;
                return new Block(BlockKind.Text, new ContentPart(ContentPartKind.Text, text));
            case "image":
                if (!hasSource)
                {
                    throw new RequestFieldException($"{path}.source: Field required", path + ".source");
                }

                var imageUrl = ReadImageSource(ref source, path + ".source");
                counts.Images++;
                return new Block(BlockKind.Image, new ContentPart(ContentPartKind.Image, Url: imageUrl));
            case "tool_use" when !nested:
                if (id is null || name is null || !hasInput)
                {
                    var missing = id is null ? "id" : name is null ? "name" : "input";
                    throw new RequestFieldException($"{path}.{missing}: Field required", $"{path}.{missing}");
                }

                counts.Chars += name.Length + input!.Length;
                return new Block(BlockKind.ToolUse, Call: new ToolCall(id, name, input));
            case "tool_result" when !nested:
                if (toolUseId is null)
                {
                    throw new RequestFieldException($"{path}.tool_use_id: Field required", path + ".tool_use_id");
                }

                return new Block(BlockKind.ToolResult, ToolUseId: toolUseId, Parts: resultParts ?? [], IsError: isError);
            case var _ when UntranslatableBlock(type) is { } what:
                // Forwarded as sent to an Anthropic upstream (invariant 7); any other format refuses the request naming it.
                (counts.Untranslatable ??= []).Add(new UntranslatableField(path, what));
                return new Block(BlockKind.Untranslatable);
            default:
                throw new RequestFieldException(
                    $"{path}.type: Input tag '{RequestJson.Clip(type)}' found using 'type' does not match any of the expected tags: {(nested ? "'text', 'image'" : "'text', 'image', 'tool_use', 'tool_result'")}.",
                    path + ".type");
        }
    }

    /// <summary>The Anthropic block types the canonical model does not carry; docs/translation.md lists them.</summary>
    public static readonly IReadOnlyList<string> UntranslatableBlocks =
        ["thinking", "redacted_thinking", "document", "search_result", "server_tool_use", "web_search_tool_result", "container_upload"];

    /// <summary>Block types the canonical model does not carry, with what they are; null for the ones it does.</summary>
    internal static string? UntranslatableBlock(string? type) => type switch
    {
        "thinking" or "redacted_thinking" => $"'{type}' blocks (extended thinking)",
        "document" or "search_result" or "server_tool_use" or "web_search_tool_result" or "container_upload" => $"'{type}' blocks",
        _ => null,
    };

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
            throw new RequestFieldException($"{path}: Input should be a valid string or a list of content blocks, but got {RequestJson.Describe(reader.TokenType)}.", path);
        }

        var parts = new List<ContentPart>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var blockPath = $"{path}.{parts.Count}";
            var block = ReadBlock(ref reader, body, blockPath, ref counts, nested: true);
            if (block.Kind == BlockKind.Image)
            {
                // OpenAI-style tool messages carry text only; an image here would have to be dropped.
                throw new RequestFieldException($"{blockPath}: images inside a tool_result cannot be translated for an OpenAI-style upstream (tool messages carry text only).", blockPath);
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
        while (NextProperty(ref reader, out var p))
        {
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
                    throw new RequestFieldException($"{path}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'.", path + ".media_type");
                }

                if (data is null)
                {
                    throw new RequestFieldException($"{path}.data: Field required", path + ".data");
                }

                return $"data:{mediaType};base64,{data}";
            case "url":
                return url ?? throw new RequestFieldException($"{path}.url: Field required", path + ".url");
            case "file":
                throw new RequestFieldException($"{path}.type: 'file' image sources (Anthropic Files API) cannot be translated for an OpenAI-style upstream.", path + ".type");
            default:
                throw new RequestFieldException($"{path}.type: Input tag '{RequestJson.Clip(type ?? "")}' found using 'type' does not match any of the expected tags: 'base64', 'url'.", path + ".type");
        }
    }
}
