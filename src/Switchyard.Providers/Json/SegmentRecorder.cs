using System.Runtime.InteropServices;
using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Providers.Json;

/// <summary>
/// Records a request's prompt text as a client format's parser reads it (<see cref="CanonicalRequest.Segments"/>): the
/// strings the parser decodes anyway (message text, system, tool arguments, tool results, embeddings inputs) and, in
/// the values it would otherwise skip, every string a prompt may hide in — the strings of a value under
/// <c>content</c>, <c>text</c>, <c>system</c>, <c>arguments</c>, <c>input</c>, <c>prompt</c> or <c>instructions</c>,
/// nested blocks included, but not identifiers, roles, types, URLs or base64 data (<see cref="IsSkipKey(string?)"/>).
/// The walk reads exactly the tokens <see cref="Utf8JsonReader.Skip"/> would: no second pass over the body.
/// </summary>
internal sealed class SegmentRecorder
{
    private readonly ReadOnlyMemory<byte> _body;
    private readonly List<TextSegment> _segments = new(4);
    private List<(ToolCall Call, int Base)>? _inputs;

    public SegmentRecorder(ReadOnlyMemory<byte> body) => _body = body;

    /// <summary>Decodes and records the string at <paramref name="reader"/>, which runs over the whole body.</summary>
    public string Read(ref Utf8JsonReader reader, TextSegmentKind kind, int part = -1)
    {
        var text = reader.GetString()!;
        Record(ref reader, text, kind, part);
        return text;
    }

    /// <summary>Records the string token at <paramref name="reader"/> (over the whole body), already decoded as <paramref name="text"/>.</summary>
    public void Record(ref Utf8JsonReader reader, string text, TextSegmentKind kind, int part = -1)
    {
        var start = (int)reader.TokenStartIndex;
        _segments.Add(new TextSegment(start, (int)reader.BytesConsumed - start, text, kind, Part: part));
    }

    /// <summary>
    /// Skips the value at <paramref name="reader"/> (after its property name <paramref name="property"/>, null in an array)
    /// as <see cref="Utf8JsonReader.Skip"/> does, recording its prompt text; <paramref name="inZone"/> when the value sits
    /// inside one already (a content block's field).
    /// </summary>
    public void Skip(ref Utf8JsonReader reader, string? property, bool inZone)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                if (inZone ? !IsSkipKey(property) : IsTextKey(property))
                {
                    Read(ref reader, TextSegmentKind.Unmapped);
                }

                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                Walk(ref reader, inZone || IsTextKey(property));
                break;
        }
    }

    private void Walk(ref Utf8JsonReader reader, bool zone)
    {
        var depth = reader.CurrentDepth;
        var zoneDepth = zone ? depth : -1;
        var textKey = false;
        var skipKey = false;
        while (reader.Read())
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    textKey = zoneDepth < 0 && IsTextKey(ref reader);
                    skipKey = zoneDepth >= 0 && IsSkipKey(ref reader);
                    break;
                case JsonTokenType.StartObject or JsonTokenType.StartArray:
                    if (textKey)
                    {
                        zoneDepth = reader.CurrentDepth;
                    }

                    textKey = false;
                    skipKey = false;
                    break;
                case JsonTokenType.EndObject or JsonTokenType.EndArray:
                    if (reader.CurrentDepth == depth)
                    {
                        return;
                    }

                    if (reader.CurrentDepth == zoneDepth)
                    {
                        zoneDepth = -1;
                    }

                    break;
                case JsonTokenType.String:
                    if ((textKey || zoneDepth >= 0) && !skipKey)
                    {
                        Read(ref reader, TextSegmentKind.Unmapped);
                    }

                    textKey = false;
                    skipKey = false;
                    break;
                default:
                    textKey = false;
                    skipKey = false;
                    break;
            }
        }
    }

    /// <summary>Where <paramref name="slice"/> (a part of the body a second reader runs over) starts in the body.</summary>
    public int OffsetOf(ReadOnlySpan<byte> slice) =>
        _body.Span.Overlaps(slice, out var offset) ? offset : throw new ArgumentException("Not a slice of the request body.", nameof(slice));

    /// <summary>
    /// The text of the string recorded at <paramref name="offset"/> (recorded while its enclosing value was skipped),
    /// now known to be <paramref name="kind"/>; null when nothing was recorded there.
    /// </summary>
    public string? Claim(int offset, TextSegmentKind kind)
    {
        var segments = CollectionsMarshal.AsSpan(_segments);
        var i = Find(segments, offset);
        if (i < 0)
        {
            return null;
        }

        segments[i] = segments[i] with { Kind = kind };
        return segments[i].Text;
    }

    /// <summary>The strings recorded in <c>[start, end)</c> are inside <paramref name="call"/>'s arguments object, which starts at <paramref name="start"/>.</summary>
    public void ToolInput(int start, int end, ToolCall call)
    {
        var segments = CollectionsMarshal.AsSpan(_segments);
        var i = Find(segments, start);
        for (i = i < 0 ? ~i : i; i < segments.Length && segments[i].Offset < end; i++)
        {
            segments[i] = segments[i] with { Kind = TextSegmentKind.ToolInput, Base = start };
        }

        (_inputs ??= []).Add((call, start));
    }

    private static int Find(ReadOnlySpan<TextSegment> segments, int offset)
    {
        int lo = 0, hi = segments.Length - 1;
        while (lo <= hi)
        {
            var mid = (lo + hi) >>> 1;
            var at = segments[mid].Offset;
            if (at == offset)
            {
                return mid;
            }

            if (at < offset)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }

    /// <summary>
    /// The segments with their place in the canonical request: each message text found by reference (the parser put
    /// the recorded string itself there), tool arguments by call.
    /// </summary>
    public IReadOnlyList<TextSegment> Finish(IReadOnlyList<ChatMessage> messages)
    {
        var segments = CollectionsMarshal.AsSpan(_segments);
        var cursor = 0;
        for (var m = 0; m < messages.Count; m++)
        {
            var message = messages[m];
            var kind = message.Role switch
            {
                ChatRole.System or ChatRole.Developer => TextSegmentKind.System,
                ChatRole.Tool => TextSegmentKind.ToolResult,
                _ => TextSegmentKind.Content,
            };
            for (var p = 0; p < message.Content.Count; p++)
            {
                if (message.Content[p].Text is { } text && Find(segments, text, ref cursor) is var i and >= 0)
                {
                    segments[i] = segments[i] with { Kind = kind, Message = m, Part = p };
                }
            }

            for (var c = 0; c < message.ToolCalls.Count; c++)
            {
                var call = message.ToolCalls[c];
                if (InputBase(call) is { } start)
                {
                    for (var i = 0; i < segments.Length; i++)
                    {
                        if (segments[i].Base == start)
                        {
                            segments[i] = segments[i] with { Message = m, Part = c };
                        }
                    }
                }
                else if (Find(segments, call.ArgumentsJson, ref cursor) is var i and >= 0)
                {
                    segments[i] = segments[i] with { Kind = TextSegmentKind.ToolArguments, Message = m, Part = c };
                }
            }
        }

        return _segments;
    }

    /// <summary>Finishes an embeddings request: its inputs were recorded with their index.</summary>
    public IReadOnlyList<TextSegment> Finish() => _segments;

    private int? InputBase(ToolCall call)
    {
        if (_inputs is null)
        {
            return null;
        }

        foreach (var (known, start) in _inputs)
        {
            if (ReferenceEquals(known, call))
            {
                return start;
            }
        }

        return null;
    }

    /// <summary>The segment holding this very string (by reference), searched from the last hit on.</summary>
    private static int Find(ReadOnlySpan<TextSegment> segments, string text, ref int cursor)
    {
        for (var n = 0; n < segments.Length; n++)
        {
            var i = (cursor + n) % segments.Length;
            if (ReferenceEquals(segments[i].Text, text) && segments[i].Message < 0)
            {
                cursor = i + 1;
                return i;
            }
        }

        return -1;
    }

    private static bool IsTextKey(string? key) => key is "content" or "text" or "system" or "arguments" or "input" or "prompt" or "instructions";

    private static bool IsSkipKey(string? key) => key is "type" or "id" or "tool_call_id" or "tool_use_id" or "role" or "name" or "url" or "data"
        or "media_type" or "detail" or "model" or "cache_control" or "file_id" or "format" or "signature";

    private static bool IsTextKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("text"u8) || reader.ValueTextEquals("system"u8) || reader.ValueTextEquals("arguments"u8)
        || reader.ValueTextEquals("input"u8) || reader.ValueTextEquals("prompt"u8) || reader.ValueTextEquals("instructions"u8);

    private static bool IsSkipKey(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("type"u8) || reader.ValueTextEquals("id"u8) || reader.ValueTextEquals("tool_call_id"u8) || reader.ValueTextEquals("tool_use_id"u8)
        || reader.ValueTextEquals("role"u8) || reader.ValueTextEquals("name"u8) || reader.ValueTextEquals("url"u8) || reader.ValueTextEquals("data"u8)
        || reader.ValueTextEquals("media_type"u8) || reader.ValueTextEquals("detail"u8) || reader.ValueTextEquals("model"u8)
        || reader.ValueTextEquals("cache_control"u8) || reader.ValueTextEquals("file_id"u8) || reader.ValueTextEquals("format"u8)
        || reader.ValueTextEquals("signature"u8);
}
