using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing.Upstreams;

/// <summary>
/// Google's Gemini API on loopback (<c>POST /v1beta/models/{model}:generateContent</c> and
/// <c>:streamGenerateContent?alt=sse</c>), answering with the wire bodies of <c>Fixtures/Gemini</c>: function calls
/// when <c>toolConfig</c> says <c>ANY</c>, a JSON document when a <c>responseSchema</c> is set, text otherwise.
/// </summary>
public sealed class FakeGeminiUpstream : LoopbackFake
{
    public static string FixturesDirectory => Path.Combine(SharedData.RepoRoot, "tests", "Switchyard.Testing", "Fixtures", "Gemini");

    public static string Fixture(string name) => File.ReadAllText(Path.Combine(FixturesDirectory, name));

    public static async Task<FakeGeminiUpstream> StartAsync()
    {
        var fake = new FakeGeminiUpstream();
        await fake.StartAsync("/v1beta");
        return fake;
    }

    /// <summary>Answers every call with one fixture (status and optional headers).</summary>
    public static Func<HttpContext, ReceivedRequest, Task> Serve(string fixture, int status = 200) => (context, _) => WriteJsonAsync(context, Fixture(fixture), status);

    protected override Task DefaultAsync(HttpContext context, ReceivedRequest request) => AnswerAsync(context, request);

    /// <summary>Answers a <c>generateContent</c> or <c>streamGenerateContent</c> call from the fixtures (also Gemini on Vertex AI).</summary>
    public static async Task AnswerAsync(HttpContext context, ReceivedRequest request)
    {
        var body = request.Json;
        if (request.Path.Contains(":embedContent", StringComparison.Ordinal) || request.Path.Contains(":batchEmbedContents", StringComparison.Ordinal))
        {
            await WriteJsonAsync(context, Embeddings(request.Path, body));
            return;
        }

        var forced = body["toolConfig"]?["functionCallingConfig"]?["mode"]?.GetValue<string>() == "ANY";
        if (request.Path.Contains(":streamGenerateContent", StringComparison.Ordinal))
        {
            var sse = Fixture(forced ? "stream-function-call.sse" : "stream-text.sse");
            await WriteEventsAsync(context, sse.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e + "\n\n"));
            return;
        }

        var reply = JsonNode.Parse(Fixture(forced ? "function-call.json" : body["generationConfig"]?["responseSchema"] is not null ? "json.json" : "text.json"))!;
        if (body["generationConfig"]?["candidateCount"]?.GetValue<int>() is > 1 and var count)
        {
            // candidateCount: that many candidates, each with its index and its own text.
            var first = reply["candidates"]![0]!;
            reply["candidates"] = new JsonArray([.. Enumerable.Range(0, count).Select(i =>
            {
                var candidate = first.DeepClone();
                candidate["index"] = i;
                if (candidate["content"]!["parts"]![0]!["text"] is { } text)
                {
                    candidate["content"]!["parts"]![0]!["text"] = text.GetValue<string>() + (i == 0 ? "" : $" (candidate {i})");
                }

                return candidate;
            })]);
        }

        await WriteJsonAsync(context, reply.ToJsonString());
    }

    /// <summary><c>embedContent</c>: <c>{"embedding":{"values":[…]}}</c>; <c>batchEmbedContents</c>: <c>{"embeddings":[{"values":[…]}, …]}</c>, one per request, of <c>outputDimensionality</c> values (3 by default).</summary>
    private static string Embeddings(string path, JsonNode body)
    {
        static JsonObject Vector(JsonNode request, int seed) =>
            new() { ["values"] = new JsonArray([.. Enumerable.Range(0, request["outputDimensionality"]?.GetValue<int>() ?? 3).Select(i => (JsonNode)JsonValue.Create(0.125 * (seed + 1) + 0.5 * i)!)]) };

        return path.Contains(":batchEmbedContents", StringComparison.Ordinal)
            ? new JsonObject { ["embeddings"] = new JsonArray([.. body["requests"]!.AsArray().Select((r, i) => (JsonNode)Vector(r!, i))]) }.ToJsonString()
            : new JsonObject { ["embedding"] = Vector(body, 0) }.ToJsonString();
    }
}

/// <summary>
/// The field names of Gemini's API reference (GenerateContentRequest and its parts, GenerateContentResponse):
/// <see cref="Describe"/> names the first field of a body that the reference does not have.
/// </summary>
public static class GeminiShapes
{
    private static readonly Dictionary<string, string[]> _fields = new()
    {
        ["GenerateContentRequest"] = ["contents", "systemInstruction", "tools", "toolConfig", "generationConfig", "safetySettings", "cachedContent"],
        ["contents[]"] = ["role", "parts"],
        ["systemInstruction"] = ["role", "parts"],
        ["parts[]"] = ["text", "inlineData", "fileData", "functionCall", "functionResponse", "thought", "thoughtSignature"],
        ["inlineData"] = ["mimeType", "data"],
        ["functionCall"] = ["id", "name", "args"],
        ["functionResponse"] = ["id", "name", "response"],
        ["tools[]"] = ["functionDeclarations", "googleSearch", "codeExecution"],
        ["functionDeclarations[]"] = ["name", "description", "parameters", "parametersJsonSchema", "response"],
        ["toolConfig"] = ["functionCallingConfig"],
        ["functionCallingConfig"] = ["mode", "allowedFunctionNames"],
        ["generationConfig"] = ["stopSequences", "responseMimeType", "responseSchema", "responseJsonSchema", "candidateCount", "maxOutputTokens", "temperature", "topP", "topK", "seed", "presencePenalty", "frequencyPenalty", "responseLogprobs", "logprobs", "thinkingConfig"],
        ["GenerateContentResponse"] = ["candidates", "promptFeedback", "usageMetadata", "modelVersion", "responseId"],
        ["candidates[]"] = ["content", "finishReason", "safetyRatings", "citationMetadata", "tokenCount", "index", "finishMessage", "avgLogprobs"],
        ["content"] = ["role", "parts"],
        ["usageMetadata"] = ["promptTokenCount", "cachedContentTokenCount", "candidatesTokenCount", "toolUsePromptTokenCount", "thoughtsTokenCount", "totalTokenCount", "promptTokensDetails", "cacheTokensDetails", "candidatesTokensDetails", "toolUsePromptTokensDetails"],
        ["promptFeedback"] = ["blockReason", "safetyRatings"],
    };

    /// <summary>The Schema object's fields (an OpenAPI 3.0 subset), checked everywhere a schema appears.</summary>
    private static readonly string[] _schema =
        ["type", "format", "title", "description", "nullable", "enum", "maxItems", "minItems", "properties", "required", "minProperties", "maxProperties", "minLength", "maxLength", "pattern", "example", "anyOf", "propertyOrdering", "default", "items", "minimum", "maximum"];

    private static readonly string[] _types = ["STRING", "NUMBER", "INTEGER", "BOOLEAN", "ARRAY", "OBJECT", "NULL"];

    /// <summary>Null when every field of <paramref name="json"/> is in the reference (<paramref name="root"/> is <c>GenerateContentRequest</c> or <c>GenerateContentResponse</c>).</summary>
    public static string? Describe(string root, string json) => Check(root, JsonNode.Parse(json)!, root);

    private static string? Check(string kind, JsonNode node, string path)
    {
        if (kind is "parameters" or "responseSchema")
        {
            return CheckSchema(node, path);
        }

        if (node is not JsonObject obj || !_fields.TryGetValue(kind, out var allowed))
        {
            return null;
        }

        foreach (var (name, value) in obj)
        {
            if (!allowed.Contains(name))
            {
                return $"{path}.{name} is not a field of {kind}";
            }

            if (value is JsonArray array)
            {
                var i = 0;
                foreach (var item in array)
                {
                    if (Check(name + "[]", item!, $"{path}.{name}[{i++}]") is { } problem)
                    {
                        return problem;
                    }
                }
            }
            else if (value is not null && Check(name, value, $"{path}.{name}") is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? CheckSchema(JsonNode node, string path)
    {
        if (node is not JsonObject obj)
        {
            return $"{path} is not a Schema object";
        }

        foreach (var (name, value) in obj)
        {
            if (!_schema.Contains(name))
            {
                return $"{path}.{name} is not a field of Schema";
            }

            if (name == "type" && !_types.Contains(value?.GetValue<string>()))
            {
                return $"{path}.type '{value}' is not a Gemini Type";
            }

            var problem = name switch
            {
                "properties" => value!.AsObject().Select(p => CheckSchema(p.Value!, $"{path}.properties.{p.Key}")).FirstOrDefault(p => p is not null),
                "items" => CheckSchema(value!, path + ".items"),
                "anyOf" => value!.AsArray().Select((s, i) => CheckSchema(s!, $"{path}.anyOf[{i}]")).FirstOrDefault(p => p is not null),
                _ => null,
            };
            if (problem is not null)
            {
                return problem;
            }
        }

        return null;
    }
}
