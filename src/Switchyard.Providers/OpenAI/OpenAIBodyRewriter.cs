using System.Buffers;
using System.Text.Json;
using Switchyard.Providers.Json;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Forwards an OpenAI-format body with only what must change: the model name, and on streams the request
/// for a usage chunk. The common case is the shared <see cref="ModelSplice"/>; unknown fields survive untouched
/// (invariant 7).
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

        ModelSplice.Write(body, model, injectIncludeUsage ? _includeUsage : default, output);
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
}
