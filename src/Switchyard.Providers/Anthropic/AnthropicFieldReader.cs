using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.Anthropic.AnthropicMessagesReader;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Fields of Anthropic's schema that the canonical model does not carry. Each is either accepted without effect
/// (its value changes nothing a translated upstream would do: <c>caller: {"type":"direct"}</c>, empty citations,
/// null hints) or recorded as untranslatable, so only an Anthropic upstream receives it and any other refuses the
/// request naming it (docs/translation.md). A value of the wrong shape is a 400 whatever the upstream.
/// </summary>
/// <summary>The Anthropic parser's field readers: typed values refused in Anthropic's wording, and the fields only an Anthropic upstream carries (noted as untranslatable).</summary>
internal static class AnthropicFieldReader
{
    /// <summary>Records a field only an Anthropic upstream can carry.</summary>
    internal static void Note(ref Counts counts, string path, string what) => (counts.Untranslatable ??= []).Add(new UntranslatableField(path, what));

    /// <summary><c>citations</c> of a text block: null or empty have no effect; citations only an Anthropic upstream can take.</summary>
    internal static void ReadCitations(ref Utf8JsonReader reader, string owner, ref Counts counts)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"{owner}.citations: Input should be a valid list, but got {RequestJson.Describe(reader.TokenType)}.", owner + ".citations");
        }

        if (!IsEmpty(reader))
        {
            Note(ref counts, owner + ".citations", "citations");
        }

        reader.Skip();
    }

    /// <summary>An object of options: null or <c>{}</c> have no effect; any option set is for an Anthropic upstream only.</summary>
    internal static void NoteUnlessEmpty(ref Utf8JsonReader reader, string path, string what, ref Counts counts)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ExpectObject(ref reader, path);
        if (!IsEmpty(reader))
        {
            Note(ref counts, path, what);
        }

        reader.Skip();
    }

    /// <summary>Whether the array or object the reader is on is empty (read on a copy: the reader stays where it is).</summary>
    internal static bool IsEmpty(Utf8JsonReader probe) => probe.Read() && probe.TokenType is JsonTokenType.EndArray or JsonTokenType.EndObject;

    /// <summary>
    /// Who made a tool call. <c>direct</c> (the model itself, which Anthropic's replies say on every tool_use block
    /// and SDKs send back) is what every translated tool call is; a call made by a server tool is Anthropic's only.
    /// </summary>
    internal static void ReadCaller(ref Utf8JsonReader reader, string path, ref Counts counts)
    {
        ExpectObject(ref reader, path);
        string? type = null, extra = null;
        while (NextProperty(ref reader, out var p))
        {
            if (p == "type")
            {
                type = ReadString(ref reader, path, ".type");
            }
            else
            {
                extra ??= p;
                reader.Skip();
            }
        }

        switch (type)
        {
            case null:
                throw new RequestFieldException($"{path}.type: Field required", path + ".type");
            case "direct" when extra is not null:
                throw Unsupported(path + "." + extra);
            case "direct":
                return;
            default:
                Note(ref counts, path, $"tool calls made by an Anthropic server tool (caller '{RequestJson.Clip(type)}')");
                return;
        }
    }

    /// <summary><c>toolset_name</c>: null has no effect; a call or result of an Anthropic toolset is Anthropic's only.</summary>
    internal static void ReadToolsetName(ref Utf8JsonReader reader, string owner, ref Counts counts)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return;
        }

        ReadString(ref reader, owner, ".toolset_name");
        Note(ref counts, owner + ".toolset_name", "Anthropic toolset calls (toolset_name)");
    }

    /// <summary>
    /// An image source as a URL: <c>url</c> sources as they are, <c>base64</c> as a data: URL (both are what OpenAI's
    /// image_url takes); null for a <c>file</c> source (Anthropic's Files API), which only an Anthropic upstream can read.
    /// </summary>
    internal static string? ReadImageSource(ref Utf8JsonReader reader, string path)
    {
        ExpectObject(ref reader, path);
        string? type = null, mediaType = null, data = null, url = null, unknown = null;
        while (NextProperty(ref reader, out var p))
        {
            switch (p)
            {
                case "type":
                    type = ReadString(ref reader, path, ".type");
                    break;
                case "media_type":
                    mediaType = ReadString(ref reader, path, ".media_type");
                    break;
                case "data":
                    data = ReadString(ref reader, path, ".data");
                    break;
                case "url":
                    url = ReadString(ref reader, path, ".url");
                    break;
                default:
                    unknown ??= p;
                    reader.Skip();
                    break;
            }
        }

        if (type == "file")
        {
            return null;
        }

        if (unknown is not null)
        {
            throw Unsupported(path + "." + unknown);
        }

        switch (type)
        {
            case "base64":
                if (mediaType is not ("image/jpeg" or "image/png" or "image/gif" or "image/webp"))
                {
                    throw new RequestFieldException($"{path}.media_type: Input should be 'image/jpeg', 'image/png', 'image/gif' or 'image/webp'.", path + ".media_type");
                }

                if (data is null)
                {
                    throw new RequestFieldException($"{path}.data: Field required", path + ".data");
                }

                return $"data:{mediaType};base64,{data}";
            case "url":
                return url ?? throw new RequestFieldException($"{path}.url: Field required", path + ".url");
            default:
                throw new RequestFieldException($"{path}.type: Input tag '{RequestJson.Clip(type ?? "")}' found using 'type' does not match any of the expected tags: 'base64', 'url', 'file'.", path + ".type");
        }
    }

    internal static List<string> ReadStringArray(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw new RequestFieldException($"{path}: Input should be a valid list, but got {RequestJson.Describe(reader.TokenType)}.", path);
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(ReadString(ref reader, $"{path}.{list.Count}"));
        }

        return list;
    }

    /// <summary>Moves onto the value of the next property of the object being read; false at the object's end.</summary>
    internal static bool NextProperty(ref Utf8JsonReader reader, out string name)
    {
        if (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            name = reader.GetString()!;
            reader.Read();
            return true;
        }

        name = "";
        return false;
    }

    internal static void ExpectObject(ref Utf8JsonReader reader, string path)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RequestFieldException($"{path}: Input should be a valid dictionary, but got {RequestJson.Describe(reader.TokenType)}.", path);
        }
    }

    // The path is passed as prefix and suffix and joined only for an error: valid requests build no path strings.
    internal static string ReadString(ref Utf8JsonReader reader, string path, string? suffix = null) =>
        reader.TokenType == JsonTokenType.String
            ? reader.GetString()!
            : throw new RequestFieldException($"{path}{suffix}: Input should be a valid string, but got {RequestJson.Describe(reader.TokenType)}.", path + suffix);

    internal static bool ReadBool(ref Utf8JsonReader reader, string path, string? suffix = null) => reader.TokenType switch
    {
        JsonTokenType.True => true,
        JsonTokenType.False => false,
        _ => throw new RequestFieldException($"{path}{suffix}: Input should be a valid boolean, but got {RequestJson.Describe(reader.TokenType)}.", path + suffix),
    };

    internal static int ReadInt(ref Utf8JsonReader reader, string path, int min)
    {
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out var value))
        {
            throw new RequestFieldException($"{path}: Input should be a valid integer, but got {RequestJson.Describe(reader.TokenType)}.", path);
        }

        if (value < min || value > int.MaxValue)
        {
            throw new RequestFieldException($"{path}: Input should be greater than or equal to {min}.", path);
        }

        return (int)value;
    }

    internal static double ReadNumber(ref Utf8JsonReader reader, string path, double min, double max)
    {
        if (reader.TokenType != JsonTokenType.Number)
        {
            throw new RequestFieldException($"{path}: Input should be a valid number, but got {RequestJson.Describe(reader.TokenType)}.", path);
        }

        var value = reader.GetDouble();
        if (value < min || value > max)
        {
            throw new RequestFieldException($"{path}: Input should be between {min} and {max}.", path);
        }

        return value;
    }

    /// <summary>A field Anthropic's schema does not have where it stands: Anthropic's own words.</summary>
    internal static RequestFieldException Unsupported(string path) => new($"{path}: Extra inputs are not permitted", path);
}
