using System.Buffers;
using System.Text.Json;

namespace Switchyard.Providers.Simulated;

/// <summary>Builds a small JSON value that satisfies a JSON Schema's required shape (types, required properties, enums).</summary>
internal static class SchemaSampler
{
    public static string Sample(string? schemaJson)
    {
        if (string.IsNullOrEmpty(schemaJson))
        {
            return "{}";
        }

        try
        {
            using var schema = JsonDocument.Parse(schemaJson);
            var buffer = new ArrayBufferWriter<byte>(256);
            using (var writer = new Utf8JsonWriter(buffer))
            {
                Write(writer, schema.RootElement, schema.RootElement, 0);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        catch (JsonException)
        {
            return "{}";
        }
    }

    private static void Write(Utf8JsonWriter w, JsonElement schema, JsonElement root, int depth)
    {
        if (depth > 16 || schema.ValueKind != JsonValueKind.Object)
        {
            w.WriteNullValue();
            return;
        }

        if (schema.TryGetProperty("$ref", out var reference) && reference.GetString() is { } path && path.StartsWith("#/", StringComparison.Ordinal))
        {
            var target = root;
            foreach (var segment in path[2..].Split('/'))
            {
                if (!target.TryGetProperty(segment, out target))
                {
                    w.WriteNullValue();
                    return;
                }
            }

            Write(w, target, root, depth + 1);
            return;
        }

        if (schema.TryGetProperty("const", out var constant))
        {
            constant.WriteTo(w);
            return;
        }

        if (schema.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array && values.GetArrayLength() > 0)
        {
            values[0].WriteTo(w);
            return;
        }

        foreach (var combinator in (ReadOnlySpan<string>)["anyOf", "oneOf", "allOf"])
        {
            if (schema.TryGetProperty(combinator, out var options) && options.ValueKind == JsonValueKind.Array && options.GetArrayLength() > 0)
            {
                Write(w, options[0], root, depth + 1);
                return;
            }
        }

        var type = schema.TryGetProperty("type", out var t)
            ? t.ValueKind == JsonValueKind.Array ? t[0].GetString() : t.GetString()
            : schema.TryGetProperty("properties", out _) ? "object" : "string";
        switch (type)
        {
            case "object":
                w.WriteStartObject();
                if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
                {
                    foreach (var property in properties.EnumerateObject())
                    {
                        w.WritePropertyName(property.Name);
                        Write(w, property.Value, root, depth + 1);
                    }
                }

                w.WriteEndObject();
                break;
            case "array":
                w.WriteStartArray();
                if (schema.TryGetProperty("items", out var items) && schema.TryGetProperty("minItems", out var min) && min.TryGetInt32(out var count))
                {
                    for (var i = 0; i < Math.Min(count, 4); i++)
                    {
                        Write(w, items, root, depth + 1);
                    }
                }

                w.WriteEndArray();
                break;
            case "integer":
                w.WriteNumberValue(schema.TryGetProperty("minimum", out var imin) && imin.TryGetInt64(out var il) ? il : 1);
                break;
            case "number":
                w.WriteNumberValue(schema.TryGetProperty("minimum", out var nmin) && nmin.TryGetDouble(out var nd) ? nd : 1.5);
                break;
            case "boolean":
                w.WriteBooleanValue(true);
                break;
            case "null":
                w.WriteNullValue();
                break;
            default:
                w.WriteStringValue("simulated");
                break;
        }
    }
}
