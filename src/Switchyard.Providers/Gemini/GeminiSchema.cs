using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.Gemini;

/// <summary>
/// Converts a JSON Schema (as OpenAI and Anthropic clients write it) to Gemini's <c>Schema</c> subset (an OpenAPI 3.0
/// subset): types upper-cased, <c>["T","null"]</c> → <c>nullable</c>, <c>const</c> → a one-value <c>enum</c>; the
/// keywords Gemini shares are copied; <c>additionalProperties: false</c>, <c>$schema</c>, <c>$id</c>, <c>$comment</c>
/// and <c>strict</c> are dropped (Gemini already emits only declared properties); anything else is refused by name.
/// </summary>
public static class GeminiSchema
{
    /// <summary>Keywords Gemini's Schema has under the same name and meaning.</summary>
    private static readonly HashSet<string> _copied =
    [
        "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "required", "minProperties", "maxProperties",
        "minLength", "maxLength", "pattern", "example", "default", "minimum", "maximum", "propertyOrdering",
    ];

    /// <summary>Keywords dropped without loss.</summary>
    private static readonly HashSet<string> _dropped = ["$schema", "$id", "$comment", "strict"];

    /// <summary>The JSON Schema keywords that are refused (docs/translation.md lists them).</summary>
    public static readonly IReadOnlyList<string> Refused =
        ["$ref", "$defs", "definitions", "oneOf", "allOf", "not", "if", "then", "else", "patternProperties", "additionalProperties (other than false)", "prefixItems", "uniqueItems", "const (non-string)", "type lists other than [T, \"null\"]"];

    /// <summary>The keyword of <paramref name="schemaJson"/> that has no Gemini form, or null when it converts.</summary>
    public static string? Problem(string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        using var document = JsonDocument.Parse(schemaJson);
        return Check(document.RootElement);
    }

    /// <summary>The Gemini form of a schema <see cref="Problem"/> accepted, as JSON text.</summary>
    public static string Convert(string schemaJson)
    {
        ArgumentNullException.ThrowIfNull(schemaJson);
        using var document = JsonDocument.Parse(schemaJson);
        var output = new ArrayBufferWriter<byte>(schemaJson.Length);
        using (var w = new Utf8JsonWriter(output, GeminiWire.WriterOptions))
        {
            Write(w, document.RootElement);
        }

        return System.Text.Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string? Check(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "a schema that is not an object";
        }

        foreach (var property in schema.EnumerateObject())
        {
            var name = property.Name;
            var value = property.Value;
            switch (name)
            {
                case "type":
                    if (value.ValueKind == JsonValueKind.Array && !IsNullableType(value, out _))
                    {
                        return "type lists other than [T, \"null\"]";
                    }

                    break;
                case "properties":
                    foreach (var child in value.EnumerateObject())
                    {
                        if (Check(child.Value) is { } problem)
                        {
                            return problem;
                        }
                    }

                    break;
                case "items":
                    if (Check(value) is { } itemProblem)
                    {
                        return itemProblem;
                    }

                    break;
                case "anyOf":
                    foreach (var child in value.EnumerateArray())
                    {
                        if (Check(child) is { } problem)
                        {
                            return problem;
                        }
                    }

                    break;
                case "const" when value.ValueKind != JsonValueKind.String:
                    return "const (non-string)";
                case "const":
                    break;
                case "additionalProperties" when value.ValueKind == JsonValueKind.False:
                    break;
                case "additionalProperties":
                    return "additionalProperties (other than false)";
                default:
                    if (!_copied.Contains(name) && !_dropped.Contains(name))
                    {
                        return name;
                    }

                    break;
            }
        }

        return null;
    }

    private static void Write(Utf8JsonWriter w, JsonElement schema)
    {
        w.WriteStartObject();
        foreach (var property in schema.EnumerateObject())
        {
            var value = property.Value;
            switch (property.Name)
            {
                case "type" when value.ValueKind == JsonValueKind.String:
                    w.WriteString("type"u8, value.GetString()!.ToUpperInvariant());
                    break;
                case "type":
                    IsNullableType(value, out var type);
                    w.WriteString("type"u8, type.ToUpperInvariant());
                    w.WriteBoolean("nullable"u8, true);
                    break;
                case "properties":
                    w.WriteStartObject("properties"u8);
                    foreach (var child in value.EnumerateObject())
                    {
                        w.WritePropertyName(child.Name);
                        Write(w, child.Value);
                    }

                    w.WriteEndObject();
                    break;
                case "items":
                    w.WritePropertyName("items"u8);
                    Write(w, value);
                    break;
                case "anyOf":
                    w.WriteStartArray("anyOf"u8);
                    foreach (var child in value.EnumerateArray())
                    {
                        Write(w, child);
                    }

                    w.WriteEndArray();
                    break;
                case "const":
                    w.WriteStartArray("enum"u8);
                    w.WriteStringValue(value.GetString());
                    w.WriteEndArray();
                    break;
                case var name when _copied.Contains(name):
                    property.WriteTo(w);
                    break;
            }
        }

        w.WriteEndObject();
    }

    private static bool IsNullableType(JsonElement types, out string type)
    {
        type = "";
        if (types.GetArrayLength() != 2)
        {
            return false;
        }

        var nulls = 0;
        foreach (var t in types.EnumerateArray())
        {
            if (t.ValueKind != JsonValueKind.String)
            {
                return false;
            }

            if (t.ValueEquals("null"u8))
            {
                nulls++;
            }
            else
            {
                type = t.GetString()!;
            }
        }

        return nulls == 1 && type.Length > 0;
    }
}
