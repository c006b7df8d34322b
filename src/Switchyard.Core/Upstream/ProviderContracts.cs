using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;

namespace Switchyard.Core.Upstream;

/// <summary>A secret value (an upstream key) that never prints itself (invariant 6).</summary>
public sealed class Secret
{
    private readonly string _value;

    public Secret(string value) => _value = value;

    public string Reveal() => _value;

    public override string ToString() => "[secret]";
}

/// <summary>A provider's settings with its key resolved, handed to the adapter factory at compile time.</summary>
public sealed record ProviderSettings(ProviderConfig Config, Secret? ApiKey)
{
    /// <summary>The environment the configuration reads variables from (the process's, or a test's).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>The configuration file's folder: relative file names in the provider's settings are resolved from it.</summary>
    public string? ConfigDirectory { get; init; }

    /// <summary><paramref name="path"/> as an absolute path (relative ones from <see cref="ConfigDirectory"/>).</summary>
    public string ResolvePath(string path) =>
        Path.IsPathRooted(path) || string.IsNullOrEmpty(ConfigDirectory) ? path : Path.Combine(ConfigDirectory, path);
}

/// <summary>
/// Thrown by an adapter factory when a provider cannot be set up from what its configuration names (a credential
/// variable unset, a key file unreadable): the compiler skips the provider with a warning, as for a missing API key.
/// The message never holds a secret.
/// </summary>
public sealed class ProviderUnavailableException : Exception
{
    public ProviderUnavailableException(string message)
        : base(message)
    {
    }

    public ProviderUnavailableException()
    {
    }

    public ProviderUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}

/// <summary>Builds adapters for one provider type (<c>openai</c>, <c>simulated</c>, …); collected by name.</summary>
public interface IProviderAdapterFactory
{
    string Type { get; }

    IProviderAdapter Create(ProviderSettings settings);
}

/// <summary>
/// Speaks one provider's wire format: turns a canonical request into an upstream call and its reply into a
/// result. Upstream failures are values (<see cref="DispatchStatus"/>), never exceptions.
/// </summary>
public interface IProviderAdapter
{
    string ProviderName { get; }

    /// <summary>The wire format this adapter speaks upstream.</summary>
    ApiFormat WireFormat { get; }

    /// <summary>True for the <c>simulated</c> provider: responses and logs are labelled as such.</summary>
    bool IsSimulated { get; }

    ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken);

    /// <summary>
    /// Names what of <paramref name="request"/> this adapter's wire format cannot carry (e.g.
    /// <c>thinking: extended thinking</c>), or null when it can carry all of it. Route skips a deployment that
    /// cannot carry a request, so nothing is dropped on the way (no silent degradation).
    /// </summary>
    string? CannotCarry(CanonicalRequest request) => null;
}

/// <summary>One attempt's input: the request, where it goes, and the id to propagate.</summary>
public sealed record UpstreamCall(CanonicalRequest Request, Deployment Deployment, string RequestId);

/// <summary>How an upstream attempt ended.</summary>
public enum DispatchStatus
{
    Success,
    RateLimited,
    UpstreamError,
    Timeout,
    ClientCanceled,
    ConnectFailed,

    /// <summary>The upstream refused the request itself (4xx other than 401/403/429): not retriable.</summary>
    Rejected,

    /// <summary>The upstream refused our credentials: a gateway configuration problem.</summary>
    AuthFailed,

    /// <summary>The upstream answered with something that is not its wire format.</summary>
    InvalidResponse,
}

/// <summary>The outcome of one upstream attempt.</summary>
public sealed class UpstreamResult
{
    public required DispatchStatus Status { get; init; }

    /// <summary>The upstream's HTTP status, or 0 when none arrived.</summary>
    public int UpstreamStatusCode { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    /// <summary>A message safe for the client: redacted, never the raw upstream body.</summary>
    public string? SafeMessage { get; init; }

    /// <summary>The upstream's error type/code when it gave one (e.g. <c>context_length_exceeded</c>).</summary>
    public string? ErrorCode { get; init; }

    public string? ErrorParam { get; init; }

    /// <summary>
    /// A complete (non-streamed) body in the client's format (same-format relay), or empty when the adapter
    /// translated the reply into <see cref="Response"/>.
    /// </summary>
    public ReadOnlyMemory<byte> Body { get; init; }

    /// <summary>The reply in canonical form, when the upstream spoke another format than the client.</summary>
    public CanonicalResponse? Response { get; init; }

    /// <summary>An open stream, when the request streamed and the upstream accepted it.</summary>
    public IUpstreamStream? Stream { get; init; }

    public Usage? Usage { get; init; }

    /// <summary>Time spent waiting on the upstream (until headers for streams, until the body otherwise).</summary>
    public TimeSpan UpstreamTime { get; init; }

    public bool IsSuccess => Status == DispatchStatus.Success;

    public static UpstreamResult Failure(DispatchStatus status, int statusCode, string message, TimeSpan elapsed, TimeSpan? retryAfter = null) =>
        new() { Status = status, UpstreamStatusCode = statusCode, SafeMessage = message, UpstreamTime = elapsed, RetryAfter = retryAfter };
}

/// <summary>
/// One server-sent event of an upstream stream, already split from the byte stream. <see cref="Data"/> is in the
/// upstream's format; when that is the client's, Egress relays it as it is (with <see cref="EventName"/> for
/// formats that name their events), otherwise <see cref="Deltas"/> hold the event in canonical form.
/// </summary>
public readonly record struct StreamEvent(ReadOnlyMemory<byte> Data, bool IsDone, bool IsUsageOnly, int ContentChars)
{
    /// <summary>The SSE <c>event:</c> name, when the upstream format uses one (Anthropic).</summary>
    public ReadOnlyMemory<byte> EventName { get; init; }

    /// <summary>The event in canonical form, when the client speaks another format than the upstream (else null).</summary>
    public IReadOnlyList<StreamDelta>? Deltas { get; init; }
}

/// <summary>An upstream stream read event by event; the reader owns the connection until disposed.</summary>
public interface IUpstreamStream : IAsyncDisposable
{
    /// <summary>Reads the next event; false at a clean end. A broken stream reports through <see cref="Failure"/>.</summary>
    ValueTask<bool> ReadAsync(CancellationToken cancellationToken);

    /// <summary>The event read last. Its memory is valid until the next read.</summary>
    StreamEvent Current { get; }

    /// <summary>The usage the upstream reported, once it has.</summary>
    Usage? Usage { get; }

    /// <summary>Characters of generated content seen so far (for the estimate when no usage arrives).</summary>
    int ContentChars { get; }

    /// <summary>Set when the stream ended without its terminator (cut, reset, malformed, timed out).</summary>
    DispatchStatus? Failure { get; }
}

/// <summary>
/// An adapter that can check a deployment's health with a cheap request (e.g. <c>GET /models</c> for the OpenAI
/// format), used by the active prober when <c>resilience…probe_interval</c> is set. Optional: adapters without it
/// get passive health only.
/// </summary>
public interface IHealthProbe
{
    /// <summary>True when the upstream answered healthily within <paramref name="timeout"/>; never throws for upstream failures.</summary>
    ValueTask<bool> ProbeAsync(Deployment deployment, TimeSpan timeout, CancellationToken cancellationToken);
}
