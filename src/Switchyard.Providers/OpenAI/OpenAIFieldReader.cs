using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;

namespace Switchyard.Providers.OpenAI;

/// <summary>The OpenAI parser's typed field readers: a field of the wrong type or out of range is refused in OpenAI's wording, with its path as <c>param</c>.</summary>
internal static class OpenAIFieldReader
{
    /// <summary>The 400 for a required field that is absent, worded as OpenAI words it, with the field's path as <c>param</c>.</summary>
    internal static RequestFieldException Missing(string path) => new($"Missing required parameter: '{path}'.", path, "missing_required_parameter");

    internal static string ReadRawObject(ref Utf8JsonReader reader, ReadOnlySpan<byte> body, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RequestFieldException($"Invalid type for '{path}': expected an object, but got {RequestJson.Describe(reader.TokenType)} instead.", path, "invalid_type");
        }

        return RequestJson.RawSlice(ref reader, body);
    }

    internal static void ExpectStartObject(ref Utf8JsonReader reader, string? path)
    {
        if (reader.TokenType == JsonTokenType.None)
        {
            reader.Read();
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw path is null
                ? new RequestFieldException("The request body must be a JSON object.", null, "invalid_body")
                : new RequestFieldException($"Invalid type for '{path}': expected an object, but got {RequestJson.Describe(reader.TokenType)} instead.", path, "invalid_type");
        }
    }

    internal static string ReadString(ref Utf8JsonReader reader, string path, bool allowNull = false)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString()!;
        }

        if (allowNull && reader.TokenType == JsonTokenType.Null)
        {
            return null!;
        }

        throw new RequestFieldException($"Invalid type for '{path}': expected a string, but got {RequestJson.Describe(reader.TokenType)} instead.", path, "invalid_type");
    }

    internal static bool? ReadBool(ref Utf8JsonReader reader, string path) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        JsonTokenType.Null => null,
        _ => throw new RequestFieldException($"Invalid type for '{path}': expected a boolean, but got {RequestJson.Describe(reader.TokenType)} instead.", path, "invalid_type"),
    };

    internal static int? ReadInt(ref Utf8JsonReader reader, string path, int min, int max = int.MaxValue)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new RequestFieldException($"Invalid type for '{path}': expected an integer, but got {RequestJson.Describe(reader.TokenType)} instead.", path, "invalid_type");
        }

        if (value < min || value > max)
        {
            throw new RequestFieldException($"Invalid '{path}': {value} is out of range ({min} to {max}).", path, "invalid_value");
        }

        return (int)value;
    }

    internal static double? ReadNumber(ref Utf8JsonReader reader, string path, double min, double max)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new RequestFieldException($"Invalid type for '{path}': expected a number, but got {RequestJson.Describe(reader.TokenType)} instead.", path, "invalid_type");
        }

        var value = reader.GetDouble();
        if (value < min || value > max)
        {
            throw new RequestFieldException($"Invalid '{path}': {value} is out of range ({min} to {max}).", path, "invalid_value");
        }

        return value;
    }
}
