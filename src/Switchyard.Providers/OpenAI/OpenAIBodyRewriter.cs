using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Forwards an OpenAI-format body with only what must change: the model name, and on streams the request
/// for a usage chunk. The common case splices bytes around the <c>model</c> value (three copies, no parse
/// tree); unknown fields survive untouched (invariant 7).
/// </summary>
public static class OpenAIBodyRewriter
{
    private static readonly byte[] _includeUsage = "\"stream_options\":{\"include_usage\":true},"u8.ToArray();

    /// <summary>Writes the rewritten body into <paramref name="output"/>.</summary>
    public static void Rewrite(ReadOnlySpan<byte> body, string model, bool injectIncludeUsage, bool hasStreamOptions, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (injectIncludeUsage && hasStreamOptions)
        {
            RewriteWithWriter(body, model, output);
            return;
        }

        var (start, end) = FindTopLevelValue(body, "model"u8);
        var open = body.IndexOf((byte)'{');
        var offset = 0;
        if (injectIncludeUsage)
        {
            Write(output, body[..(open + 1)]);
            Write(output, _includeUsage);
            offset = open + 1;
        }

        if (start < 0)
        {
            Write(output, body[offset..]);
            return;
        }

        Write(output, body[offset..start]);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStringValue(model);
        }

        Write(output, body[end..]);
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

    private static void RewriteWithWriter(ReadOnlySpan<byte> body, string model, IBufferWriter<byte> output)
    {
        using var document = JsonDocument.Parse(body.ToArray());
        using var writer = new Utf8JsonWriter(output);
        writer.WriteStartObject();
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (property.NameEquals("model"u8))
            {
                writer.WriteString("model"u8, model);
            }
            else if (property.NameEquals("stream_options"u8))
            {
                // A null stream_options is replaced: keeping it beside an injected one would duplicate the key.
                writer.WriteStartObject("stream_options"u8);
                if (property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var option in property.Value.EnumerateObject())
                    {
                        if (!option.NameEquals("include_usage"u8))
                        {
                            option.WriteTo(writer);
                        }
                    }
                }

                writer.WriteBoolean("include_usage"u8, true);
                writer.WriteEndObject();
            }
            else
            {
                property.WriteTo(writer);
            }
        }

        writer.WriteEndObject();
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
