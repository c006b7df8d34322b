using Switchyard.Core.Model;
namespace Switchyard.Core.Ledger;

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

    /// <summary>
    /// The most capable model the caller was allowed to use for this request (highest catalog output price among
    /// the models its key may reach that can serve the request); the "all-frontier" baseline of the savings report.
    /// </summary>
    public string? BaselineModel { get; init; }

    /// <summary>What the same usage would have cost on <see cref="BaselineModel"/>; null when no baseline was known.</summary>
    public decimal? BaselineCostUsd { get; init; }

    /// <summary>Task category from Inspect (chat requests); null for embeddings and older records (reported as <c>unclassified</c>).</summary>
    public string? TaskCategory { get; init; }

    /// <summary>The key's organisation (stored keys); null for keys from the configuration file.</summary>
    public string? Org { get; init; }

    /// <summary>The end user the application named (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>), clipped.</summary>
    public string? EndUser { get; init; }

    /// <summary>
    /// Entity types the privacy scanner found in the prompt, comma-separated (<c>CREDIT_CARD,EMAIL</c>): types
    /// only, never values. Null when none was found.
    /// </summary>
    public string? PiiTypes { get; init; }

    /// <summary>The objective that ordered the plan (<c>weighted</c>, <c>cheapest-qualifying</c>, <c>fastest</c>, <c>best</c>).</summary>
    public string? RouteObjective { get; init; }

    /// <summary>The plan's candidates with predicted quality and estimated cost, primary first (<see cref="Route.RouteDecision.CandidatesJson"/>).</summary>
    public string? RouteCandidates { get; init; }

    /// <summary>
    /// When a fallback served the request (not the plan's first choice): what it cost more than the first choice would
    /// have charged for the same usage (negative when the fallback was cheaper) — the money the failure cost. Null when
    /// the first choice served, or nothing did. Its sum over the cost's sum is the share of spend due to fallbacks.
    /// </summary>
    public decimal? FallbackExtraCostUsd { get; init; }

    /// <summary>Trust zone of the deployment that served (<c>self-hosted</c>, <c>private</c>, <c>external</c>); null when none did.</summary>
    public string? TrustZone { get; init; }

    /// <summary>The deployments Route left out of the plan, each with its reason (<see cref="Reports.ExcludedCandidates"/>); null when none was.</summary>
    public string? RouteExcluded { get; init; }
}

/// <summary>
/// Spend of one day, organisation, team, key and model: live ledger rows and rolled-up daily aggregates alike
/// (retention moves old rows into <c>ledger_daily</c> without changing any sum).
/// </summary>
public sealed record SpendRow(string Day, string Org, string Team, string KeyName, string KeyId, string Model,
    long Requests, long InputTokens, long OutputTokens, long CachedTokens, long CacheWriteTokens, decimal CostUsd, long Failures);

/// <summary>Spend grouped for reports.</summary>
public sealed record UsageSummaryRow(string Day, string KeyName, string Model, long Requests, long InputTokens, long OutputTokens, long CachedTokens, decimal CostUsd, long Failures);

/// <summary>
/// One group of the savings report's aggregate over a time window: requests with the same team, requested name
/// (alias or model), task category, data class and served model. Costs are exact sums of the stored nano-dollars.
/// </summary>
/// <param name="Team">The key's team; null when the key has none.</param>
/// <param name="RequestedModel">The name the client asked for (an alias or a model).</param>
/// <param name="TaskCategory">Null when not classified.</param>
/// <param name="DataClass">Null for records written before Inspect classified requests.</param>
/// <param name="ServedModel">Null when no deployment served the request.</param>
/// <param name="Requests">Records in the group.</param>
/// <param name="InputTokens">Sum of input tokens (cached included).</param>
/// <param name="OutputTokens">Sum of output tokens.</param>
/// <param name="CachedTokens">Sum of cached input tokens.</param>
/// <param name="CostUsd">Cost as routed.</param>
/// <param name="BaselineCostUsd">Cost on each request's baseline model; a record without a baseline counts at its own cost.</param>
/// <param name="RequestsWithoutBaseline">Records that had no baseline (older than the column, or no eligible model).</param>
/// <param name="Failures">Records whose outcome was not a success.</param>
/// <param name="FallbackRequests">Records a fallback served (not the plan's first choice).</param>
/// <param name="FallbackExtraCostUsd">What those cost more than their first choices would have charged (<see cref="LedgerRecord.FallbackExtraCostUsd"/>).</param>
public sealed record LedgerReportRow(
    string? Team,
    string RequestedModel,
    string? TaskCategory,
    string? DataClass,
    string? ServedModel,
    long Requests,
    long InputTokens,
    long OutputTokens,
    long CachedTokens,
    decimal CostUsd,
    decimal BaselineCostUsd,
    long RequestsWithoutBaseline,
    long Failures,
    long FallbackRequests = 0,
    decimal FallbackExtraCostUsd = 0m);

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

    /// <summary>
    /// The savings report's aggregate within [from, to), grouped by team, requested name, task category, data class
    /// and served model, computed by the store with exact integer sums.
    /// </summary>
    Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Spend by day, organisation, team, key and model within [from, to) (days of rolled-up rows count when the day
    /// starts in the window), from live rows and daily aggregates together.
    /// </summary>
    Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken);

    /// <summary>
    /// Retention: moves every record older than <paramref name="before"/> into the daily aggregates (added to what is
    /// there) and deletes it, in one transaction, so totals never change. Returns the records moved.
    /// </summary>
    Task<long> RollUpAsync(DateTimeOffset before, CancellationToken cancellationToken);
}
