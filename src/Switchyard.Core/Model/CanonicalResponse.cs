namespace Switchyard.Core.Model;

/// <summary>Why generation stopped, in the gateway's own terms; each client format names it its own way.</summary>
public enum FinishReason
{
    /// <summary>The model ended its turn (OpenAI <c>stop</c>, Anthropic <c>end_turn</c>, Gemini <c>STOP</c>).</summary>
    Stop,

    /// <summary>A client stop sequence matched (OpenAI <c>stop</c>, Anthropic <c>stop_sequence</c>).</summary>
    StopSequence,

    /// <summary>The output-token limit was reached.</summary>
    Length,

    /// <summary>The model called tools.</summary>
    ToolCalls,

    /// <summary>A safety system blocked or cut the reply (OpenAI <c>content_filter</c>, Anthropic <c>refusal</c>).</summary>
    ContentFilter,
}

/// <summary>
/// A complete reply in the gateway's own form, for a client whose format differs from the upstream's: the
/// upstream adapter's reader builds it, the client's Egress writes it. Same-format replies skip it (their bytes
/// are relayed as they are, invariant 7).
/// </summary>
public sealed record CanonicalResponse
{
    /// <summary>The model the upstream says answered; null when it did not say.</summary>
    public string? Model { get; init; }

    /// <summary>The generated text, concatenated.</summary>
    public string Text { get; init; } = "";

    /// <summary>A refusal the model gave instead of an answer (OpenAI <c>refusal</c>).</summary>
    public string? Refusal { get; init; }

    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];

    public FinishReason Finish { get; init; }

    /// <summary>The stop sequence that matched, when the upstream named it.</summary>
    public string? MatchedStop { get; init; }

    /// <summary>A human-readable reason the upstream gave for a blocked reply (e.g. Gemini's <c>SAFETY</c>).</summary>
    public string? FilterReason { get; init; }

    public Usage? Usage { get; init; }

    /// <summary>
    /// The other choices when the client asked for several (<c>n</c> &gt; 1): choice 1, 2, … in order, each with its own
    /// text, tool calls and finish; <see cref="Usage"/> of this reply covers them all.
    /// </summary>
    public IReadOnlyList<CanonicalResponse> Alternatives { get; init; } = [];
}

public enum StreamDeltaKind
{
    /// <summary>The reply began (carries the model when the upstream names it).</summary>
    Start,

    Text,

    Refusal,

    /// <summary>A tool call begins: <see cref="StreamDelta.Index"/>, id and name.</summary>
    ToolCallStart,

    /// <summary>A piece of a tool call's JSON arguments.</summary>
    ToolArguments,

    /// <summary>Why generation stopped (the reply's last content event).</summary>
    Finish,

    /// <summary>The upstream's token counts (may come more than once; the last wins).</summary>
    Usage,
}

/// <summary>One step of a streamed reply in the gateway's own form, between an upstream's decoder and a client's encoder.</summary>
public readonly record struct StreamDelta(
    StreamDeltaKind Kind,
    string? Text = null,
    int Index = 0,
    string? Id = null,
    string? Name = null,
    FinishReason Finish = FinishReason.Stop,
    string? MatchedStop = null,
    Usage Usage = default);

/// <summary>A client field the canonical model does not carry: only an upstream of the client's own format may receive it.</summary>
/// <param name="Path">The field's path as the client wrote it (e.g. <c>thinking</c>, <c>messages.1.content.0</c>).</param>
/// <param name="What">What it is, for the error message (e.g. <c>extended thinking</c>).</param>
public sealed record UntranslatableField(string Path, string What);
