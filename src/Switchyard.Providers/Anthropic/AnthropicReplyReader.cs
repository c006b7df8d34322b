using System.Text;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Reads Anthropic Messages replies (a <c>Message</c> body, or its stream events) into the canonical reply, for
/// clients of another format. Text blocks are joined, <c>tool_use</c> blocks become tool calls with their ids,
/// thinking blocks (which only an Anthropic client can receive with their signature) are not carried.
/// </summary>
public static class AnthropicReplyReader
{
    public static bool TryRead(ReadOnlyMemory<byte> body, out CanonicalResponse? response, out string? problem)
    {
        response = null;
        problem = null;
        if (!ReplyJson.TryParse(body, out var document))
        {
            problem = "The upstream answered with a body that is not JSON.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || ReplyJson.String(root, "type"u8) != "message" || !root.TryGetProperty("content"u8, out var content) || content.ValueKind != JsonValueKind.Array)
            {
                problem = "The upstream answered with a body that is not an Anthropic message.";
                return false;
            }

            var text = new StringBuilder();
            var calls = new List<ToolCall>();
            foreach (var block in content.EnumerateArray())
            {
                switch (ReplyJson.String(block, "type"u8))
                {
                    case "text":
                        text.Append(ReplyJson.String(block, "text"u8));
                        break;
                    case "tool_use":
                        calls.Add(new ToolCall(ReplyJson.String(block, "id"u8) ?? "", ReplyJson.String(block, "name"u8) ?? "",
                            block.TryGetProperty("input"u8, out var input) ? input.GetRawText() : "{}"));
                        break;
                }
            }

            response = new CanonicalResponse
            {
                Model = ReplyJson.String(root, "model"u8),
                Text = text.ToString(),
                ToolCalls = calls,
                Finish = Finish(ReplyJson.String(root, "stop_reason"u8)),
                MatchedStop = ReplyJson.String(root, "stop_sequence"u8),
                Usage = root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object ? ReadUsage(usage, null) : null,
            };
            return true;
        }
    }

    /// <summary>Null when a 2xx body is an Anthropic message (with its usage), else why not: the reply check of every adapter of this format.</summary>
    public static string? Check(byte[] body, out Usage? usage)
    {
        if (!TryRead(body, out var reply, out _))
        {
            usage = null;
            return "The upstream answered with a body that is not an Anthropic message.";
        }

        usage = reply!.Usage;
        return null;
    }

    /// <summary>Anthropic <c>stop_reason</c> → the canonical reason.</summary>
    public static FinishReason Finish(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => FinishReason.Length,
        "tool_use" => FinishReason.ToolCalls,
        "stop_sequence" => FinishReason.StopSequence,
        "refusal" => FinishReason.ContentFilter,
        _ => FinishReason.Stop,
    };

    /// <summary>
    /// Anthropic usage → canonical: <c>input_tokens</c> excludes cache reads and writes, the canonical input counts
    /// cache reads (as OpenAI's does) and keeps cache writes apart. A <c>message_delta</c> usage updates what
    /// <c>message_start</c> reported (<paramref name="previous"/>).
    /// </summary>
    internal static Usage ReadUsage(JsonElement usage, Usage? previous)
    {
        var prior = previous ?? default;
        var input = Has(usage, "input_tokens"u8) ? ReplyJson.Int(usage, "input_tokens"u8) : prior.InputTokens - prior.CachedInputTokens;
        var cacheRead = Has(usage, "cache_read_input_tokens"u8) ? ReplyJson.Int(usage, "cache_read_input_tokens"u8) : prior.CachedInputTokens;
        var cacheWrite = Has(usage, "cache_creation_input_tokens"u8) ? ReplyJson.Int(usage, "cache_creation_input_tokens"u8) : prior.CacheWriteTokens;
        var output = Has(usage, "output_tokens"u8) ? ReplyJson.Int(usage, "output_tokens"u8) : prior.OutputTokens;
        return new Usage(input + cacheRead, output, cacheRead, cacheWrite);
    }

    private static bool Has(JsonElement element, ReadOnlySpan<byte> name) => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number;
}

/// <summary>
/// Decodes Anthropic stream events into canonical deltas: <c>message_start</c> → start and input usage; a
/// <c>tool_use</c> block start → a tool call (numbered among tool calls only); <c>text_delta</c> and
/// <c>input_json_delta</c> → text and argument pieces; <c>message_delta</c> → finish and usage. Thinking blocks and
/// their deltas are skipped; <c>ping</c>, block stops and <c>message_stop</c> carry nothing.
/// </summary>
public sealed class AnthropicEventDecoder : IStreamDecoder
{
    private readonly Dictionary<int, int> _toolOfBlock = [];
    private Usage? _usage;

    public bool Decode(ReadOnlyMemory<byte> data, List<StreamDelta> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!ReplyJson.TryParse(data, out var document))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            var index = root.TryGetProperty("index"u8, out var i) && i.TryGetInt32(out var n) ? n : 0;
            switch (ReplyJson.String(root, "type"u8))
            {
                case "message_start":
                    root.TryGetProperty("message"u8, out var message);
                    var hasMessage = message.ValueKind == JsonValueKind.Object;
                    output.Add(new StreamDelta(StreamDeltaKind.Start, hasMessage ? ReplyJson.String(message, "model"u8) : null));
                    if (hasMessage && message.TryGetProperty("usage"u8, out var startUsage) && startUsage.ValueKind == JsonValueKind.Object)
                    {
                        _usage = AnthropicReplyReader.ReadUsage(startUsage, null);
                        output.Add(new StreamDelta(StreamDeltaKind.Usage, Usage: _usage.Value));
                    }

                    return true;
                case "content_block_start":
                    if (root.TryGetProperty("content_block"u8, out var block) && ReplyJson.String(block, "type"u8) == "tool_use")
                    {
                        var tool = _toolOfBlock.Count;
                        _toolOfBlock[index] = tool;
                        output.Add(new StreamDelta(StreamDeltaKind.ToolCallStart, Index: tool, Id: ReplyJson.String(block, "id"u8), Name: ReplyJson.String(block, "name"u8)));
                    }
                    else if (ReplyJson.String(block, "type"u8) == "text" && ReplyJson.String(block, "text"u8) is { Length: > 0 } initial)
                    {
                        output.Add(new StreamDelta(StreamDeltaKind.Text, initial));
                    }

                    return true;
                case "content_block_delta":
                    if (!root.TryGetProperty("delta"u8, out var delta))
                    {
                        return false;
                    }

                    switch (ReplyJson.String(delta, "type"u8))
                    {
                        case "text_delta":
                            output.Add(new StreamDelta(StreamDeltaKind.Text, ReplyJson.String(delta, "text"u8)));
                            break;
                        case "input_json_delta" when _toolOfBlock.TryGetValue(index, out var toolIndex):
                            output.Add(new StreamDelta(StreamDeltaKind.ToolArguments, ReplyJson.String(delta, "partial_json"u8), toolIndex));
                            break;
                    }

                    return true;
                case "message_delta":
                    if (root.TryGetProperty("delta"u8, out var messageDelta) && ReplyJson.String(messageDelta, "stop_reason"u8) is { } stop)
                    {
                        output.Add(new StreamDelta(StreamDeltaKind.Finish, Finish: AnthropicReplyReader.Finish(stop), MatchedStop: ReplyJson.String(messageDelta, "stop_sequence"u8)));
                    }

                    if (root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
                    {
                        _usage = AnthropicReplyReader.ReadUsage(usage, _usage);
                        output.Add(new StreamDelta(StreamDeltaKind.Usage, Usage: _usage.Value));
                    }

                    return true;
                case "content_block_stop" or "message_stop" or "ping":
                    return true;
                default:
                    // An error event, or a type this gateway does not know: the stream cannot be translated further.
                    return false;
            }
        }
    }
}

/// <summary>Anthropic events: <c>message_stop</c> ends the stream; usage from <c>message_start</c> and <c>message_delta</c>; an <c>error</c> event fails it.</summary>
internal sealed class AnthropicEventScanner : IEventScanner
{
    private Usage? _usage;

    public bool Scan(in SseEvent evt, out ScannedEvent scanned)
    {
        scanned = default;
        if (!ReplyJson.TryParse(evt.Data, out var document))
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            switch (ReplyJson.String(root, "type"u8))
            {
                case "error":
                    return false;
                case "message_stop":
                    scanned = new ScannedEvent(IsDone: true, false, false, null, 0);
                    return true;
                case "message_start" when root.TryGetProperty("message"u8, out var message) && message.ValueKind == JsonValueKind.Object
                    && message.TryGetProperty("usage"u8, out var startUsage) && startUsage.ValueKind == JsonValueKind.Object:
                    _usage = AnthropicReplyReader.ReadUsage(startUsage, null);
                    scanned = new ScannedEvent(false, false, false, _usage, 0);
                    return true;
                case "message_delta":
                    if (root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
                    {
                        _usage = AnthropicReplyReader.ReadUsage(usage, _usage);
                    }

                    scanned = new ScannedEvent(false, false, IsFinish: true, _usage, 0);
                    return true;
                case "content_block_delta" when root.TryGetProperty("delta"u8, out var delta):
                    var chars = (ReplyJson.String(delta, "text"u8)?.Length ?? 0) + (ReplyJson.String(delta, "partial_json"u8)?.Length ?? 0)
                        + (ReplyJson.String(delta, "thinking"u8)?.Length ?? 0);
                    scanned = new ScannedEvent(false, false, false, null, chars);
                    return true;
                default:
                    return true;
            }
        }
    }
}
