using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>A request with its detected values replaced by placeholders (docs/privacy.md, "Redaction").</summary>
/// <param name="Request">
/// The request to send: its <see cref="CanonicalRequest.RawBody"/> is the original body with each redacted string
/// spliced at its segment's offsets (for an upstream of the client's format), its messages carry the same texts (for
/// any other format), and its segments describe the new body.
/// </param>
/// <param name="Map">The placeholders and the values they stand for, to restore the reply.</param>
/// <param name="Findings">What the scan found that stays in the request (below the threshold): the redacted request's privacy findings, with no second scan.</param>
public sealed record Redaction(CanonicalRequest Request, RedactionMap Map, PrivacyFindings Findings);

/// <summary>
/// Redaction as a patch over the text segments: the spans the scanner finds at or above a class are replaced by
/// placeholders such as <c>&lt;CREDIT_CARD_1&gt;</c> (the same value gets the same placeholder), without parsing the
/// body again.
/// </summary>
public static class RedactionPatch
{
    private static readonly JsonWriterOptions _writerOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The redacted request, or null when the scan finds nothing at or above <paramref name="threshold"/>.</summary>
    public static Redaction? Apply(CanonicalRequest request, PrivacyPolicy policy, DataClass threshold)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        var segments = request.Segments;
        var map = new RedactionMap();
        var spans = new List<PiiSpan>();
        var kept = new List<PiiSpan>();
        string?[]? replaced = null;
        var text = new StringBuilder();
        for (var i = 0; i < segments.Count; i++)
        {
            spans.Clear();
            var value = segments[i].Text;
            policy.Scanner.Scan(value, spans);
            text.Clear();
            var at = 0;
            foreach (var span in spans)
            {
                if (policy.ClassOf(span) < threshold)
                {
                    kept.Add(span);
                    continue;
                }

                text.Append(value, at, span.Start - at);
                text.Append(map.PlaceholderFor(policy.NameOf(span), value.Substring(span.Start, span.Length)));
                at = span.End;
            }

            if (at > 0)
            {
                text.Append(value, at, value.Length - at);
                (replaced ??= new string?[segments.Count])[i] = text.ToString();
            }
        }

        if (replaced is null)
        {
            return null;
        }

        var (body, patched) = Splice(request.RawBody.Span, segments, replaced);
        return new Redaction(WithTexts(request, body, patched, replaced), map, PrivacyFindings.From(kept, policy));
    }

    /// <summary>The body with each replaced string written at its segment's token, and the segments of the new body.</summary>
    private static (byte[] Body, TextSegment[] Segments) Splice(ReadOnlySpan<byte> raw, IReadOnlyList<TextSegment> segments, string?[] replaced)
    {
        var output = new ArrayBufferWriter<byte>(raw.Length + 64);
        var patched = new TextSegment[segments.Count];
        var copied = 0;
        var shift = 0;
        int lastBase = -1, baseShift = 0;
        using var writer = new Utf8JsonWriter(output, _writerOptions);
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (segment.Base >= 0 && segment.Base != lastBase)
            {
                // The arguments object starts before its first string: it moves by what the edits before it added.
                lastBase = segment.Base;
                baseShift = shift;
            }

            var moved = segment with { Offset = segment.Offset + shift, Base = segment.Base >= 0 ? segment.Base + baseShift : -1 };
            if (replaced[i] is { } text)
            {
                output.Write(raw[copied..segment.Offset]);
                var before = output.WrittenCount;
                writer.Reset(output);
                writer.WriteStringValue(text);
                writer.Flush();
                var length = output.WrittenCount - before;
                moved = moved with { Length = length, Text = text };
                shift += length - segment.Length;
                copied = segment.End;
            }

            patched[i] = moved;
        }

        output.Write(raw[copied..]);
        return (output.WrittenSpan.ToArray(), patched);
    }

    /// <summary>The canonical request with the replaced texts where it carries them (messages, tool arguments, counts).</summary>
    private static CanonicalRequest WithTexts(CanonicalRequest request, byte[] body, TextSegment[] patched, string?[] replaced)
    {
        var messages = request.Messages.ToArray();
        var segments = request.Segments;
        var charDelta = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            var segment = segments[i];
            if (replaced[i] is not { } text)
            {
                continue;
            }

            if (segment.Kind is TextSegmentKind.EmbeddingInput)
            {
                charDelta += text.Length - segment.Text.Length;
                continue;
            }

            if (segment.Message < 0 || segment.Part < 0)
            {
                continue;
            }

            var message = messages[segment.Message];
            switch (segment.Kind)
            {
                case TextSegmentKind.Content or TextSegmentKind.System or TextSegmentKind.ToolResult:
                    var parts = message.Content.ToArray();
                    parts[segment.Part] = parts[segment.Part] with { Text = text };
                    messages[segment.Message] = message with { Content = parts };
                    charDelta += text.Length - segment.Text.Length;
                    break;
                case TextSegmentKind.ToolArguments:
                    messages[segment.Message] = message with { ToolCalls = WithArguments(message.ToolCalls, segment.Part, text) };
                    charDelta += text.Length - segment.Text.Length;
                    break;
                case TextSegmentKind.ToolInput when NextReplaced(replaced, segments, i) < 0:
                    // The last redacted string of an arguments object: the object is sliced once from the new body.
                    var call = message.ToolCalls[segment.Part];
                    var length = Encoding.UTF8.GetByteCount(call.ArgumentsJson) + LengthDelta(segments, patched, segment.Base);
                    var arguments = Encoding.UTF8.GetString(body, patched[i].Base, length);
                    messages[segment.Message] = message with { ToolCalls = WithArguments(message.ToolCalls, segment.Part, arguments) };
                    charDelta += arguments.Length - call.ArgumentsJson.Length;
                    break;
            }
        }

        return request with
        {
            Messages = messages,
            RawBody = body,
            Segments = patched,
            PromptChars = request.PromptChars + charDelta,
            EmbeddingInput = request.EmbeddingInput is { } input ? input with { TotalChars = input.TotalChars + charDelta } : null,
        };
    }

    /// <summary>The next replaced segment of the same arguments object after <paramref name="i"/>, or -1.</summary>
    private static int NextReplaced(string?[] replaced, IReadOnlyList<TextSegment> segments, int i)
    {
        for (var j = i + 1; j < segments.Count && segments[j].Base == segments[i].Base; j++)
        {
            if (replaced[j] is not null)
            {
                return j;
            }
        }

        return -1;
    }

    /// <summary>How many bytes the edits inside the arguments object at <paramref name="start"/> added.</summary>
    private static int LengthDelta(IReadOnlyList<TextSegment> segments, TextSegment[] patched, int start)
    {
        var delta = 0;
        for (var i = 0; i < segments.Count; i++)
        {
            if (segments[i].Base == start)
            {
                delta += patched[i].Length - segments[i].Length;
            }
        }

        return delta;
    }

    private static ToolCall[] WithArguments(IReadOnlyList<ToolCall> calls, int index, string arguments)
    {
        var copy = calls.ToArray();
        copy[index] = copy[index] with { ArgumentsJson = arguments };
        return copy;
    }
}
