using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.Anthropic.AnthropicBlockReader;
using static Switchyard.Providers.Anthropic.AnthropicFieldReader;

namespace Switchyard.Providers.Anthropic;

/// <summary>The <c>system</c> and <c>messages</c> of an Anthropic request, turned into canonical messages (tool results first in a user turn).</summary>
internal static class AnthropicMessagesReader
{
    internal static List<ChatMessage>? ReadSystem(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                var text = counts.Segments.Read(ref reader, TextSegmentKind.System);
                counts.Chars += text.Length;
                return text.Length == 0 ? null : [new ChatMessage { Role = ChatRole.System, Content = [new ContentPart(ContentPartKind.Text, text)], ContentIsString = true }];
            case JsonTokenType.StartArray:
                var parts = new List<ContentPart>();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                {
                    var path = $"system.{parts.Count}";
                    // System blocks are text blocks (same fields: cache_control, citations).
                    var block = ReadBlock(ref reader, body, path, ref counts, nested: false);
                    if (block.Kind != BlockKind.Text)
                    {
                        throw new RequestFieldException($"{path}.type: system blocks must be of type 'text'.", path + ".type");
                    }

                    parts.Add(block.Part!);
                }

                return parts.Count == 0 ? null : [new ChatMessage { Role = ChatRole.System, Content = parts }];
            case JsonTokenType.Null:
                return null;
            default:
                throw new RequestFieldException($"system: Input should be a valid string or a list of text blocks, but got {RequestJson.Describe(reader.TokenType)}.", "system");
        }
    }

    internal static List<ChatMessage> ReadMessages(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, ref Counts counts)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"messages: Input should be a valid list, but got {RequestJson.Describe(reader.TokenType)}.", "messages");
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
            while (NextProperty(ref reader, out var p))
            {
                switch (p)
                {
                    case "role":
                        role = ReadString(ref reader, path, ".role");
                        if (role is not ("user" or "assistant" or "system"))
                        {
                            throw new RequestFieldException($"{path}.role: Input should be 'user', 'assistant' or 'system'.", path + ".role");
                        }

                        break;
                    case "content":
                        if (reader.TokenType == JsonTokenType.String)
                        {
                            var text = counts.Segments.Read(ref reader, TextSegmentKind.Content);
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
                            throw new RequestFieldException($"{path}.content: Input should be a valid string or a list of content blocks, but got {RequestJson.Describe(reader.TokenType)}.", path + ".content");
                        }

                        break;
                    default:
                        throw Unsupported(path + "." + p);
                }
            }

            if (role is null)
            {
                throw new RequestFieldException($"{path}.role: Field required", path + ".role");
            }

            if (blocks is null)
            {
                throw new RequestFieldException($"{path}.content: Field required", path + ".content");
            }

            HashSet<string>? toolUses = null;
            if (role == "system")
            {
                var parts = new List<ContentPart>(blocks.Count);
                for (var i = 0; i < blocks.Count; i++)
                {
                    if (blocks[i].Kind != BlockKind.Text)
                    {
                        throw new RequestFieldException($"{path}.content.{i}: a {BlockName(blocks[i].Kind)} block is not allowed in a system message.", $"{path}.content.{i}");
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
                        case BlockKind.Untranslatable:
                            break;
                        case BlockKind.ToolUse:
                            (calls ??= []).Add(block.Call!);
                            if (!(toolUses ??= new HashSet<string>(StringComparer.Ordinal)).Add(block.Call!.Id))
                            {
                                throw new RequestFieldException($"{path}.content.{i}.id: tool_use ids must be unique; '{RequestJson.Clip(block.Call.Id)}' is repeated.", $"{path}.content.{i}.id");
                            }

                            break;
                        default:
                            throw new RequestFieldException($"{path}.content.{i}: a {BlockName(block.Kind)} block is not allowed in an assistant message.", $"{path}.content.{i}");
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
                                throw new RequestFieldException(
                                    $"{path}.content.{i}: unexpected `tool_use_id` found in `tool_result` blocks: {RequestJson.Clip(block.ToolUseId!)}. Each `tool_result` block must have a corresponding `tool_use` block in the previous message.",
                                    $"{path}.content.{i}.tool_use_id");
                            }

                            result.Add(new ChatMessage { Role = ChatRole.Tool, ToolCallId = block.ToolUseId, Content = block.Parts!, IsError = block.IsError });
                            break;
                        case BlockKind.Text or BlockKind.Image:
                            (parts ??= []).Add(block.Part!);
                            break;
                        case BlockKind.Untranslatable:
                            break;
                        default:
                            throw new RequestFieldException($"{path}.content.{i}: a {BlockName(block.Kind)} block is not allowed in a user message.", $"{path}.content.{i}");
                    }
                }

                // A turn of untranslatable blocks only still counts (the raw body carries it to an Anthropic upstream).
                if (parts is not null || blocks.TrueForAll(b => b.Kind == BlockKind.Untranslatable) && blocks.Count > 0)
                {
                    result.Add(new ChatMessage { Role = ChatRole.User, Content = parts ?? [], ContentIsString = contentIsString });
                }
            }

            previousToolUses = toolUses;
            index++;
        }

        return result;
    }

    internal enum BlockKind
    {
        Untranslatable,
        Text,
        Image,
        ToolUse,
        ToolResult,
    }

    internal static string BlockName(BlockKind kind) => kind switch
    {
        BlockKind.Text => "text",
        BlockKind.Image => "image",
        BlockKind.ToolUse => "tool_use",
        _ => "tool_result",
    };

    internal sealed record Block(BlockKind Kind, ContentPart? Part = null, ToolCall? Call = null, string? ToolUseId = null, List<ContentPart>? Parts = null, bool IsError = false);

    internal struct Counts
    {
        public int Chars;
        public int Images;

        /// <summary>Names of Anthropic server tools in <c>tools</c> (a <c>tool_choice</c> may name one).</summary>
        public List<string>? ServerTools;

        /// <summary>The prompt text read so far (<see cref="CanonicalRequest.Segments"/>).</summary>
        public SegmentRecorder Segments;

        /// <summary>What the canonical model cannot carry (kept in the raw body for an Anthropic upstream).</summary>
        public List<UntranslatableField>? Untranslatable;
    }
}
