using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Bedrock;

/// <summary>Pieces of Bedrock's Converse wire format shared by its writer, readers and adapter.</summary>
public static class BedrockWire
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Converse <c>stopReason</c> → the canonical reason: a guardrail that intervened and a filtered reply are a content
    /// filter; a full context window is a length stop.
    /// </summary>
    public static FinishReason Finish(string? stopReason) => stopReason switch
    {
        "max_tokens" or "model_context_window_exceeded" => FinishReason.Length,
        "tool_use" => FinishReason.ToolCalls,
        "stop_sequence" => FinishReason.StopSequence,
        "guardrail_intervened" or "content_filtered" => FinishReason.ContentFilter,
        _ => FinishReason.Stop,
    };

    /// <summary>
    /// Converse <c>usage</c> → canonical: <c>inputTokens</c> excludes cache reads and writes (as Anthropic's does); the
    /// canonical input counts cache reads and keeps cache writes apart.
    /// </summary>
    internal static Usage ReadUsage(JsonElement usage)
    {
        var cacheRead = ReplyJson.Int(usage, "cacheReadInputTokens"u8);
        return new Usage(ReplyJson.Int(usage, "inputTokens"u8) + cacheRead, ReplyJson.Int(usage, "outputTokens"u8), cacheRead, ReplyJson.Int(usage, "cacheWriteInputTokens"u8));
    }

    /// <summary>What a guardrail did, from <c>trace.guardrail</c>, for the reply's filter reason (e.g. <c>guardrail_intervened: BLOCKED</c>).</summary>
    internal static string? FilterReason(string? stopReason, JsonElement root)
    {
        if (stopReason is not ("guardrail_intervened" or "content_filtered"))
        {
            return null;
        }

        var action = root.TryGetProperty("trace"u8, out var trace) && trace.ValueKind == JsonValueKind.Object
            && trace.TryGetProperty("guardrail"u8, out var guardrail) && guardrail.ValueKind == JsonValueKind.Object
            ? ReplyJson.String(guardrail, "actionReason"u8)
            : null;
        return action is null ? stopReason : stopReason + ": " + action;
    }

    /// <summary>A stream event that reports an error: a member named <c>…Exception</c>, or a transport <c>error</c>.</summary>
    internal static bool IsError(JsonProperty member) =>
        member.Name.EndsWith("Exception", StringComparison.OrdinalIgnoreCase) || member.Name.EndsWith("Error", StringComparison.OrdinalIgnoreCase) || member.Name == "error";
}

/// <summary>
/// Reads a Converse reply (<c>output.message.content</c>, <c>stopReason</c>, <c>usage</c>, <c>trace</c>) into the
/// canonical reply: text blocks joined, <c>toolUse</c> blocks as tool calls with their ids, reasoning blocks skipped;
/// a guardrail's intervention as a content-filter stop with its reason.
/// </summary>
public static class ConverseReplyReader
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
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("output"u8, out var output) || output.ValueKind != JsonValueKind.Object
                || !output.TryGetProperty("message"u8, out var message) || !message.TryGetProperty("content"u8, out var content) || content.ValueKind != JsonValueKind.Array)
            {
                problem = "The upstream answered with a body that is not a Converse response.";
                return false;
            }

            var text = new StringBuilder();
            var calls = new List<ToolCall>();
            foreach (var block in content.EnumerateArray())
            {
                if (block.TryGetProperty("toolUse"u8, out var toolUse))
                {
                    calls.Add(new ToolCall(ReplyJson.String(toolUse, "toolUseId"u8) ?? "", ReplyJson.String(toolUse, "name"u8) ?? "",
                        toolUse.TryGetProperty("input"u8, out var input) ? input.GetRawText() : "{}"));
                }
                else if (ReplyJson.String(block, "text"u8) is { } piece)
                {
                    text.Append(piece);
                }
            }

            var stop = ReplyJson.String(root, "stopReason"u8);
            response = new CanonicalResponse
            {
                Text = text.ToString(),
                ToolCalls = calls,
                Finish = BedrockWire.Finish(stop),
                MatchedStop = root.TryGetProperty("additionalModelResponseFields"u8, out var extra) && extra.ValueKind == JsonValueKind.Object ? ReplyJson.String(extra, "stop_sequence"u8) : null,
                FilterReason = BedrockWire.FilterReason(stop, root),
                Usage = root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object ? BedrockWire.ReadUsage(usage) : null,
            };
            return true;
        }
    }
}

/// <summary>
/// Decodes ConverseStream events (as <see cref="EventStreamReader"/> names them) into canonical deltas:
/// <c>messageStart</c> → start; a <c>toolUse</c> block start → a tool call (numbered among tool calls only);
/// text and tool-input deltas; <c>messageStop</c> → finish; <c>metadata</c> → usage. An exception event is not
/// translatable (the stream fails).
/// </summary>
public sealed class ConverseEventDecoder : IStreamDecoder
{
    private readonly Dictionary<int, int> _toolOfBlock = [];

    public bool Decode(ReadOnlyMemory<byte> data, List<StreamDelta> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!ReplyJson.TryParse(data, out var document))
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                var evt = member.Value;
                var index = evt.ValueKind == JsonValueKind.Object && evt.TryGetProperty("contentBlockIndex"u8, out var i) && i.TryGetInt32(out var n) ? n : 0;
                switch (member.Name)
                {
                    case "messageStart":
                        output.Add(new StreamDelta(StreamDeltaKind.Start));
                        break;
                    case "contentBlockStart":
                        if (evt.TryGetProperty("start"u8, out var start) && start.TryGetProperty("toolUse"u8, out var toolUse))
                        {
                            var tool = _toolOfBlock.Count;
                            _toolOfBlock[index] = tool;
                            output.Add(new StreamDelta(StreamDeltaKind.ToolCallStart, Index: tool, Id: ReplyJson.String(toolUse, "toolUseId"u8), Name: ReplyJson.String(toolUse, "name"u8)));
                        }

                        break;
                    case "contentBlockDelta":
                        if (!evt.TryGetProperty("delta"u8, out var delta))
                        {
                            return false;
                        }

                        if (ReplyJson.String(delta, "text"u8) is { Length: > 0 } text)
                        {
                            output.Add(new StreamDelta(StreamDeltaKind.Text, text));
                        }
                        else if (delta.TryGetProperty("toolUse"u8, out var input) && _toolOfBlock.TryGetValue(index, out var toolIndex))
                        {
                            output.Add(new StreamDelta(StreamDeltaKind.ToolArguments, ReplyJson.String(input, "input"u8), toolIndex));
                        }

                        break;
                    case "messageStop":
                        output.Add(new StreamDelta(StreamDeltaKind.Finish, Finish: BedrockWire.Finish(ReplyJson.String(evt, "stopReason"u8)),
                            MatchedStop: evt.TryGetProperty("additionalModelResponseFields"u8, out var extra) && extra.ValueKind == JsonValueKind.Object ? ReplyJson.String(extra, "stop_sequence"u8) : null));
                        break;
                    case "metadata":
                        if (evt.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
                        {
                            output.Add(new StreamDelta(StreamDeltaKind.Usage, Usage: BedrockWire.ReadUsage(usage)));
                        }

                        break;
                    case "contentBlockStop":
                        break;
                    default:
                        // An exception event, or a member this gateway does not know: the stream cannot be translated further.
                        return false;
                }
            }
        }

        return true;
    }
}

/// <summary>ConverseStream events: <c>metadata</c> (usage, always last) ends the stream; <c>messageStop</c> is the finish; an exception fails it.</summary>
internal sealed class ConverseEventScanner : IEventScanner
{
    public bool Scan(in SseEvent evt, out ScannedEvent scanned)
    {
        scanned = default;
        if (!ReplyJson.TryParse(evt.Data, out var document))
        {
            return false;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var member in document.RootElement.EnumerateObject())
            {
                if (BedrockWire.IsError(member))
                {
                    return false;
                }

                var value = member.Value;
                switch (member.Name)
                {
                    case "messageStop":
                        scanned = new ScannedEvent(false, false, IsFinish: true, null, 0);
                        break;
                    case "metadata":
                        var usage = value.TryGetProperty("usage"u8, out var u) && u.ValueKind == JsonValueKind.Object ? BedrockWire.ReadUsage(u) : (Usage?)null;
                        scanned = new ScannedEvent(IsDone: true, IsUsageOnly: true, false, usage, 0);
                        break;
                    case "contentBlockDelta" when value.TryGetProperty("delta"u8, out var delta):
                        var chars = (ReplyJson.String(delta, "text"u8)?.Length ?? 0)
                            + (delta.TryGetProperty("toolUse"u8, out var tool) ? ReplyJson.String(tool, "input"u8)?.Length ?? 0 : 0);
                        scanned = new ScannedEvent(false, false, false, null, chars);
                        break;
                }
            }

            return true;
        }
    }
}
