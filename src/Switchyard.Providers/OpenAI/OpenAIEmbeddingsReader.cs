using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.OpenAI.OpenAIFieldReader;

namespace Switchyard.Providers.OpenAI;

/// <summary>An OpenAI embeddings request: model, inputs (strings recorded as segments, or token arrays counted).</summary>
internal static class OpenAIEmbeddingsReader
{
    internal static CanonicalRequest ReadEmbeddings(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        ExpectStartObject(ref reader, null);
        string? model = null, user = null;
        EmbeddingInput? input = null;
        var segments = new SegmentRecorder(body);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString();
            reader.Read();
            switch (property)
            {
                case "model":
                    model = ReadString(ref reader, "model");
                    break;
                case "input":
                    input = ReadEmbeddingInput(ref reader, segments);
                    break;
                case "encoding_format":
                    var format = ReadString(ref reader, "encoding_format");
                    if (format is not ("float" or "base64"))
                    {
                        throw new RequestFieldException($"Invalid value: '{RequestJson.Clip(format)}'. Supported values are: 'float' and 'base64'.", "encoding_format", "invalid_value");
                    }

                    break;
                case "dimensions":
                    ReadInt(ref reader, "dimensions", 1);
                    break;
                case "user":
                    user = ReadString(ref reader, "user", allowNull: true);
                    break;
                default:
                    segments.Skip(ref reader, property, inZone: false);
                    break;
            }
        }

        if (model is null)
        {
            throw new RequestFieldException("You must provide a model parameter.", "model", "missing_required_parameter");
        }

        if (input is null)
        {
            throw OpenAIFieldReader.Missing("input");
        }

        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.Embeddings,
            Model = model,
            User = user,
            EmbeddingInput = input,
            PromptChars = input.TotalChars,
            RawBody = body,
            Segments = segments.Finish(),
        };
    }

    internal static EmbeddingInput ReadEmbeddingInput(ref Utf8JsonReader reader, SegmentRecorder segments)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            var text = segments.Read(ref reader, TextSegmentKind.EmbeddingInput, 0);
            if (text.Length == 0)
            {
                throw new RequestFieldException("'input' cannot be an empty string.", "input", "invalid_value");
            }

            return new EmbeddingInput(1, text.Length, 0);
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"Invalid type for 'input': expected a string, an array of strings, or token arrays, but got {RequestJson.Describe(reader.TokenType)} instead.", "input", "invalid_type");
        }

        int count = 0, chars = 0, tokenIds = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.String:
                    chars += segments.Read(ref reader, TextSegmentKind.EmbeddingInput, count).Length;
                    count++;
                    break;
                case JsonTokenType.Number:
                    // An array of token ids is one input.
                    tokenIds++;
                    count = 1;
                    break;
                case JsonTokenType.StartArray:
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.Number)
                        {
                            throw new RequestFieldException($"Invalid type for 'input[{count}]': token arrays hold integers.", $"input[{count}]", "invalid_type");
                        }

                        tokenIds++;
                    }

                    count++;
                    break;
                default:
                    throw new RequestFieldException($"Invalid type for 'input[{count}]': expected a string or a token array.", $"input[{count}]", "invalid_type");
            }
        }

        if (count == 0)
        {
            throw new RequestFieldException("'input' cannot be an empty array.", "input", "empty_array");
        }

        if (count > 2048)
        {
            throw new RequestFieldException("'input' holds more than 2048 items.", "input", "array_above_max_length");
        }

        return new EmbeddingInput(count, chars, tokenIds);
    }
}
