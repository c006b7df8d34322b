using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Puts redacted values back into a reply: every JSON string of a response body, and the text deltas of a stream,
/// where a placeholder may arrive split across events ("&lt;CRED" then "IT_CARD_1&gt;"). The restorer holds back a
/// delta's tail while it could still become a placeholder and releases it with the next delta of the same field.
/// One instance per stream; not thread-safe.
/// </summary>
public sealed class ReplyRestorer
{
    // Fields of OpenAI and Anthropic stream events that carry generated text piece by piece.
    private static readonly string[] _deltaKeys = ["content", "text", "partial_json", "arguments", "refusal", "thinking"];

    private readonly RedactionMap _map;
    private readonly Dictionary<string, string> _pending = new(StringComparer.Ordinal);

    public ReplyRestorer(RedactionMap map) => _map = map ?? throw new ArgumentNullException(nameof(map));

    /// <summary>Text held back at the end of a stream that never completed a placeholder.</summary>
    public bool HasPending => _pending.Values.Any(v => v.Length > 0);

    /// <summary>A complete JSON body with every placeholder restored (the input itself when none occurs).</summary>
    public ReadOnlyMemory<byte> RestoreBody(ReadOnlyMemory<byte> json) => Rewrite(json, streaming: false);

    /// <summary>One stream event's JSON with its complete placeholders restored and a possible partial one held back.</summary>
    public ReadOnlyMemory<byte> RestoreEvent(ReadOnlyMemory<byte> json) => Rewrite(json, streaming: true);

    /// <summary>A complete piece of text (a canonical reply's text, refusal or tool arguments) with every placeholder restored.</summary>
    public string RestoreText(string text) => _map.Restore(text);

    /// <summary>
    /// One piece of a streamed field (a canonical delta): complete placeholders restored, a possible partial one held
    /// back and released with the next piece of the same <paramref name="field"/>.
    /// </summary>
    public string RestoreDelta(string field, string piece)
    {
        var combined = _pending.TryGetValue(field, out var held) ? held + piece : piece;
        var hold = _map.PendingSuffix(combined);
        _pending[field] = combined[^hold..];
        return _map.Restore(combined[..^hold]);
    }

    private ReadOnlyMemory<byte> Rewrite(ReadOnlyMemory<byte> memory, bool streaming)
    {
        var json = memory.Span;
        if (!streaming && json.IndexOf((byte)'<') < 0 && json.IndexOf("\\u003c"u8) < 0 && json.IndexOf("\\u003C"u8) < 0)
        {
            return memory;
        }

        ArrayBufferWriter<byte>? output = null;
        var copied = 0;
        var reader = new Utf8JsonReader(json);
        string? key = null;
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName)
                {
                    key = reader.GetString();
                    continue;
                }

                if (reader.TokenType != JsonTokenType.String)
                {
                    key = null;
                    continue;
                }

                var value = reader.GetString() ?? "";
                var field = streaming && key is not null && Array.IndexOf(_deltaKeys, key) >= 0 ? key : null;
                var replaced = field is not null ? RestoreDelta(field, value) : _map.Restore(value);

                key = null;
                if (replaced == value)
                {
                    continue;
                }

                output ??= new ArrayBufferWriter<byte>(json.Length + 64);
                output.Write(json[copied..(int)reader.TokenStartIndex]);
                using (var writer = new Utf8JsonWriter(output, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    writer.WriteStringValue(replaced);
                }

                copied = (int)reader.BytesConsumed;
            }
        }
        catch (JsonException)
        {
            return memory;
        }

        if (output is null)
        {
            return memory;
        }

        output.Write(json[copied..]);
        return output.WrittenMemory;
    }
}
