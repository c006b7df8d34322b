using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>
/// The outcome of a request as the console and the metrics name it (DASHBOARD.md): ok, client_error, upstream_error,
/// blocked, budget_exceeded, rate_limited. The classification from a ledger record and the SQL predicate that finds
/// the same records among raw rows live here together, so the aggregates and the request list agree.
/// </summary>
public static class OutcomeClass
{
    public const string Ok = "ok";
    public const string ClientError = "client_error";
    public const string UpstreamError = "upstream_error";
    public const string Blocked = "blocked";
    public const string BudgetExceeded = "budget_exceeded";
    public const string RateLimited = "rate_limited";

    public static readonly IReadOnlyList<string> All = [Ok, ClientError, UpstreamError, Blocked, BudgetExceeded, RateLimited];

    public static string Of(LedgerOutcome outcome, int httpStatus, string? errorClass) => outcome switch
    {
        LedgerOutcome.Success => Ok,
        LedgerOutcome.Rejected when errorClass == "budget_exceeded" => BudgetExceeded,
        LedgerOutcome.Rejected when errorClass == "rate_limit_exceeded" => RateLimited,
        LedgerOutcome.Rejected when errorClass == "data_class_forbidden" => Blocked,
        LedgerOutcome.Rejected when httpStatus >= 500 => UpstreamError,
        LedgerOutcome.UpstreamFailed when httpStatus == 429 => RateLimited,
        LedgerOutcome.UpstreamFailed or LedgerOutcome.StreamInterrupted => UpstreamError,
        _ => ClientError,
    };

    /// <summary>The SQL condition over the ledger's <c>outcome</c>, <c>http_status</c> and <c>error_class</c> columns that selects one class; null for an unknown name.</summary>
    public static string? Predicate(string name) => name switch
    {
        Ok => "outcome = 'Success'",
        BudgetExceeded => "(outcome = 'Rejected' AND error_class = 'budget_exceeded')",
        RateLimited => "((outcome = 'Rejected' AND error_class = 'rate_limit_exceeded') OR (outcome = 'UpstreamFailed' AND http_status = 429))",
        Blocked => "(outcome = 'Rejected' AND error_class = 'data_class_forbidden')",
        UpstreamError => "((outcome = 'Rejected' AND " + NotNamedRejection + " AND http_status >= 500) OR (outcome = 'UpstreamFailed' AND http_status <> 429) OR outcome = 'StreamInterrupted')",
        ClientError => "(outcome = 'ClientDisconnected' OR (outcome = 'Rejected' AND " + NotNamedRejection + " AND http_status < 500))",
        _ => null,
    };

    private const string NotNamedRejection = "COALESCE(error_class, '') NOT IN ('budget_exceeded', 'rate_limit_exceeded', 'data_class_forbidden')";
}

/// <summary>What privacy did to a request: the detections' and the heatmap's action.</summary>
public static class PrivacyAction
{
    public const string Allow = "allow";
    public const string Redact = "redact";
    public const string Block = "block";
    public const string Reroute = "reroute";

    /// <summary>
    /// block: refused for its data class; redact: sent with placeholders (the route reason says so); reroute: served
    /// after a deployment was left out for its trust zone; allow: anything else.
    /// </summary>
    public static string Of(LedgerRecord record, bool excludedForZone)
    {
        ArgumentNullException.ThrowIfNull(record);
        if (record.ErrorClass == "data_class_forbidden")
        {
            return Block;
        }

        if (record.RouteReason is { } reason && reason.Contains("; redacted ", StringComparison.Ordinal))
        {
            return Redact;
        }

        return excludedForZone && record.DeploymentId is not null ? Reroute : Allow;
    }
}
