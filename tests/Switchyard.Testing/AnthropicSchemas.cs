using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Validation;

namespace Switchyard.Testing;

/// <summary>
/// Validates JSON against the definitions of the Anthropic Messages schema
/// (<c>shared/data/specs/anthropic-messages.schema.json</c>, draft-07, generated from the official TypeScript SDK).
/// Known gaps of that file (see specs/README.md): it no longer lists <c>temperature</c>, <c>top_p</c>, <c>top_k</c>,
/// and it has no error object for <c>request_too_large</c>.
/// </summary>
public sealed class AnthropicSchemas
{
    public const string Message = nameof(Message);
    public const string RawMessageStreamEvent = nameof(RawMessageStreamEvent);
    public const string ErrorResponse = nameof(ErrorResponse);
    public const string MessageCreateParamsBase = nameof(MessageCreateParamsBase);

    // Loaded once per process: the first caller's load is shared by every later one.
    private static Task<AnthropicSchemas>? _loading;

    private readonly JsonSchema _root;

    private AnthropicSchemas(JsonSchema root) => _root = root;

    public static string SpecPath => Path.Combine(SharedData.SpecsDirectory, "anthropic-messages.schema.json");

    /// <summary>Loads (once per process) and returns the schemas.</summary>
    public static Task<AnthropicSchemas> LoadAsync(CancellationToken cancellationToken = default)
    {
        var loading = Volatile.Read(ref _loading);
        if (loading is null)
        {
            var started = LoadCoreAsync();
            loading = Interlocked.CompareExchange(ref _loading, started, null) ?? started;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private static async Task<AnthropicSchemas> LoadCoreAsync()
    {
        var text = await File.ReadAllTextAsync(SpecPath);
        return new AnthropicSchemas(await JsonSchema.FromJsonAsync(ConstToEnum(text), SpecPath));
    }

    /// <summary>
    /// NJsonSchema 10 ignores draft-06 <c>const</c>, and the file says every <c>type</c> discriminator with it; the
    /// equivalent one-value <c>enum</c> is enforced. Nothing else changes.
    /// </summary>
    private static string ConstToEnum(string json)
    {
        var root = JsonNode.Parse(json)!;
        Rewrite(root);
        return root.ToJsonString();

        static void Rewrite(JsonNode? node)
        {
            switch (node)
            {
                case JsonObject obj:
                    if (obj["const"] is { } value && !obj.ContainsKey("enum"))
                    {
                        obj.Remove("const");
                        obj["enum"] = new JsonArray(value);
                    }

                    foreach (var (_, child) in obj.ToList())
                    {
                        Rewrite(child);
                    }

                    break;
                case JsonArray array:
                    foreach (var item in array)
                    {
                        Rewrite(item);
                    }

                    break;
            }
        }
    }

    /// <summary>The validation errors of <paramref name="json"/> against the definition <paramref name="name"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string name, string json)
    {
        if (!_root.Definitions.TryGetValue(name, out var schema))
        {
            throw new ArgumentException($"The Anthropic schema has no definition '{name}'.", nameof(name));
        }

        ICollection<ValidationError> errors;
        try
        {
            errors = new JsonSchemaValidator().Validate(json, schema);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return [$"not JSON: {ex.Message}"];
        }

        return [.. errors.Select(e => $"{e.Kind} at '{e.Path ?? "#"}' (property {e.Property ?? "-"})")];
    }

    /// <summary>A readable description of the violations including the document, or null when valid.</summary>
    public string? Describe(string name, string json)
    {
        var errors = Validate(name, json);
        return errors.Count == 0 ? null : $"{name} violations:\n  {string.Join("\n  ", errors)}\nin document:\n{json}";
    }

    /// <summary>
    /// Validates a request body sent to an Anthropic upstream. The SDK types the schema comes from no longer list
    /// <c>temperature</c>, <c>top_p</c> and <c>top_k</c>, which the live API accepts (../shared/data/specs/README.md):
    /// those three are checked for type here and left out of the schema check.
    /// </summary>
    public string? DescribeRequest(string json)
    {
        var node = System.Text.Json.Nodes.JsonNode.Parse(json)!.AsObject();
        foreach (var name in new[] { "temperature", "top_p", "top_k" })
        {
            if (node[name] is { } value && value.GetValueKind() != System.Text.Json.JsonValueKind.Number)
            {
                return $"{name} must be a number";
            }

            node.Remove(name);
        }

        return Describe(MessageCreateParamsBase, node.ToJsonString());
    }
}
