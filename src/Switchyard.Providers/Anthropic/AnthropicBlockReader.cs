using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.Anthropic.AnthropicFieldReader;
using static Switchyard.Providers.Anthropic.AnthropicMessagesReader;
using static Switchyard.Providers.Anthropic.AnthropicOptionsReader;

namespace Switchyard.Providers.Anthropic;

/// <summary>Anthropic content blocks: each block's fields read once its type is known, its text recorded as segments.</summary>
internal static class AnthropicBlockReader
{
    internal static List<Block> ReadBlocks(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, ref Counts counts)
    {
        var blocks = new List<Block>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            blocks.Add(ReadBlock(ref reader, body, $"{path}.{blocks.Count}", ref counts, nested: false));
        }

        return blocks;
    }

    /// <summary>The fields of the content blocks the canonical model carries (text, image, tool_use, tool_result).</summary>
    [Flags]
    internal enum BlockField
    {
        None = 0,
        Text = 1 << 0,
        CacheControl = 1 << 1,
        Source = 1 << 2,
        Id = 1 << 3,
        Name = 1 << 4,
        Input = 1 << 5,
        ToolUseId = 1 << 6,
        IsError = 1 << 7,
        Content = 1 << 8,
        Citations = 1 << 9,
        Caller = 1 << 10,
        ToolsetName = 1 << 11,
        Transformations = 1 << 12,
    }

    internal const int BlockFieldCount = 13;

    internal static BlockField FieldOf(string name) => name switch
    {
        "text" => BlockField.Text,
        "cache_control" => BlockField.CacheControl,
        "source" => BlockField.Source,
        "id" => BlockField.Id,
        "name" => BlockField.Name,
        "input" => BlockField.Input,
        "tool_use_id" => BlockField.ToolUseId,
        "is_error" => BlockField.IsError,
        "content" => BlockField.Content,
        "citations" => BlockField.Citations,
        "caller" => BlockField.Caller,
        "toolset_name" => BlockField.ToolsetName,
        "transformations" => BlockField.Transformations,
        _ => BlockField.None,
    };

    internal static string FieldName(BlockField field) => field switch
    {
        BlockField.Text => "text",
        BlockField.CacheControl => "cache_control",
        BlockField.Source => "source",
        BlockField.Id => "id",
        BlockField.Name => "name",
        BlockField.Input => "input",
        BlockField.ToolUseId => "tool_use_id",
        BlockField.IsError => "is_error",
        BlockField.Content => "content",
        BlockField.Citations => "citations",
        BlockField.Caller => "caller",
        BlockField.ToolsetName => "toolset_name",
        _ => "transformations",
    };

    /// <summary>The fields Anthropic's schema allows on each block type the canonical model carries.</summary>
    internal static BlockField Allowed(string type) => type switch
    {
        "text" => BlockField.Text | BlockField.CacheControl | BlockField.Citations,
        "image" => BlockField.Source | BlockField.CacheControl | BlockField.Transformations,
        "tool_use" => BlockField.Id | BlockField.Name | BlockField.Input | BlockField.CacheControl | BlockField.Caller | BlockField.ToolsetName,
        _ => BlockField.ToolUseId | BlockField.Content | BlockField.IsError | BlockField.CacheControl | BlockField.ToolsetName,
    };

    /// <summary>
    /// One content block; <paramref name="nested"/> for the blocks inside a tool_result. Fields are read once the type
    /// is known: it may come last (the Python SDK writes a reply's blocks back with <c>type</c> after the other fields).
    /// </summary>
    internal static Block ReadBlock(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, ref Counts counts, bool nested)
    {
        ExpectObject(ref reader, path);
        string? type = null, unknown = null;
        Span<int> at = stackalloc int[BlockFieldCount];
        var seen = BlockField.None;
        while (NextProperty(ref reader, out var p))
        {
            if (p == "type")
            {
                type = ReadString(ref reader, path, ".type");
                continue;
            }

            var field = FieldOf(p);
            if (field == BlockField.None)
            {
                unknown ??= p;
            }
            else
            {
                seen |= field;
                at[Index(field)] = (int)reader.TokenStartIndex;
            }

            if (nested)
            {
                // Recorded with the tool_result that holds it (the block is read a second time from its offsets).
                reader.Skip();
            }
            else
            {
                // Blocks are prompt text ("content", "system"): every string but identifiers, types and base64 data is recorded.
                counts.Segments.Skip(ref reader, p, inZone: true);
            }
        }

        if (type is null)
        {
            throw new RequestFieldException($"{path}.type: Field required", path + ".type");
        }

        if (UntranslatableBlock(type, nested) is { } what)
        {
            // Forwarded as sent to an Anthropic upstream (invariant 7), which checks its fields; any other format refuses the request naming it.
            (counts.Untranslatable ??= []).Add(new UntranslatableField(path, what));
            return new Block(BlockKind.Untranslatable);
        }

        if (type is not ("text" or "image") && (nested || type is not ("tool_use" or "tool_result")))
        {
            throw new RequestFieldException(
                $"{path}.type: Input tag '{RequestJson.Clip(type)}' found using 'type' does not match any of the expected tags: {(nested ? NestedTags : BlockTags)}.",
                path + ".type");
        }

        if (unknown is not null)
        {
            throw Unsupported(path + "." + unknown);
        }

        if ((seen & ~Allowed(type)) is var extra and not BlockField.None)
        {
            throw Unsupported(path + "." + FieldName((BlockField)((int)extra & -(int)extra)));
        }

        if (seen.HasFlag(BlockField.CacheControl))
        {
            var r = At(body, at, BlockField.CacheControl);
            ReadCacheControl(ref r, path, ".cache_control");
        }

        switch (type)
        {
            case "text":
                if (!seen.HasFlag(BlockField.Text))
                {
                    throw new RequestFieldException($"{path}.text: Field required", path + ".text");
                }

                var textReader = At(body, at, BlockField.Text);
                var text = textReader.TokenType == JsonTokenType.String
                    && counts.Segments.Claim(counts.Segments.OffsetOf(body) + at[Index(BlockField.Text)], TextSegmentKind.Content) is { } recorded
                    ? recorded
                    : ReadString(ref textReader, path, ".text");
                if (seen.HasFlag(BlockField.Citations))
                {
                    var r = At(body, at, BlockField.Citations);
                    ReadCitations(ref r, path, ref counts);
                }

                counts.Chars += text.Length;
                return new Block(BlockKind.Text, new ContentPart(ContentPartKind.Text, text));
            case "image":
                if (!seen.HasFlag(BlockField.Source))
                {
                    throw new RequestFieldException($"{path}.source: Field required", path + ".source");
                }

                if (seen.HasFlag(BlockField.Transformations))
                {
                    var r = At(body, at, BlockField.Transformations);
                    NoteUnlessEmpty(ref r, path + ".transformations", "image transformations", ref counts);
                }

                var sourceReader = At(body, at, BlockField.Source);
                var imageUrl = ReadImageSource(ref sourceReader, path + ".source");
                if (imageUrl is null)
                {
                    (counts.Untranslatable ??= []).Add(new UntranslatableField(path + ".source", "'file' image sources (Anthropic Files API)"));
                    return new Block(BlockKind.Untranslatable);
                }

                if (nested)
                {
                    // OpenAI-style tool messages and Gemini function responses carry text only.
                    (counts.Untranslatable ??= []).Add(new UntranslatableField(path, "images inside a tool_result"));
                    return new Block(BlockKind.Untranslatable);
                }

                counts.Images++;
                return new Block(BlockKind.Image, new ContentPart(ContentPartKind.Image, Url: imageUrl));
            case "tool_use":
                if ((~seen & (BlockField.Id | BlockField.Name | BlockField.Input)) is var missing and not BlockField.None)
                {
                    var name = FieldName((BlockField)((int)missing & -(int)missing));
                    throw new RequestFieldException($"{path}.{name}: Field required", $"{path}.{name}");
                }

                var idReader = At(body, at, BlockField.Id);
                var nameReader = At(body, at, BlockField.Name);
                var inputReader = At(body, at, BlockField.Input);
                var id = ReadString(ref idReader, path, ".id");
                var toolName = ReadString(ref nameReader, path, ".name");
                if (inputReader.TokenType != JsonTokenType.StartObject)
                {
                    throw new RequestFieldException($"{path}.input: Input should be a valid dictionary, but got {RequestJson.Describe(inputReader.TokenType)}.", path + ".input");
                }

                var input = RequestJson.RawSlice(ref inputReader, body[at[Index(BlockField.Input)]..]);
                var call = new ToolCall(id, toolName, input);
                var inputStart = counts.Segments.OffsetOf(body) + at[Index(BlockField.Input)];
                counts.Segments.ToolInput(inputStart, inputStart + (int)inputReader.BytesConsumed, call);
                if (seen.HasFlag(BlockField.Caller))
                {
                    var r = At(body, at, BlockField.Caller);
                    ReadCaller(ref r, path + ".caller", ref counts);
                }

                if (seen.HasFlag(BlockField.ToolsetName))
                {
                    var r = At(body, at, BlockField.ToolsetName);
                    ReadToolsetName(ref r, path, ref counts);
                }

                counts.Chars += toolName.Length + input.Length;
                return new Block(BlockKind.ToolUse, Call: call);
            default:
                if (!seen.HasFlag(BlockField.ToolUseId))
                {
                    throw new RequestFieldException($"{path}.tool_use_id: Field required", path + ".tool_use_id");
                }

                var toolUseIdReader = At(body, at, BlockField.ToolUseId);
                var toolUseId = ReadString(ref toolUseIdReader, path, ".tool_use_id");
                var isError = false;
                if (seen.HasFlag(BlockField.IsError))
                {
                    var r = At(body, at, BlockField.IsError);
                    isError = ReadBool(ref r, path, ".is_error");
                }

                if (seen.HasFlag(BlockField.ToolsetName))
                {
                    var r = At(body, at, BlockField.ToolsetName);
                    ReadToolsetName(ref r, path, ref counts);
                }

                List<ContentPart>? resultParts = null;
                if (seen.HasFlag(BlockField.Content))
                {
                    var start = at[Index(BlockField.Content)];
                    var r = At(body, at, BlockField.Content);
                    resultParts = ReadToolResultContent(ref r, body[start..], path + ".content", ref counts);
                }

                return new Block(BlockKind.ToolResult, ToolUseId: toolUseId, Parts: resultParts ?? [], IsError: isError);
        }
    }

    internal const string BlockTags = "'text', 'image', 'tool_use', 'tool_result', or one of the Anthropic-only block types";
    internal const string NestedTags = "'text', 'image', 'search_result', 'document', 'tool_reference', 'browser_state'";

    internal static int Index(BlockField field) => System.Numerics.BitOperations.TrailingZeroCount((int)field);

    /// <summary>A reader positioned on a field's value, read earlier (its start offset kept in <paramref name="at"/>).</summary>
    internal static Utf8JsonReader At(ReadOnlySpan<byte> body, ReadOnlySpan<int> at, BlockField field)
    {
        var reader = new Utf8JsonReader(body[at[Index(field)]..], RequestJson.ReaderOptions);
        reader.Read();
        return reader;
    }

    /// <summary>The Anthropic block types the canonical model does not carry; docs/translation.md lists them.</summary>
    public static readonly IReadOnlyList<string> UntranslatableBlocks =
    [
        "thinking", "redacted_thinking", "document", "search_result", "server_tool_use", "web_search_tool_result", "web_fetch_tool_result",
        "code_execution_tool_result", "bash_code_execution_tool_result", "text_editor_code_execution_tool_result", "tool_search_tool_result",
        "container_upload", "tool_reference", "browser_state",
    ];

    /// <summary>
    /// Block types the canonical model does not carry, with what they are; null for the ones it does, and for types
    /// Anthropic's schema does not allow where the block stands (top level, or inside a tool_result).
    /// </summary>
    internal static string? UntranslatableBlock(string? type, bool nested) => type switch
    {
        "thinking" or "redacted_thinking" when !nested => $"'{type}' blocks (extended thinking)",
        "document" or "search_result" => $"'{type}' blocks",
        "tool_reference" or "browser_state" when nested => $"'{type}' blocks",
        "server_tool_use" or "web_search_tool_result" or "web_fetch_tool_result" or "code_execution_tool_result" or "bash_code_execution_tool_result"
            or "text_editor_code_execution_tool_result" or "tool_search_tool_result" when !nested => $"'{type}' blocks (Anthropic server tools)",
        "container_upload" when !nested => $"'{type}' blocks",
        _ => null,
    };

    internal static List<ContentPart> ReadToolResultContent(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path, ref Counts counts)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = counts.Segments.Claim(counts.Segments.OffsetOf(body) + (int)reader.TokenStartIndex, TextSegmentKind.ToolResult) ?? reader.GetString()!;
            counts.Chars += text.Length;
            return [new ContentPart(ContentPartKind.Text, text)];
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"{path}: Input should be a valid string or a list of content blocks, but got {RequestJson.Describe(reader.TokenType)}.", path);
        }

        var parts = new List<ContentPart>();
        var index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            var block = ReadBlock(ref reader, body, $"{path}.{index++}", ref counts, nested: true);
            if (block.Part is { } part)
            {
                parts.Add(part);
            }
        }

        return parts;
    }
}
