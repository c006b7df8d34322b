using System.Buffers;
using System.Runtime.InteropServices;
using System.Text.Json;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Gemini;

/// <summary>
/// OpenAI embeddings requests served by Gemini's API: one string → <c>models/{m}:embedContent</c>
/// (<c>{"content":{"parts":[{"text":…}]}}</c>), several → <c>:batchEmbedContents</c> (one request per input);
/// <c>dimensions</c> → <c>outputDimensionality</c>. The reply (<c>embedding.values</c> or <c>embeddings[].values</c>)
/// is written back as OpenAI's list, floats or base64 as the client asked. Gemini reports no token counts for
/// embeddings: the usage is the gateway's estimate from the input's length.
/// </summary>
public static class GeminiEmbeddings
{
    /// <summary>What of an embeddings request Gemini cannot carry (token-id inputs), or null.</summary>
    public static string? CannotCarry(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return request.EmbeddingInput is { TotalTokenIds: > 0 }
            ? Refusals.Field("input", "token-id inputs (Gemini embeds text: send strings)", ApiFormat.Gemini)
            : null;
    }

    /// <summary>Writes the Gemini body for an OpenAI embeddings request and returns the method (<c>embedContent</c> or <c>batchEmbedContents</c>).</summary>
    public static string Write(CanonicalRequest request, string upstreamModel, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (inputs, single, dimensions, _) = ReadRequest(request.RawBody);
        using var w = new Utf8JsonWriter(output, GeminiWire.WriterOptions);
        w.WriteStartObject();
        if (single)
        {
            WriteContent(w, inputs[0], dimensions);
        }
        else
        {
            w.WriteStartArray("requests"u8);
            foreach (var input in inputs)
            {
                w.WriteStartObject();
                w.WriteString("model"u8, "models/" + upstreamModel);
                WriteContent(w, input, dimensions);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        return single ? "embedContent" : "batchEmbedContents";
    }

    private static void WriteContent(Utf8JsonWriter w, string text, int? dimensions)
    {
        w.WriteStartObject("content"u8);
        w.WriteStartArray("parts"u8);
        w.WriteStartObject();
        w.WriteString("text"u8, text);
        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        if (dimensions is { } d)
        {
            w.WriteNumber("outputDimensionality"u8, d);
        }
    }

    /// <summary>The OpenAI embeddings list for a Gemini reply; null when the body is not one.</summary>
    public static byte[]? ToOpenAI(byte[] body, CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var (_, _, _, base64) = ReadRequest(request.RawBody);
        if (!ReplyJson.TryParse(body, out var document))
        {
            return null;
        }

        using (document)
        {
            var root = document.RootElement;
            var vectors = new List<JsonElement>();
            if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("embedding"u8, out var one) && one.ValueKind == JsonValueKind.Object)
            {
                vectors.Add(one);
            }
            else if (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("embeddings"u8, out var many) && many.ValueKind == JsonValueKind.Array)
            {
                vectors.AddRange(many.EnumerateArray());
            }

            if (vectors.Count == 0 || vectors.Any(v => !v.TryGetProperty("values"u8, out var values) || values.ValueKind != JsonValueKind.Array))
            {
                return null;
            }

            var output = new ArrayBufferWriter<byte>(body.Length + 256);
            using (var w = new Utf8JsonWriter(output))
            {
                w.WriteStartObject();
                w.WriteString("object"u8, "list"u8);
                w.WriteStartArray("data"u8);
                for (var i = 0; i < vectors.Count; i++)
                {
                    w.WriteStartObject();
                    w.WriteString("object"u8, "embedding"u8);
                    w.WriteNumber("index"u8, i);
                    WriteVector(w, vectors[i].GetProperty("values"u8), base64);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteString("model"u8, request.Model);
                var tokens = EstimatedTokens(request);
                w.WriteStartObject("usage"u8);
                w.WriteNumber("prompt_tokens"u8, tokens);
                w.WriteNumber("total_tokens"u8, tokens);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            return output.WrittenSpan.ToArray();
        }
    }

    /// <summary>The input tokens of an embeddings request, estimated from its characters (Gemini's API reports none).</summary>
    public static int EstimatedTokens(CanonicalRequest request) => Inspector.EstimateTokens(request?.EmbeddingInput?.TotalChars ?? 0);

    private static void WriteVector(Utf8JsonWriter w, JsonElement values, bool base64)
    {
        if (!base64)
        {
            w.WritePropertyName("embedding"u8);
            w.WriteRawValue(values.GetRawText(), skipInputValidation: true);
            return;
        }

        // OpenAI's base64 encoding: the float32 values, little-endian, one after the other.
        var floats = values.EnumerateArray().Select(v => v.GetSingle()).ToArray();
        w.WriteBase64String("embedding"u8, MemoryMarshal.AsBytes(floats.AsSpan()));
    }

    /// <summary>The inputs, whether there was one string (not a list), <c>dimensions</c>, and <c>encoding_format: base64</c>.</summary>
    private static (List<string> Inputs, bool Single, int? Dimensions, bool Base64) ReadRequest(ReadOnlyMemory<byte> body)
    {
        using var document = JsonDocument.Parse(body);
        var root = document.RootElement;
        var inputs = new List<string>();
        var single = false;
        if (root.TryGetProperty("input"u8, out var input))
        {
            if (input.ValueKind == JsonValueKind.String)
            {
                inputs.Add(input.GetString()!);
                single = true;
            }
            else if (input.ValueKind == JsonValueKind.Array)
            {
                inputs.AddRange(input.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!));
            }
        }

        var dimensions = root.TryGetProperty("dimensions"u8, out var d) && d.TryGetInt32(out var n) ? n : (int?)null;
        var base64 = ReplyJson.String(root, "encoding_format"u8) == "base64";
        return (inputs, single, dimensions, base64);
    }
}
