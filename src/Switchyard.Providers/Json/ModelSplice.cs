using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.Json;

/// <summary>
/// The model splice, once for every format that forwards a client's own bytes (invariant 7): the body copied as it
/// is, with the top-level <c>model</c> value replaced and, when a format needs one, a member inserted right after
/// the opening brace (OpenAI's <c>stream_options</c>, Anthropic's <c>max_tokens</c>). Three copies, no parse tree;
/// unknown fields survive untouched.
/// </summary>
public static class ModelSplice
{
    /// <summary>
    /// Writes <paramref name="body"/> into <paramref name="output"/> with its <c>model</c> value set to
    /// <paramref name="model"/> (JSON-escaped) and <paramref name="insertAfterBrace"/> (a member and its comma, or empty)
    /// written right after the opening brace. A body without a top-level <c>model</c> is copied with only the insertion.
    /// </summary>
    public static void Write(ReadOnlySpan<byte> body, string model, ReadOnlySpan<byte> insertAfterBrace, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        var (start, end) = FindTopLevelValue(body, "model"u8);
        var offset = 0;
        if (!insertAfterBrace.IsEmpty)
        {
            var open = body.IndexOf((byte)'{');
            Copy(output, body[..(open + 1)]);
            Copy(output, insertAfterBrace);
            offset = open + 1;
        }

        if (start < 0)
        {
            Copy(output, body[offset..]);
            return;
        }

        Copy(output, body[offset..start]);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStringValue(model);
        }

        Copy(output, body[end..]);
    }

    /// <summary>Start and end offsets of a top-level property's value, or (-1, -1).</summary>
    public static (int Start, int End) FindTopLevelValue(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (-1, -1);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var match = reader.ValueTextEquals(name);
            reader.Read();
            if (match)
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                return (start, (int)reader.BytesConsumed);
            }

            reader.Skip();
        }

        return (-1, -1);
    }

    private static void Copy(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
