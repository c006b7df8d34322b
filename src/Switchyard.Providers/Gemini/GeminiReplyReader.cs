using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Gemini;

/// <summary>Pieces of Gemini's wire format shared by its writer, readers and adapter.</summary>
public static class GeminiWire
{
    public static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// Gemini <c>finishReason</c> → the canonical reason. Safety, recitation, blocklist, prohibited-content and PII
    /// stops are a content filter; <c>STOP</c> after function calls is a tool-call stop.
    /// </summary>
    public static FinishReason Finish(string? reason, bool calledTools) => reason switch
    {
        "MAX_TOKENS" => FinishReason.Length,
        "SAFETY" or "RECITATION" or "BLOCKLIST" or "PROHIBITED_CONTENT" or "SPII" or "IMAGE_SAFETY" or "IMAGE_PROHIBITED_CONTENT" or "LANGUAGE" => FinishReason.ContentFilter,
        _ when calledTools => FinishReason.ToolCalls,
        _ => FinishReason.Stop,
    };

    /// <summary><c>usageMetadata</c> → canonical: the prompt count includes cached content; thoughts count as output.</summary>
    internal static Usage ReadUsage(JsonElement usage) => new(
        ReplyJson.Int(usage, "promptTokenCount"u8) + ReplyJson.Int(usage, "toolUsePromptTokenCount"u8),
        ReplyJson.Int(usage, "candidatesTokenCount"u8) + ReplyJson.Int(usage, "thoughtsTokenCount"u8),
        ReplyJson.Int(usage, "cachedContentTokenCount"u8));

    internal static string ToolId(string prefix, int index) => prefix + index.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// <c>{"error":{"code":…,"message":…,"status":…,"details":[…]}}</c>; a 429's wait is in a <c>RetryInfo</c> detail's
    /// <c>retryDelay</c> (e.g. <c>"30s"</c>).
    /// </summary>
    public static UpstreamErrorBody ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error"u8, out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return default;
            }

            TimeSpan? delay = null;
            if (error.TryGetProperty("details"u8, out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    if (ReplyJson.String(detail, "retryDelay"u8) is { } text && text.EndsWith('s')
                        && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    {
                        delay = TimeSpan.FromSeconds(seconds);
                    }
                }
            }

            return new UpstreamErrorBody(ReplyJson.String(error, "message"u8), ReplyJson.String(error, "status"u8), RetryAfter: delay);
        }
        catch (JsonException)
        {
            return default;
        }
    }
}

/// <summary>
/// Reads a Gemini <c>GenerateContentResponse</c> into the canonical reply: the first candidate's text parts (thought
/// parts skipped), its function calls with ids generated from the request id (Gemini names none: the same id maps
/// back to the function's name when the client returns the result), the finish reason and usage. A prompt blocked
/// by <c>promptFeedback.blockReason</c> becomes an empty reply stopped by the content filter.
/// </summary>
public static class GeminiReplyReader
{
    public static bool TryRead(ReadOnlyMemory<byte> body, string toolIdPrefix, out CanonicalResponse? response, out string? problem)
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
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error"u8, out _))
            {
                problem = "The upstream answered with a body that is not a Gemini response.";
                return false;
            }

            var usage = root.TryGetProperty("usageMetadata"u8, out var u) && u.ValueKind == JsonValueKind.Object ? GeminiWire.ReadUsage(u) : (Usage?)null;
            var model = ReplyJson.String(root, "modelVersion"u8);
            if (!root.TryGetProperty("candidates"u8, out var candidates) || candidates.ValueKind != JsonValueKind.Array || candidates.GetArrayLength() == 0)
            {
                if (BlockReason(root) is { } blocked)
                {
                    response = new CanonicalResponse { Model = model, Finish = FinishReason.ContentFilter, FilterReason = "prompt blocked: " + blocked, Usage = usage };
                    return true;
                }

                problem = "The upstream answered without a candidate.";
                return false;
            }

            // Several candidates when the client asked for n > 1 (candidateCount): the first is choice 0, the others follow.
            var choices = new List<CanonicalResponse>();
            foreach (var candidate in candidates.EnumerateArray())
            {
                var prefix = choices.Count == 0 ? toolIdPrefix : toolIdPrefix + choices.Count.ToString(CultureInfo.InvariantCulture) + "_";
                if (ReadCandidate(candidate, prefix, model, out problem) is not { } choice)
                {
                    return false;
                }

                choices.Add(choice);
            }

            response = choices[0] with { Usage = usage, Alternatives = choices[1..] };
            return true;
        }
    }

    private static CanonicalResponse? ReadCandidate(JsonElement candidate, string toolIdPrefix, string? model, out string? problem)
    {
        problem = null;
        var text = new StringBuilder();
        var calls = new List<ToolCall>();
        if (candidate.TryGetProperty("content"u8, out var content) && content.TryGetProperty("parts"u8, out var parts) && parts.ValueKind == JsonValueKind.Array)
        {
            foreach (var part in parts.EnumerateArray())
            {
                if (part.TryGetProperty("functionCall"u8, out var call))
                {
                    calls.Add(new ToolCall(ReplyJson.String(call, "id"u8) ?? GeminiWire.ToolId(toolIdPrefix, calls.Count), ReplyJson.String(call, "name"u8) ?? "",
                        call.TryGetProperty("args"u8, out var args) ? args.GetRawText() : "{}"));
                }
                else if (!IsThought(part) && ReplyJson.String(part, "text"u8) is { } piece)
                {
                    text.Append(piece);
                }
            }
        }

        var finish = ReplyJson.String(candidate, "finishReason"u8);
        if (finish == "MALFORMED_FUNCTION_CALL")
        {
            problem = "The upstream model produced a malformed function call.";
            return null;
        }

        var reason = GeminiWire.Finish(finish, calls.Count > 0);
        return new CanonicalResponse
        {
            Model = model,
            Text = text.ToString(),
            ToolCalls = calls,
            Finish = reason,
            FilterReason = reason == FinishReason.ContentFilter ? finish : null,
        };
    }

    internal static bool IsThought(JsonElement part) => part.TryGetProperty("thought"u8, out var thought) && thought.ValueKind == JsonValueKind.True;

    internal static string? BlockReason(JsonElement root) =>
        root.TryGetProperty("promptFeedback"u8, out var feedback) && feedback.ValueKind == JsonValueKind.Object ? ReplyJson.String(feedback, "blockReason"u8) : null;
}

/// <summary>
/// Decodes <c>streamGenerateContent?alt=sse</c> chunks (each a <c>GenerateContentResponse</c> holding the next piece)
/// into canonical deltas: text pieces as they come; each function call (Gemini sends it whole) as a start and its
/// arguments in one piece; the finish reason; usage (the last report wins).
/// </summary>
public sealed class GeminiChunkDecoder(string toolIdPrefix) : IStreamDecoder
{
    private bool _started;
    private int _tools;

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
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error"u8, out _))
            {
                return false;
            }

            if (!_started)
            {
                _started = true;
                output.Add(new StreamDelta(StreamDeltaKind.Start, ReplyJson.String(root, "modelVersion"u8)));
            }

            if (root.TryGetProperty("candidates"u8, out var candidates) && candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0)
            {
                var candidate = candidates[0];
                if (candidate.TryGetProperty("content"u8, out var content) && content.TryGetProperty("parts"u8, out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in parts.EnumerateArray())
                    {
                        if (part.TryGetProperty("functionCall"u8, out var call))
                        {
                            var index = _tools++;
                            output.Add(new StreamDelta(StreamDeltaKind.ToolCallStart, Index: index, Id: ReplyJson.String(call, "id"u8) ?? GeminiWire.ToolId(toolIdPrefix, index),
                                Name: ReplyJson.String(call, "name"u8) ?? ""));
                            output.Add(new StreamDelta(StreamDeltaKind.ToolArguments, call.TryGetProperty("args"u8, out var args) ? args.GetRawText() : "{}", index));
                        }
                        else if (!GeminiReplyReader.IsThought(part) && ReplyJson.String(part, "text"u8) is { Length: > 0 } text)
                        {
                            output.Add(new StreamDelta(StreamDeltaKind.Text, text));
                        }
                    }
                }

                if (ReplyJson.String(candidate, "finishReason"u8) is { } finish)
                {
                    if (finish == "MALFORMED_FUNCTION_CALL")
                    {
                        return false;
                    }

                    output.Add(new StreamDelta(StreamDeltaKind.Finish, Finish: GeminiWire.Finish(finish, _tools > 0)));
                }
            }
            else if (GeminiReplyReader.BlockReason(root) is not null)
            {
                output.Add(new StreamDelta(StreamDeltaKind.Finish, Finish: FinishReason.ContentFilter));
            }

            if (root.TryGetProperty("usageMetadata"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                output.Add(new StreamDelta(StreamDeltaKind.Usage, Usage: GeminiWire.ReadUsage(usage)));
            }
        }

        return true;
    }
}

/// <summary>Gemini chunks: no terminator (a clean end after a finish reason completes the stream); usage from <c>usageMetadata</c>; an error object fails it.</summary>
internal sealed class GeminiEventScanner : IEventScanner
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
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || root.TryGetProperty("error"u8, out _))
            {
                return false;
            }

            var finished = GeminiReplyReader.BlockReason(root) is not null;
            var chars = 0;
            if (root.TryGetProperty("candidates"u8, out var candidates) && candidates.ValueKind == JsonValueKind.Array && candidates.GetArrayLength() > 0)
            {
                var candidate = candidates[0];
                finished |= ReplyJson.String(candidate, "finishReason"u8) is not null;
                if (candidate.TryGetProperty("content"u8, out var content) && content.TryGetProperty("parts"u8, out var parts) && parts.ValueKind == JsonValueKind.Array)
                {
                    foreach (var part in parts.EnumerateArray())
                    {
                        chars += ReplyJson.String(part, "text"u8)?.Length ?? 0;
                    }
                }
            }

            var usage = root.TryGetProperty("usageMetadata"u8, out var u) && u.ValueKind == JsonValueKind.Object ? GeminiWire.ReadUsage(u) : (Usage?)null;
            scanned = new ScannedEvent(false, false, finished, usage, chars);
            return true;
        }
    }
}
