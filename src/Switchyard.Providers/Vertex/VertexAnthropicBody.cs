using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Model;
namespace Switchyard.Providers.Vertex;

/// <summary>An Anthropic client's Messages body as Claude on Vertex AI takes it: the same bytes, the model out, the version in.</summary>
public static class VertexAnthropicBody
{
    /// <summary>
    /// Forwards an Anthropic client's body to Anthropic on Vertex AI: the model is in the URL, so its member is taken
    /// out; <c>anthropic_version</c> (and <c>max_tokens</c> when absent) go in front. Nothing else changes.
    /// </summary>
    public static void Forward(CanonicalRequest request, string anthropicVersion, int maxTokens, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(output);
        var body = request.RawBody.Span;
        var open = body.IndexOf((byte)'{');
        var (cutStart, cutEnd) = MemberToRemove(body, "model"u8);
        var before = cutStart < 0 ? body[(open + 1)..] : body[(open + 1)..cutStart];
        var after = cutStart < 0 ? [] : body[cutEnd..];
        Write(output, body[..(open + 1)]);
        Write(output, "\"anthropic_version\":"u8);
        using (var writer = new Utf8JsonWriter(output))
        {
            writer.WriteStringValue(anthropicVersion);
        }

        if (request.MaxOutputTokens is null)
        {
            Write(output, ",\"max_tokens\":"u8);
            Write(output, Encoding.UTF8.GetBytes(maxTokens.ToString(CultureInfo.InvariantCulture)));
        }

        // A comma when any member is left once the model's is gone.
        var more = cutStart < 0
            ? !before.TrimStart(" \n\r\t"u8).StartsWith("}"u8)
            : !before.Trim(" \n\r\t"u8).IsEmpty || !after.TrimStart(" \n\r\t"u8).StartsWith("}"u8);
        if (more)
        {
            Write(output, ","u8);
        }

        Write(output, before);
        Write(output, after);
    }

    /// <summary>
    /// The bytes to cut to remove a top-level member: from its key to its value's end plus the comma after it, or, for
    /// the last member, from the comma before it. (-1, -1) when absent.
    /// </summary>
    private static (int Start, int End) MemberToRemove(ReadOnlySpan<byte> body, ReadOnlySpan<byte> name)
    {
        var reader = new Utf8JsonReader(body);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return (-1, -1);
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var keyStart = (int)reader.TokenStartIndex;
            var match = reader.ValueTextEquals(name);
            reader.Read();
            reader.Skip();
            if (!match)
            {
                continue;
            }

            var end = (int)reader.BytesConsumed;
            var after = end;
            while (after < body.Length && body[after] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                after++;
            }

            if (after < body.Length && body[after] == (byte)',')
            {
                return (keyStart, after + 1);
            }

            var before = keyStart - 1;
            while (before > 0 && body[before] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
            {
                before--;
            }

            return body[before] == (byte)',' ? (before, end) : (keyStart, end);
        }

        return (-1, -1);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(output.GetSpan(bytes.Length));
        output.Advance(bytes.Length);
    }
}
