namespace Switchyard.Core.Model;

/// <summary>The API format a client spoke; Egress answers in the same one (invariant 3).</summary>
public enum ApiFormat
{
    OpenAI,
    Anthropic,

    /// <summary>Google's Gemini API (an upstream format only: there is no Gemini-format front door).</summary>
    Gemini,

    /// <summary>Amazon Bedrock's Converse API (an upstream format only).</summary>
    Bedrock,
}

/// <summary>What the client asked the gateway to do.</summary>
public enum Operation
{
    ChatCompletion,
    Embeddings,
}

/// <summary>Features a request needs from the model that serves it; Route filters on them.</summary>
[Flags]
public enum RequestFeatures
{
    None = 0,
    Streaming = 1,
    Tools = 2,
    ParallelToolCalls = 4,
    Vision = 8,
    JsonObject = 16,
    JsonSchema = 32,
    Audio = 64,
    Files = 128,
}

/// <summary>
/// The one parsed form of a client request, whatever format it arrived in. Ingress builds it once; every
/// later stage reads it and none mutates it. <see cref="RawBody"/> keeps the original bytes so a request
/// whose client and upstream speak the same format can be forwarded with only the model rewritten.
/// </summary>
public sealed record CanonicalRequest
{
    public required ApiFormat ClientFormat { get; init; }
    public required Operation Operation { get; init; }

    /// <summary>The model or alias name the client asked for.</summary>
    public required string Model { get; init; }

    public bool Stream { get; init; }

    /// <summary>The client asked for a final usage chunk (<c>stream_options.include_usage</c>).</summary>
    public bool IncludeUsage { get; init; }

    /// <summary>The client sent <c>stream_options</c> at all (so a rewrite must merge, not insert).</summary>
    public bool HasStreamOptions { get; init; }

    public IReadOnlyList<ChatMessage> Messages { get; init; } = [];
    public IReadOnlyList<ToolDefinition> Tools { get; init; } = [];
    public ToolChoice? ToolChoice { get; init; }
    public bool? ParallelToolCalls { get; init; }
    public ResponseFormat? ResponseFormat { get; init; }

    /// <summary><c>max_completion_tokens</c>, else <c>max_tokens</c>.</summary>
    public int? MaxOutputTokens { get; init; }

    public double? Temperature { get; init; }
    public double? TopP { get; init; }

    /// <summary>Anthropic's <c>top_k</c>; forwarded as <c>top_k</c> to OpenAI-style servers (vLLM, llama.cpp, SGLang accept it).</summary>
    public int? TopK { get; init; }
    public IReadOnlyList<string> Stop { get; init; } = [];
    public int? N { get; init; }
    public string? User { get; init; }

    /// <summary>Embedding inputs (strings, or token arrays rendered as counts only).</summary>
    public EmbeddingInput? EmbeddingInput { get; init; }

    public RequestFeatures Features { get; init; }

    /// <summary>Total characters of text the client sent (prompt), for the token estimate.</summary>
    public int PromptChars { get; init; }

    /// <summary>Number of images attached (each costs tokens upstream).</summary>
    public int ImageCount { get; init; }

    /// <summary>
    /// Fields the client sent that the canonical model does not carry (e.g. Anthropic <c>thinking</c>, OpenAI
    /// <c>logprobs</c>). They survive in <see cref="RawBody"/> for an upstream of the client's own format; any other
    /// upstream refuses the request by naming the first (no silent degradation).
    /// </summary>
    public IReadOnlyList<UntranslatableField> Untranslatable { get; init; } = [];

    /// <summary>The request body exactly as received.</summary>
    public ReadOnlyMemory<byte> RawBody { get; init; }

    /// <summary>
    /// Every prompt-text string the parser read from <see cref="RawBody"/>, in body order (offsets ascending): what
    /// Inspect scans and redaction patches. A request built without a parser (tests, tools) has none.
    /// </summary>
    public IReadOnlyList<TextSegment> Segments { get; init; } = [];
}

/// <summary>Inputs of an embeddings request.</summary>
public sealed record EmbeddingInput(int Count, int TotalChars, int TotalTokenIds);
