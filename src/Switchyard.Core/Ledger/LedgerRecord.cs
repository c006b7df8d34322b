using Switchyard.Canonical;

namespace Switchyard.Ledger;

/// <summary>Final status class of a request, as stored.</summary>
public enum LedgerOutcome
{
    Success,

    /// <summary>Refused by the gateway after acceptance (routing, policy).</summary>
    Rejected,

    /// <summary>Every candidate failed upstream.</summary>
    UpstreamFailed,

    /// <summary>The client went away before the response completed.</summary>
    ClientDisconnected,

    /// <summary>A stream that had started broke before its end.</summary>
    StreamInterrupted,
}

/// <summary>One upstream attempt of a request.</summary>
public sealed record AttemptRecord(string DeploymentId, string Status, int UpstreamStatusCode, double DurationMs);

/// <summary>
/// One durable record per accepted request (invariant 2). Holds no prompt, completion or secret: the key is
/// identified by its name and hash prefix only.
/// </summary>
public sealed record LedgerRecord
{
    public required string RequestId { get; init; }
    public required DateTimeOffset Timestamp { get; init; }
    public required string KeyName { get; init; }
    public required string KeyId { get; init; }
    public string? Team { get; init; }
    public required ApiFormat ClientFormat { get; init; }
    public required Operation Operation { get; init; }
    public required string RequestedModel { get; init; }
    public string? ServedModel { get; init; }
    public string? DeploymentId { get; init; }
    public string? Provider { get; init; }
    public bool Simulated { get; init; }
    public required LedgerOutcome Outcome { get; init; }
    public required int HttpStatus { get; init; }
    public string? ErrorClass { get; init; }
    public Usage Usage { get; init; }
    public decimal CostUsd { get; init; }
    public string? PriceVersion { get; init; }
    public double TotalMs { get; init; }
    public double UpstreamMs { get; init; }
    public double OverheadMs { get; init; }
    public bool Streamed { get; init; }
    public string? DataClass { get; init; }
    public string? RouteReason { get; init; }
    public IReadOnlyList<AttemptRecord> Attempts { get; init; } = [];
}

/// <summary>Spend grouped for reports.</summary>
public sealed record UsageSummaryRow(string Day, string KeyName, string Model, long Requests, long InputTokens, long OutputTokens, long CachedTokens, decimal CostUsd, long Failures);

/// <summary>Where ledger records are kept. Implementations: SQLite (embedded), PostgreSQL (scale-out).</summary>
public interface ILedgerStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>Writes a batch atomically; a request id already present is not written twice.</summary>
    Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken);

    Task<long> CountAsync(CancellationToken cancellationToken);

    Task<LedgerRecord?> FindAsync(string requestId, CancellationToken cancellationToken);

    /// <summary>Spend by day, key and model within [from, to).</summary>
    Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);
}
