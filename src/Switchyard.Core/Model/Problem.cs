namespace Switchyard.Core.Model;

/// <summary>
/// A refusal as a value (issue 14, decision 3): what any stage returns instead of going on, from a body that cannot be
/// parsed to a budget that is spent. The stage that refuses says why once, in <see cref="Message"/>, from the facts it
/// holds (never by matching another stage's wording); the client format only wraps it in its own error envelope
/// (invariant 3). <see cref="Status"/> is the HTTP status, <see cref="Code"/> the machine-readable code both formats carry.
/// </summary>
/// <param name="Status">HTTP status the client sees (4xx for the caller's mistakes and refusals, 5xx for upstream failures).</param>
/// <param name="Code">Machine-readable code (OpenAI's <c>error.code</c>; the ledger's error class).</param>
/// <param name="Message">One human sentence or two: what is wrong and the way out.</param>
public sealed record Problem(int Status, string Code, string Message)
{
    /// <summary>The request field at fault, as a path into the client's own body (OpenAI's <c>error.param</c>).</summary>
    public string? Param { get; init; }

    /// <summary>OpenAI's <c>error.type</c>; the Anthropic format maps it to its own error types by status.</summary>
    public string Type { get; init; } = "invalid_request_error";

    /// <summary>How long the client should wait before trying again (both <c>retry-after</c> headers), when it is known.</summary>
    public TimeSpan? RetryAfter { get; init; }

    /// <summary>False when retrying cannot help (a spent budget): Egress sets <c>x-should-retry: false</c>, which the SDKs honour.</summary>
    public bool ShouldRetry { get; init; } = true;
}
