using System.Text.Json;
using System.Text.Json.Nodes;
using NJsonSchema;
using NJsonSchema.Infrastructure;
using NJsonSchema.Validation;

namespace Switchyard.Testing;

/// <summary>
/// Validates JSON against the component schemas of OpenAI's own OpenAPI document
/// (<c>shared/data/specs/openai-openapi.subset.json</c>, OpenAPI 3.0). The document's
/// <c>components.schemas</c> become the <c>definitions</c> of one JSON schema whose <c>$ref</c>s point there, and it
/// is read and validated as <see cref="SchemaType.OpenApi3"/>: the OpenAPI 3 contract resolver is what maps
/// <c>nullable: true</c> (without it NJsonSchema ignores the keyword and rejects every null).
/// Load once with <see cref="LoadAsync"/>, then <see cref="Validate"/> is synchronous and thread-safe.
/// </summary>
public sealed class OpenAISchemas
{
    public const string CreateChatCompletionRequest = nameof(CreateChatCompletionRequest);
    public const string CreateChatCompletionResponse = nameof(CreateChatCompletionResponse);
    public const string CreateChatCompletionStreamResponse = nameof(CreateChatCompletionStreamResponse);
    public const string CreateEmbeddingRequest = nameof(CreateEmbeddingRequest);
    public const string CreateEmbeddingResponse = nameof(CreateEmbeddingResponse);
    public const string ListModelsResponse = nameof(ListModelsResponse);
    public const string Model = nameof(Model);
    public const string ErrorResponse = nameof(ErrorResponse);

    private const string ComponentsPrefix = "#/components/schemas/";
    private const string DefinitionsPrefix = "#/definitions/";

    // Loaded once per process: the first caller's load is shared by every later one.
    private static Task<OpenAISchemas>? _loading;

    private readonly JsonSchema _root;

    private OpenAISchemas(JsonSchema root) => _root = root;

    /// <summary>Absolute path of the spec file: the repository root's sibling <c>shared/data/specs</c>.</summary>
    public static string SpecPath => Path.Combine(SharedData.SpecsDirectory, "openai-openapi.subset.json");

    /// <summary>Names of every component schema in the document.</summary>
    public IReadOnlyCollection<string> Names => [.. _root.Definitions.Keys];

    /// <summary>Loads (once per process) and returns the schemas.</summary>
    public static Task<OpenAISchemas> LoadAsync(CancellationToken cancellationToken = default)
    {
        var loading = Volatile.Read(ref _loading);
        if (loading is null)
        {
            var started = LoadCoreAsync();
            loading = Interlocked.CompareExchange(ref _loading, started, null) ?? started;
        }

        return loading.WaitAsync(cancellationToken);
    }

    private static async Task<OpenAISchemas> LoadCoreAsync()
    {
        var text = await File.ReadAllTextAsync(SpecPath);
        var root = await JsonSchemaSerialization.FromJsonAsync<JsonSchema>(ToJsonSchema(text), SchemaType.OpenApi3, documentPath: null,
            schema => new JsonReferenceResolver(new JsonSchemaAppender(schema, new DefaultTypeNameGenerator())),
            contractResolver: JsonSchema.CreateJsonSerializerContractResolver(SchemaType.OpenApi3), CancellationToken.None);
        return new OpenAISchemas(root);
    }

    /// <summary>The validation errors of <paramref name="json"/> against the component schema <paramref name="schemaName"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string schemaName, string json)
    {
        if (!_root.Definitions.TryGetValue(schemaName, out var schema))
        {
            throw new ArgumentException($"The OpenAPI document has no component schema '{schemaName}'.", nameof(schemaName));
        }

        ICollection<ValidationError> errors;
        try
        {
            errors = new JsonSchemaValidator().Validate(json, schema, SchemaType.OpenApi3);
        }
        catch (Newtonsoft.Json.JsonException ex)
        {
            return [$"not JSON: {ex.Message}"];
        }

        var list = new List<string>();
        foreach (var error in errors)
        {
            Flatten(error, "", list);
        }

        return list;
    }

    /// <summary>Asserts-style helper: a readable one-line-per-error description including the document, or null when valid.</summary>
    public string? Describe(string schemaName, string json)
    {
        var errors = Validate(schemaName, json);
        return errors.Count == 0 ? null : $"{schemaName} violations:\n  {string.Join("\n  ", errors)}\nin document:\n{json}";
    }

    private static void Flatten(ValidationError error, string indent, List<string> into)
    {
        into.Add($"{indent}{error.Kind} at '{error.Path ?? "#"}' (property {error.Property ?? "-"})");
        if (error is ChildSchemaValidationError child)
        {
            var branch = 0;
            foreach (var (_, childErrors) in child.Errors)
            {
                into.Add($"{indent}  branch {branch++}:");
                foreach (var inner in childErrors)
                {
                    Flatten(inner, indent + "    ", into);
                }
            }
        }
    }

    /// <summary>
    /// Turns the OpenAPI document into one JSON schema: <c>components.schemas</c> as <c>definitions</c>, and every
    /// <c>$ref</c> rewritten to point there. Nothing inside the schemas changes otherwise.
    /// </summary>
    private static string ToJsonSchema(string openApi)
    {
        var document = JsonNode.Parse(openApi)!.AsObject();
        var schemas = document["components"]!["schemas"]!.DeepClone();
        RewriteRefs(schemas);
        var root = new JsonObject
        {
            ["$schema"] = "http://json-schema.org/draft-04/schema#",
            ["definitions"] = schemas,
        };
        return root.ToJsonString();
    }

    private static void RewriteRefs(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj.ToList())
                {
                    if (name == "$ref" && value is JsonValue v && v.GetValueKind() == JsonValueKind.String
                        && v.GetValue<string>() is { } target && target.StartsWith(ComponentsPrefix, StringComparison.Ordinal))
                    {
                        obj["$ref"] = DefinitionsPrefix + target[ComponentsPrefix.Length..];
                    }
                    else
                    {
                        RewriteRefs(value);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    RewriteRefs(item);
                }

                break;
        }
    }
}

/// <summary>Locates <c>../shared/data</c> next to the repository root, from wherever the tests run.</summary>
public static class SharedData
{
    /// <summary>The repository root (the directory whose sibling <c>shared/data/specs</c> exists).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    public static string Directory => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "data"));

    public static string SpecsDirectory => Path.Combine(Directory, "specs");

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (System.IO.Directory.Exists(Path.Combine(dir.FullName, "..", "shared", "data", "specs")))
            {
                return dir.FullName;
            }
        }

        // The same sentence `dotnet test` prints before building (eng/SharedData.targets), for runners that skip MSBuild.
        throw new DirectoryNotFoundException(
            $"The tests need the shared data folder ../shared/data next to the repository (public datasets, API specs and price tables), and no ancestor of {AppContext.BaseDirectory} has it.");
    }
}
