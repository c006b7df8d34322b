using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Testing;

/// <summary>OpenAI wire-format bodies exactly as the API documents them (chat completion, chunks, errors, embeddings).</summary>
public static class OpenAIWire
{
    public const int PromptTokens = 11;
    public const int CompletionTokens = 7;
    public const int CachedTokens = 3;

    public static string Usage(int prompt = PromptTokens, int completion = CompletionTokens, int cached = CachedTokens) =>
        $$"""{"prompt_tokens":{{prompt}},"completion_tokens":{{completion}},"total_tokens":{{prompt + completion}},"prompt_tokens_details":{"cached_tokens":{{cached}},"audio_tokens":0 },"completion_tokens_details":{"reasoning_tokens":0,"audio_tokens":0,"accepted_prediction_tokens":0,"rejected_prediction_tokens":0} }""";

    public static string Completion(string model, string text, string finish = "stop") =>
        $$"""{"id":"chatcmpl-fake1","object":"chat.completion","created":1767225600,"model":{{JsonSerializer.Serialize(model)}},"system_fingerprint":"fp_fake","choices":[{"index":0,"message":{"role":"assistant","content":{{JsonSerializer.Serialize(text)}},"refusal":null,"annotations":[]},"logprobs":null,"finish_reason":"{{finish}}"}],"usage":{{Usage()}},"service_tier":"default"}""";

    public static string ToolCallCompletion(string model, string name, string arguments) =>
        $$"""{"id":"chatcmpl-fake2","object":"chat.completion","created":1767225600,"model":{{JsonSerializer.Serialize(model)}},"choices":[{"index":0,"message":{"role":"assistant","content":null,"refusal":null,"annotations":[],"tool_calls":[{"id":"call_abc123","type":"function","function":{"name":{{JsonSerializer.Serialize(name)}},"arguments":{{JsonSerializer.Serialize(arguments)}} } } ] },"logprobs":null,"finish_reason":"tool_calls"}],"usage":{{Usage()}} }""";

    private static string ChunkHead(string model) =>
        $$"""{"id":"chatcmpl-fake3","object":"chat.completion.chunk","created":1767225600,"model":{{JsonSerializer.Serialize(model)}},"system_fingerprint":"fp_fake",""";

    public static IEnumerable<string> TextChunks(string model, string text, bool includeUsage, int piecesOf = 4)
    {
        var usageNull = includeUsage ? ",\"usage\":null" : "";
        yield return ChunkHead(model) + $$"""
            "choices":[{"index":0,"delta":{"role":"assistant","content":"","refusal":null},"logprobs":null,"finish_reason":null}]{{usageNull}} }
            """;
        for (var i = 0; i < text.Length; i += piecesOf)
        {
            var piece = text.Substring(i, Math.Min(piecesOf, text.Length - i));
            yield return ChunkHead(model) + $$"""
                "choices":[{"index":0,"delta":{"content":{{JsonSerializer.Serialize(piece)}} },"logprobs":null,"finish_reason":null}]{{usageNull}} }
                """;
        }

        yield return ChunkHead(model) + $$"""
            "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"stop"}]{{usageNull}} }
            """;
        if (includeUsage)
        {
            yield return ChunkHead(model) + $$"""
                "choices":[],"usage":{{Usage()}} }
                """;
        }

        yield return "[DONE]";
    }

    public static IEnumerable<string> ToolCallChunks(string model, string name, string arguments, bool includeUsage)
    {
        var usageNull = includeUsage ? ",\"usage\":null" : "";
        yield return ChunkHead(model) + $$"""
            "choices":[{"index":0,"delta":{"role":"assistant","content":null,"tool_calls":[{"index":0,"id":"call_abc123","type":"function","function":{"name":{{JsonSerializer.Serialize(name)}},"arguments":""} } ]},"logprobs":null,"finish_reason":null}]{{usageNull}} }
            """;
        for (var i = 0; i < arguments.Length; i += 5)
        {
            var piece = arguments.Substring(i, Math.Min(5, arguments.Length - i));
            yield return ChunkHead(model) + $$"""
                "choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":{{JsonSerializer.Serialize(piece)}} } } ]},"logprobs":null,"finish_reason":null}]{{usageNull}} }
                """;
        }

        yield return ChunkHead(model) + $$"""
            "choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]{{usageNull}} }
            """;
        if (includeUsage)
        {
            yield return ChunkHead(model) + $$"""
                "choices":[],"usage":{{Usage()}} }
                """;
        }

        yield return "[DONE]";
    }

    public static string Error(string message, string type = "invalid_request_error", string? code = null, string? param = null) =>
        $$"""{"error":{"message":{{JsonSerializer.Serialize(message)}},"type":"{{type}}","param":{{(param is null ? "null" : JsonSerializer.Serialize(param))}},"code":{{(code is null ? "null" : JsonSerializer.Serialize(code))}} } }""";

    public static string Embeddings(JsonNode request, string model)
    {
        var input = request["input"]!;
        var count = input is JsonArray array && array.Count > 0 && array[0] is not JsonValue { } first ? array.Count
            : input is JsonArray strings && strings.Count > 0 && strings[0]!.GetValueKind() == JsonValueKind.String ? strings.Count : 1;
        var data = string.Join(",", Enumerable.Range(0, count).Select(i => $$"""{"object":"embedding","index":{{i}},"embedding":[0.0023064255,-0.009327292,0.015797347] }"""));
        return $$"""{"object":"list","data":[{{data}}],"model":{{JsonSerializer.Serialize(model)}},"usage":{"prompt_tokens":8,"total_tokens":8} }""";
    }
}
