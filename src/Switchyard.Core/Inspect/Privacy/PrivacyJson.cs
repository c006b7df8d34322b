using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Finds the prompt text inside a request body (OpenAI or Anthropic format, chat or embeddings) and scans it:
/// string values under <c>content</c>, <c>text</c>, <c>system</c>, <c>arguments</c>, <c>input</c> and
/// <c>prompt</c>, including nested content blocks, tool results and tool inputs, but not identifiers, roles,
/// types, URLs or base64 data. The same walk redacts, so inspection and redaction agree on every offset.
/// </summary>
public static class PrivacyJson
{
    private static readonly string[] _textKeys = ["content", "text", "system", "arguments", "input", "prompt", "instructions"];
    private static readonly string[] _skipKeys = ["type", "id", "tool_call_id", "tool_use_id", "role", "name", "url", "data", "media_type", "detail", "model", "cache_control", "file_id", "format", "signature"];

    /// <summary>Scans the body's text; the spans of all strings are appended (offsets relative to their own string).</summary>
    public static PrivacyFindings Scan(ReadOnlySpan<byte> json, PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var spans = new List<PiiSpan>();
        Walk(json, policy.Scanner, spans, null);
        return PrivacyFindings.From(spans, policy);
    }

    /// <summary>
    /// Replaces every span whose class is at least <paramref name="threshold"/> with a placeholder such as
    /// <c>&lt;CREDIT_CARD_1&gt;</c> (the same value gets the same placeholder) and returns the new body and the
    /// placeholders with their values. Returns null when nothing was replaced.
    /// </summary>
    public static (byte[] Body, RedactionMap Map)? Redact(ReadOnlySpan<byte> json, PrivacyPolicy policy, DataClass threshold)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var spans = new List<PiiSpan>();
        var segments = new List<Segment>();
        Walk(json, policy.Scanner, spans, segments);
        var map = new RedactionMap();
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        var copied = 0;
        var text = new StringBuilder();
        foreach (var segment in segments)
        {
            var any = false;
            for (var k = segment.FirstSpan; k < segment.FirstSpan + segment.SpanCount; k++)
            {
                any |= policy.ClassOf(spans[k]) >= threshold;
            }

            if (!any)
            {
                continue;
            }

            text.Clear();
            var value = segment.Text!;
            var at = 0;
            for (var k = segment.FirstSpan; k < segment.FirstSpan + segment.SpanCount; k++)
            {
                var span = spans[k];
                if (policy.ClassOf(span) < threshold)
                {
                    continue;
                }

                text.Append(value, at, span.Start - at);
                text.Append(map.PlaceholderFor(policy.NameOf(span), value.Substring(span.Start, span.Length)));
                at = span.End;
            }

            text.Append(value, at, value.Length - at);
            output.Write(json[copied..segment.TokenStart]);
            using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                writer.WriteStringValue(text.ToString());
            }

            copied = segment.TokenEnd;
        }

        if (map.Count == 0)
        {
            return null;
        }

        output.Write(json[copied..]);
        return (output.WrittenSpan.ToArray(), map);
    }

    private const int StackChars = 512;

    private readonly record struct Segment(int TokenStart, int TokenEnd, int FirstSpan, int SpanCount, string? Text);

    private static void Walk(ReadOnlySpan<byte> json, PrivacyScanner scanner, List<PiiSpan> spans, List<Segment>? segments)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        var zoneDepth = -1;
        var textKey = false;
        var skipKey = false;
        char[]? rented = null;
        Span<char> stackBuffer = stackalloc char[StackChars];
        try
        {
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        textKey = zoneDepth < 0 && IsOneOf(ref reader, _textKeys);
                        skipKey = zoneDepth >= 0 && IsOneOf(ref reader, _skipKeys);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (textKey && zoneDepth < 0)
                        {
                            zoneDepth = reader.CurrentDepth;
                        }

                        textKey = false;
                        skipKey = false;
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (reader.CurrentDepth == zoneDepth)
                        {
                            zoneDepth = -1;
                        }

                        break;
                    case JsonTokenType.String:
                        if ((textKey || zoneDepth >= 0) && !skipKey)
                        {
                            var length = reader.HasValueSequence ? (int)reader.ValueSequence.Length : reader.ValueSpan.Length;
                            scoped Span<char> buffer;
                            if (length <= StackChars)
                            {
                                // Most prompt strings are short: decode them on the stack, no pool round trip.
                                buffer = stackBuffer;
                            }
                            else
                            {
                                if (rented is null || rented.Length < length)
                                {
                                    if (rented is not null)
                                    {
                                        ArrayPool<char>.Shared.Return(rented);
                                    }

                                    rented = ArrayPool<char>.Shared.Rent(length);
                                }

                                buffer = rented;
                            }

                            var n = reader.CopyString(buffer);
                            var first = spans.Count;
                            scanner.Scan(buffer[..n], spans);
                            if (segments is not null && spans.Count > first)
                            {
                                var start = (int)reader.TokenStartIndex;
                                segments.Add(new Segment(start, (int)reader.BytesConsumed, first, spans.Count - first, new string(buffer[..n])));
                            }
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
        catch (JsonException)
        {
            // Ingress already parsed this body; a body that is not JSON has no prompt text to scan.
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<char>.Shared.Return(rented);
            }
        }
    }

    private static bool IsOneOf(ref Utf8JsonReader reader, string[] keys)
    {
        foreach (var key in keys)
        {
            if (reader.ValueTextEquals(key))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>Placeholders of one redacted request and the values they stand for; lives only as long as the request.</summary>
public sealed class RedactionMap
{
    private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public int Count => _byPlaceholder.Count;

    /// <summary>Placeholder → original value.</summary>
    public IReadOnlyDictionary<string, string> Placeholders => _byPlaceholder;

    /// <summary>The longest placeholder, which bounds how much of a stream must be held back.</summary>
    public int MaxPlaceholderLength { get; private set; }

    public string PlaceholderFor(string type, string value)
    {
        if (_byValue.TryGetValue(value, out var existing))
        {
            return existing;
        }

        _counters.TryGetValue(type, out var n);
        _counters[type] = ++n;
        var placeholder = $"<{type}_{n}>";
        _byValue[value] = placeholder;
        _byPlaceholder[placeholder] = value;
        MaxPlaceholderLength = Math.Max(MaxPlaceholderLength, placeholder.Length);
        return placeholder;
    }

    /// <summary>Replaces every complete placeholder in <paramref name="text"/> by its value.</summary>
    public string Restore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf('>', open);
            if (close > open && close - open + 1 <= MaxPlaceholderLength && _byPlaceholder.TryGetValue(text[open..(close + 1)], out var value))
            {
                sb.Append(text, i, open - i).Append(value);
                i = close + 1;
            }
            else
            {
                sb.Append(text, i, open + 1 - i);
                i = open + 1;
            }
        }

        sb.Append(text, i, text.Length - i);
        return sb.ToString();
    }

    /// <summary>
    /// Length of the suffix of <paramref name="text"/> that could be the start of a placeholder ("&lt;CRED"): a
    /// stream holds it back until the next piece shows whether it completes one.
    /// </summary>
    public int PendingSuffix(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.LastIndexOf('<');
        if (open < 0 || text.Length - open >= MaxPlaceholderLength || text.IndexOf('>', open) >= 0)
        {
            return 0;
        }

        var tail = text.AsSpan(open);
        foreach (var placeholder in _byPlaceholder.Keys)
        {
            if (placeholder.AsSpan().StartsWith(tail, StringComparison.Ordinal))
            {
                return tail.Length;
            }
        }

        return 0;
    }
}
