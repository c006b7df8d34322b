using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Chain;

/// <summary>
/// One request's journey along the chain of stages (issue 14, decision 2): what it is (id, start, client format,
/// operation, the canonical request), then each stage's part, written by that stage only and read by the ones after
/// it. At the end the ledger record is built from it once (<see cref="ToLedgerRecord"/>). The host extends it with
/// its own per-request parts (the HTTP context, the client format's writers), so a request allocates one exchange.
/// </summary>
public class Exchange
{
    private CanonicalRequest? _request;
    private Caller? _caller;
    private Inspection? _inspection;

    public Exchange(string requestId, long startTimestamp, ApiFormat clientFormat, Operation operation)
    {
        RequestId = requestId;
        StartTimestamp = startTimestamp;
        ClientFormat = clientFormat;
        Operation = operation;
    }

    /// <summary>The gateway's id of the request (<c>x-request-id</c>, the ledger's key).</summary>
    public string RequestId { get; }

    /// <summary>When the request arrived, as a <see cref="TimeProvider"/> timestamp (durations are measured from it).</summary>
    public long StartTimestamp { get; }

    /// <summary>When the request was accepted (the ledger record's timestamp); set by the sequencer once Gate admitted it.</summary>
    public DateTimeOffset AcceptedAt { get; set; }

    /// <summary>The client's API format (chosen by the endpoint).</summary>
    public ApiFormat ClientFormat { get; }

    /// <summary>The operation the endpoint serves.</summary>
    public Operation Operation { get; }

    /// <summary>Ingress: the canonical request as the client sent it.</summary>
    public CanonicalRequest Request
    {
        get => _request ?? throw new InvalidOperationException("Ingress has not parsed the request yet.");
        set => _request = value;
    }

    /// <summary>Gate: who is calling.</summary>
    public Caller Caller
    {
        get => _caller ?? throw new InvalidOperationException("Gate has not authenticated the caller yet.");
        set => _caller = value;
    }

    /// <summary>Gate: the data class the caller asked for (it may raise its request's class, never lower it).</summary>
    public DataClass? RequestedClass { get; set; }

    /// <summary>Gate: the routing preferences the caller's headers asked for.</summary>
    public RouteOverrides Overrides { get; set; } = RouteOverrides.None;

    /// <summary>Inspect: class, privacy findings, token estimate, features and (when Route ranks by quality) the task.</summary>
    public Inspection Inspection
    {
        get => _inspection ?? throw new InvalidOperationException("Inspect has not run yet.");
        set => _inspection = value;
    }

    /// <summary>Inspect: whether <see cref="Inspection"/> carries the task analysis (else the ledger writer classifies off the path).</summary>
    public bool TaskAnalyzed { get; set; }

    /// <summary>Inspect: the entity types the privacy scan found, comma-separated (types, never values); null when none.</summary>
    public string? PiiTypes { get; set; }

    /// <summary>Inspect: the savings report's baseline, fixed from the table this request runs on (docs/report.md).</summary>
    public ModelInfo? Baseline { get; set; }

    /// <summary>Route: the candidates in order, with what was left out and why.</summary>
    public RoutePlan? Plan { get; set; }

    /// <summary>Route (redaction): the request with what the scanner found replaced by placeholders; null when nothing was redacted.</summary>
    public CanonicalRequest? Redacted { get; set; }

    /// <summary>Route (redaction): the entity types replaced, comma-separated; null when nothing was redacted.</summary>
    public string? RedactedTypes { get; set; }

    /// <summary>Route (redaction): the redacted request as Route and Execute see it (the scanner's findings kept); null when nothing was redacted.</summary>
    public Inspection? RedactedInspection { get; set; }

    /// <summary>The inspection of what is sent: the redacted view's when there is one (its class is the one the ledger keeps).</summary>
    public Inspection SentInspection => RedactedInspection ?? Inspection;

    /// <summary>What Execute sends: the redacted request when there is one, else the request as parsed.</summary>
    public CanonicalRequest Sent => Redacted ?? Request;

    /// <summary>Execute: the attempts, the candidate that served and its result.</summary>
    public Outcome? Outcome { get; set; }

    /// <summary>Execute: the route's whole story (chosen, then any retry or fallback and why), as the header and the ledger tell it.</summary>
    public string? RouteStory { get; set; }

    /// <summary>Execute and Egress: milliseconds spent waiting on upstreams (a stream's reads included).</summary>
    public double UpstreamMs { get; set; }

    /// <summary>Why the request was refused, when a stage refused it (the client format words the envelope).</summary>
    public Problem? Problem { get; set; }

    /// <summary>How the request ended, as the ledger stores it (refused until a stage says otherwise).</summary>
    public LedgerOutcome Result { get; set; } = LedgerOutcome.Rejected;

    /// <summary>The HTTP status the client got, when it is not <see cref="Problem"/>'s (499 for a client that went away).</summary>
    public int HttpStatus { get; set; }

    /// <summary>The ledger's error class, when it is not <see cref="Problem"/>'s code.</summary>
    public string? ErrorClass { get; set; }

    /// <summary>Egress: the reply's usage (reported by the upstream, else estimated); null when nothing was served.</summary>
    public Usage? Usage { get; set; }

    /// <summary>Ledger: milliseconds from arrival to the end of the reply.</summary>
    public double TotalMs { get; set; }

    /// <summary>The status the client got: what a stage set, else the refusal's, else 200.</summary>
    public int Status => HttpStatus != 0 ? HttpStatus : Problem?.Status ?? 200;

    /// <summary>
    /// The record of an accepted request, built once at the end from this exchange: each stage's part
    /// as it left it. The cost is computed here, once, for streamed and non-streamed replies alike; the columns the
    /// request does not need (candidates' JSON, a deferred task category) are filled in by the ledger writer.
    /// </summary>
    public LedgerRecord ToLedgerRecord()
    {
        var caller = Caller;
        var request = Request;
        // Inspect may not have run: a request our own code failed before it is still recorded (invariant 2).
        var inspection = _inspection;
        var sent = RedactedInspection ?? inspection;
        var outcome = Outcome;
        var served = outcome?.Served?.Deployment;
        var baseline = Baseline;
        var usage = Usage ?? default;
        var routeReason = outcome is null ? Plan?.Summary ?? Problem?.Message
            : RedactedTypes is null ? RouteStory : RouteStory + "; redacted " + RedactedTypes;
        return new LedgerRecord
        {
            RequestId = RequestId,
            Timestamp = AcceptedAt,
            KeyName = caller.KeyName,
            KeyId = caller.KeyId,
            Team = caller.Team,
            Org = caller.OrgName,
            ClientFormat = request.ClientFormat,
            Operation = request.Operation,
            RequestedModel = Clip(request.Model),
            EndUser = request.User is { } user ? Clip(user) : null,
            Streamed = request.Stream,
            DataClass = sent is null ? null : DataClassName(sent.DataClass),
            PiiTypes = PiiTypes,
            TaskCategory = TaskAnalyzed && inspection is not null ? TaskCategories.Name(inspection.Task.Category) : null,
            Outcome = Result,
            HttpStatus = Status,
            ErrorClass = ErrorClass ?? Problem?.Code,
            RouteReason = routeReason,
            RouteObjective = outcome is null ? null : RouteObjectives.Name(Plan!.Objective),
            Attempts = outcome?.Attempts ?? [],
            ServedModel = served?.Model.Name,
            DeploymentId = served?.Id,
            Provider = served?.ProviderName,
            Simulated = served?.Adapter.IsSimulated ?? false,
            PriceVersion = served?.Model.Price.Version,
            Usage = usage,
            CostUsd = served is null || Usage is null ? 0m : served.Model.Price.Cost(usage),
            FallbackExtraCostUsd = Usage is null ? null : outcome?.FallbackExtraCost(usage),
            BaselineModel = baseline?.Name,
            BaselineCostUsd = baseline is null ? null : Usage is null ? 0m : baseline.Price.Cost(usage),
            TotalMs = TotalMs,
            UpstreamMs = UpstreamMs,
            OverheadMs = Math.Max(0, TotalMs - UpstreamMs),
        };
    }

    /// <summary>A data class as the ledger and the headers name it.</summary>
    public static string DataClassName(DataClass dataClass) => _dataClassNames[(int)dataClass];

    private static readonly string[] _dataClassNames = [.. Enum.GetValues<DataClass>().Select(static c => c.ToString().ToLowerInvariant())];

    private static string Clip(string text) => text.Length <= 256 ? text : text[..256];
}
