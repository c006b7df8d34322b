using System.Text.Json;
using Switchyard.Core.Model;
namespace Switchyard.Providers.OpenAI;

/// <summary>What one pass over an OpenAI response or stream chunk found.</summary>
internal struct OpenAIScan
{
    public Usage? Usage;

    /// <summary>Characters of generated text (content, refusal, reasoning, tool-call arguments).</summary>
    public int ContentChars;

    /// <summary>The chunk's <c>choices</c> array is present and empty (OpenAI's usage-only final chunk).</summary>
    public bool ChoicesEmpty;

    public bool HasFinishReason;

    /// <summary>The payload is an error object (some servers send one inside a 200 stream).</summary>
    public bool IsError;

    /// <summary>A top-level <c>choices</c> array is present (every chat completion and chunk has one).</summary>
    public bool HasChoices;

    /// <summary>A top-level <c>data</c> array is present (every embeddings response has one).</summary>
    public bool HasData;
}

/// <summary>
/// Reads usage and generated-text size from an OpenAI-format response or chunk in one forward-only pass,
/// without materialising the document (the token accounting of rule 10 runs on events as they pass).
/// </summary>
internal static class OpenAIUsageReader
{
    /// <summary>Scans a payload; false when it is not a JSON object.</summary>
    public static bool TryScan(ReadOnlySpan<byte> json, out OpenAIScan scan)
    {
        scan = default;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 256 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("usage"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartObject)
                    {
                        scan.Usage = ReadUsage(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("choices"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        scan.HasChoices = true;
                        ReadChoices(ref reader, ref scan);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    scan.HasData = reader.TokenType == JsonTokenType.StartArray;
                    reader.Skip();
                }
                else if (reader.ValueTextEquals("error"u8))
                {
                    scan.IsError = true;
                    reader.Read();
                    reader.Skip();
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static void ReadChoices(ref Utf8JsonReader reader, ref OpenAIScan scan)
    {
        var startDepth = reader.CurrentDepth;
        var count = 0;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == startDepth))
        {
            if (reader.TokenType == JsonTokenType.StartObject && reader.CurrentDepth == startDepth + 1)
            {
                count++;
            }
            else if (reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("content"u8) || reader.ValueTextEquals("arguments"u8) ||
                    reader.ValueTextEquals("refusal"u8) || reader.ValueTextEquals("reasoning_content"u8) || reader.ValueTextEquals("reasoning"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        // Escaped length is close enough for an estimate and avoids decoding.
                        scan.ContentChars += reader.ValueSpan.Length;
                    }
                    else if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                    {
                        reader.Skip();
                    }
                }
                else if (reader.ValueTextEquals("finish_reason"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        scan.HasFinishReason = true;
                    }
                }
            }
        }

        scan.ChoicesEmpty = count == 0;
    }

    private static Usage ReadUsage(ref Utf8JsonReader reader)
    {
        int input = 0, output = 0, cached = 0, cacheWrite = 0;
        var depth = reader.CurrentDepth;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndObject && reader.CurrentDepth == depth))
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }

            if (reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("prompt_tokens"u8))
            {
                input = ReadInt(ref reader);
            }
            else if (reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("completion_tokens"u8))
            {
                output = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("cached_tokens"u8))
            {
                cached = ReadInt(ref reader);
            }
            else if (reader.ValueTextEquals("cache_creation_input_tokens"u8))
            {
                cacheWrite = ReadInt(ref reader);
            }
        }

        return new Usage(input, output, cached, cacheWrite);
    }

    private static int ReadInt(ref Utf8JsonReader reader)
    {
        reader.Read();
        return reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var value) ? value : 0;
    }
}
