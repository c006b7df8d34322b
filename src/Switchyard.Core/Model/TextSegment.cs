namespace Switchyard.Core.Model;

/// <summary>What a <see cref="TextSegment"/> is to the canonical request.</summary>
public enum TextSegmentKind
{
    /// <summary>A text or refusal part of a user or assistant message (<see cref="ChatMessage.Content"/>).</summary>
    Content,

    /// <summary>A text part of a system or developer message (Anthropic's <c>system</c> included).</summary>
    System,

    /// <summary>A text part of a tool result (an OpenAI <c>tool</c> message, an Anthropic <c>tool_result</c> block).</summary>
    ToolResult,

    /// <summary>A tool call's arguments sent as one JSON-encoded string (OpenAI): the whole <see cref="ToolCall.ArgumentsJson"/>.</summary>
    ToolArguments,

    /// <summary>
    /// One string inside a tool call's arguments sent as a JSON object (Anthropic <c>tool_use.input</c>):
    /// <see cref="TextSegment.Base"/> is where that object starts, so the string's place in <see cref="ToolCall.ArgumentsJson"/>
    /// is <c>Offset - Base</c>.
    /// </summary>
    ToolInput,

    /// <summary>One embeddings input string (<see cref="TextSegment.Part"/> is its index in <c>input</c>).</summary>
    EmbeddingInput,

    /// <summary>
    /// Prompt text the canonical request does not carry (thinking blocks, citations, unknown fields of a content part):
    /// scanned and redacted in the body, which an upstream of the client's own format receives as sent.
    /// </summary>
    Unmapped,
}

/// <summary>
/// One prompt-text string the client format's parser read, recorded as it read it (parse once, issue 14 decision 6):
/// Inspect scans these and never the raw JSON, and redaction patches the body at their offsets.
/// </summary>
/// <param name="Offset">Byte offset in <see cref="CanonicalRequest.RawBody"/> of the JSON string token, its opening quote included.</param>
/// <param name="Length">Bytes of the JSON string token, both quotes and any escapes included.</param>
/// <param name="Text">The decoded string (the same instance the canonical request holds where it carries the text).</param>
/// <param name="Kind">What the string is to the canonical request.</param>
/// <param name="Message">Index in <see cref="CanonicalRequest.Messages"/>, or -1 (embeddings, <see cref="TextSegmentKind.Unmapped"/>).</param>
/// <param name="Part">
/// Index in the message's <see cref="ChatMessage.Content"/>; for tool arguments the index in <see cref="ChatMessage.ToolCalls"/>;
/// for an embeddings input its index in <c>input</c>; -1 when unmapped.
/// </param>
/// <param name="Base">For <see cref="TextSegmentKind.ToolInput"/>, the byte offset of the arguments object; else -1.</param>
public readonly record struct TextSegment(int Offset, int Length, string Text, TextSegmentKind Kind, int Message = -1, int Part = -1, int Base = -1)
{
    /// <summary>The byte offset just past the token's closing quote.</summary>
    public int End => Offset + Length;
}
