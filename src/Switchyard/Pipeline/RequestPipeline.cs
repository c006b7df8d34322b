using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Ledger;
using Switchyard.Telemetry;
namespace Switchyard.Pipeline;

/// <summary>
/// Runs one request through Ingress → Gate → Inspect → Route → Execute → Egress → Ledger. Each stage is a
/// small component that hands an immutable record to the next; this class only sequences them, times them,
/// and guarantees that every accepted request ends in exactly one ledger record (invariant 2).
/// </summary>
internal sealed partial class RequestPipeline
{
    private readonly RouteTableHolder _routes;
    private readonly Inspector _inspector;
    private readonly Router _router;
    private readonly Executor _executor;
    private readonly IDeploymentStates _states;
    private readonly LedgerWriter _ledger;
    private readonly InFlightRequests _inFlight;
    private readonly TimeProvider _time;
    private readonly SwitchyardMetrics _metrics;
    private readonly ILogger<RequestPipeline> _logger;
    private readonly TenantDirectory _tenants;
    private readonly TenantAdmission _admission;

    public RequestPipeline(RouteTableHolder routes, Inspector inspector, Router router, Executor executor, LedgerWriter ledger,
        InFlightRequests inFlight, TimeProvider time, SwitchyardMetrics metrics, ILogger<RequestPipeline> logger, TenantDirectory tenants,
        TenantAdmission admission, IDeploymentStates states)
    {
        _states = states;
        _tenants = tenants;
        _admission = admission;
        _routes = routes;
        _inspector = inspector;
        _router = router;
        _executor = executor;
        _ledger = ledger;
        _inFlight = inFlight;
        _time = time;
        _metrics = metrics;
        _logger = logger;
    }

    public static string NewRequestId() => string.Create(36, Guid.CreateVersion7(), static (span, id) =>
    {
        "req_".CopyTo(span);
        id.TryFormat(span[4..], out _, "N");
    });

    public Task HandleOpenAIAsync(HttpContext context, Operation operation) => HandleAsync(context, operation, OpenAIClientEgress.Instance);

    /// <summary>Runs one request whose format-specific ends (parse, errors, bodies, streams) are <paramref name="egress"/>'s.</summary>
    public async Task HandleAsync(HttpContext context, Operation operation, ClientEgress egress)
    {
        var start = _time.GetTimestamp();
        var table = _routes.Current;
        var requestId = NewRequestId();
        var response = context.Response;
        response.Headers["x-request-id"] = requestId;
        var aborted = context.RequestAborted;

        // Gate (who) runs before the body is read: an unauthenticated caller learns nothing about its request.
        var (caller, gateError) = GateStage.Authenticate(context.Request, table, _tenants);
        if (gateError is not null)
        {
            await egress.WriteErrorAsync(response, gateError.StatusCode, gateError.Message, gateError.Param, gateError.Code, requestId);
            return;
        }

        var (requestedClass, classError) = GateStage.RequestedDataClass(context.Request);
        if (classError is not null)
        {
            await egress.WriteErrorAsync(response, classError.StatusCode, classError.Message, classError.Param, classError.Code, requestId);
            return;
        }

        var (overrides, overrideError) = RouteHeaders.Read(context.Request);
        if (overrideError is not null)
        {
            await egress.WriteErrorAsync(response, overrideError.StatusCode, overrideError.Message, overrideError.Param, overrideError.Code, requestId);
            return;
        }

        // Ingress: bounded read, then one parse into the canonical request.
        RequestBody? body;
        try
        {
            body = await RequestBody.ReadAsync(context.Request, table.Server.MaxRequestBodyBytes, aborted);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            if (!aborted.IsCancellationRequested)
            {
                await egress.WriteErrorAsync(response, 400, "The request body could not be read.", null, "invalid_body", requestId);
            }

            return;
        }

        if (body is null)
        {
            await egress.WriteErrorAsync(response, 413,
                $"The request body exceeds the gateway's limit of {table.Server.MaxRequestBodyBytes} bytes.", null, "request_too_large", requestId);
            return;
        }

        using (body)
        {
            var (request, ingressError) = egress.Parse(body.Memory, operation);
            if (ingressError is not null)
            {
                await egress.WriteErrorAsync(response, ingressError.StatusCode, ingressError.Message, ingressError.Param, ingressError.Code, requestId);
                return;
            }

            // Gate (limits): stored keys' rate limits, counted in memory; refused requests are not accepted.
            var (ticket, limitError) = _admission.Admit(caller!, request!, response);
            if (limitError is not null)
            {
                await egress.WriteErrorAsync(response, limitError.StatusCode, limitError.Message, limitError.Param, limitError.Code, requestId, limitError.RetryAfter);
                return;
            }

            // Accepted: from here every path ends in exactly one ledger record.
            _inFlight.Enter();
            try
            {
                await RunAcceptedAsync(context, egress, request!, caller!, requestedClass, overrides, table, requestId, start, ticket);
            }
            finally
            {
                // Normally completed with the ledger record; this only releases what an unexpected exception left.
                await _admission.CompleteAsync(ticket, null);
                _inFlight.Exit();
            }
        }
    }

    private async Task RunAcceptedAsync(HttpContext context, ClientEgress egress, CanonicalRequest request, Caller caller, DataClass? requestedClass,
        RouteOverrides overrides, RouteTable table, string requestId, long start, AdmissionTicket? ticket)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        // The task analysis feeds Route only when it ranks an alias's targets by quality; otherwise the ledger's
        // task_category is classified by the ledger writer, off the request path (bench/README.md, RequestPathBenchmarks).
        var analyzeNow = RouteNeedsTask(table, request, caller, overrides);
        var inspection = _inspector.Inspect(request, caller, requestedClass, table.Privacy, analyzeNow);
        var deferred = analyzeNow || request.Operation != Operation.ChatCompletion ? default : LedgerDeferred.Classify(Inspector.TaskText(request));
        response.Headers["x-switchyard-data-class"] = DataClassName(inspection.DataClass);
        var piiTypes = inspection.Privacy.EntityTypes.Count == 0 ? null : string.Join(',', inspection.Privacy.EntityTypes);
        if (piiTypes is not null)
        {
            // Entity types only, never values (docs/privacy.md).
            response.Headers["x-switchyard-pii"] = HeaderSafe(piiTypes);
        }

        // The savings report's baseline is fixed now, from the table this request runs on (docs/report.md).
        var baseline = BaselineSelector.MostCapable(table, caller, request.Operation, inspection);
        var record = new LedgerRecord
        {
            RequestId = requestId,
            Timestamp = _time.GetUtcNow(),
            KeyName = caller.KeyName,
            KeyId = caller.KeyId,
            Team = caller.Team,
            ClientFormat = request.ClientFormat,
            Operation = request.Operation,
            RequestedModel = Clip(request.Model, 256),
            Streamed = request.Stream,
            DataClass = DataClassName(inspection.DataClass),
            Outcome = LedgerOutcome.Rejected,
            HttpStatus = 0,
            BaselineModel = baseline?.Name,
            BaselineCostUsd = baseline is null ? null : 0m,
            Org = caller.OrgName,
            EndUser = request.User is { } user ? Clip(user, 256) : null,
            PiiTypes = piiTypes,
            TaskCategory = analyzeNow ? TaskCategories.Name(inspection.Task.Category) : null,
        };

        var (plan, routeError) = _router.Plan(request, caller, inspection, table, _states, overrides);
        ReplyRestorer? restorer = null;
        if (routeError is { Code: "data_class_forbidden" } && inspection.DataClass == DataClass.Restricted
            && inspection.Privacy.DataClass == DataClass.Restricted && (caller.OnRestricted ?? table.Privacy.OnRestricted) == RestrictedAction.Redact
            && RedactionStage.Redact(egress, request, table.Privacy) is { } redacted)
        {
            // Only what the scanner found is redacted: a class set by the header or the key floor still holds.
            var redactedInspection = _inspector.Inspect(redacted.Request, caller, requestedClass, table.Privacy, analyzeNow);
            (plan, routeError) = _router.Plan(redacted.Request, caller, redactedInspection, table, _states, overrides);
            if (routeError is null)
            {
                request = redacted.Request;
                inspection = redactedInspection with { Privacy = inspection.Privacy };
                restorer = new ReplyRestorer(redacted.Map);
                response.Headers["x-switchyard-redacted"] = HeaderSafe(string.Join(',', redacted.Map.Placeholders.Keys.Select(static p => p[1..p.LastIndexOf('_')]).Distinct()));
                // The class of what leaves the gateway; x-switchyard-pii and the ledger still name what was found.
                response.Headers["x-switchyard-data-class"] = DataClassName(redactedInspection.DataClass);
                record = record with { DataClass = DataClassName(redactedInspection.DataClass) };
            }
        }

        if (routeError is { Code: "data_class_forbidden" })
        {
            // Say why: the class and what set it (entity types, never values), and the way out.
            var why = inspection.Privacy.DataClass == DataClass.Restricted && inspection.DataClassReason.StartsWith("detected", StringComparison.Ordinal)
                ? $" The request is {DataClassName(inspection.DataClass)} because the prompt contains {inspection.Privacy.Reason}; remove it, use a self-hosted model, or ask for privacy.on_restricted: redact."
                : $" The request is {DataClassName(inspection.DataClass)} ({inspection.DataClassReason}).";
            routeError = routeError with { Message = routeError.Message + why };
        }

        if (routeError is not null)
        {
            await egress.WriteErrorAsync(response, routeError.StatusCode, routeError.Message, routeError.Param, routeError.Code, requestId, routeError.RetryAfter);
            await FinishAsync(deferred, record with { HttpStatus = routeError.StatusCode, ErrorClass = routeError.Code, RouteReason = routeError.Message }, start, 0, ticket);
            return;
        }

        // Budget: reserve the most this plan can cost before any upstream call; settled in FinishAsync.
        if (await _admission.ReserveAsync(ticket, request, inspection.EstimatedInputTokens, plan!, table.Storage, aborted) is { } budgetError)
        {
            if (!budgetError.ShouldRetry)
            {
                // The OpenAI and Anthropic SDKs honour it: no retries into a spent budget.
                response.Headers["x-should-retry"] = "false";
            }

            await egress.WriteErrorAsync(response, budgetError.StatusCode, budgetError.Message, budgetError.Param, budgetError.Code, requestId, budgetError.RetryAfter);
            await FinishAsync(deferred, record with { HttpStatus = budgetError.StatusCode, ErrorClass = budgetError.Code, RouteReason = plan!.Summary }, start, 0, ticket);
            return;
        }

        // Route either planned or refused above.
        System.Diagnostics.Debug.Assert(plan is not null);
        var outcome = await _executor.ExecuteAsync(request, inspection, plan, requestId, table.RetryBudget, aborted,
            TenantAdmission.DefaultOutputTokens(caller, table.Storage));
        // The whole story (chosen, then any retry or fallback and why), the same text in the header and the ledger.
        var route = RouteStory.Tell(plan, outcome);
        response.Headers["x-switchyard-route"] = HeaderSafe(route);
        if (restorer is not null && outcome.Result.IsSuccess)
        {
            outcome = RedactionStage.Restore(outcome, restorer);
        }

        var served = outcome.Served?.Deployment;
        // The candidates' JSON column is written by the ledger writer from the plan.
        deferred = deferred with { Plan = plan };
        record = record with
        {
            ServedModel = served?.Model.Name,
            DeploymentId = served?.Id,
            Provider = served?.ProviderName,
            Simulated = served?.Adapter.IsSimulated ?? false,
            RouteReason = restorer is null ? route : route + "; redacted " + response.Headers["x-switchyard-redacted"],
            RouteObjective = RouteObjectives.Name(plan.Objective),
            Attempts = outcome.Attempts,
            PriceVersion = served?.Model.Price.Version,
        };

        var result = outcome.Result;
        if (!result.IsSuccess)
        {
            foreach (var attempt in outcome.Attempts)
            {
                Log.AttemptFailed(_logger, requestId, attempt.DeploymentId, attempt.Status, attempt.UpstreamStatusCode);
            }

            if (outcome.Unavailable is { } unavailable && !aborted.IsCancellationRequested)
            {
                // Nothing could even be tried (every candidate open, cooling down or capped): say which and why.
                await egress.WriteErrorAsync(response, unavailable.StatusCode, unavailable.Message, unavailable.Param, unavailable.Code, requestId, unavailable.RetryAfter);
                await FinishAsync(deferred, record with { Outcome = LedgerOutcome.UpstreamFailed, HttpStatus = unavailable.StatusCode, ErrorClass = unavailable.Code }, start, 0, ticket);
                return;
            }

            var (status, code) = egress.ClientStatus(result);
            if (result.Status == DispatchStatus.ClientCanceled || aborted.IsCancellationRequested)
            {
                await FinishAsync(deferred, record with { Outcome = LedgerOutcome.ClientDisconnected, HttpStatus = 499, ErrorClass = "client_disconnected" }, start, outcome.UpstreamTime.TotalMilliseconds, ticket);
                return;
            }

            await egress.WriteErrorAsync(response, status, result.SafeMessage ?? "The upstream request failed.", result.ErrorParam, code, requestId,
                status == 429 ? result.RetryAfter ?? TimeSpan.FromSeconds(1) : result.RetryAfter);
            await FinishAsync(deferred, record with
            {
                Outcome = result.Status == DispatchStatus.Rejected ? LedgerOutcome.Rejected : LedgerOutcome.UpstreamFailed,
                HttpStatus = status,
                ErrorClass = result.Status.ToString(),
            }, start, outcome.UpstreamTime.TotalMilliseconds, ticket);
            return;
        }

        SetServedHeaders(response, served!);
        if (result.Stream is { } stream)
        {
            await using (stream)
            {
                await RelayStreamAsync(context, egress, request, inspection, stream, outcome, record, deferred, baseline, start, ticket);
            }

            return;
        }

        var upstreamMs = outcome.UpstreamTime.TotalMilliseconds;
        SetOverhead(response, start, upstreamMs);
        var outcomeKind = LedgerOutcome.Success;
        var written = 200;
        try
        {
            written = await egress.WriteBodyAsync(response, request, result, Reply(request, requestId, inspection, served!), aborted);
            if (written != 200)
            {
                outcomeKind = LedgerOutcome.UpstreamFailed;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            outcomeKind = LedgerOutcome.ClientDisconnected;
        }

        var usage = result.Usage ?? Estimate(inspection, result.Response is { } canonical ? canonical.Text.Length : OpenAIContentChars(result.Body.Span));
        await FinishAsync(deferred, record with
        {
            Outcome = outcomeKind,
            HttpStatus = outcomeKind == LedgerOutcome.ClientDisconnected ? 499 : written,
            ErrorClass = written == 200 ? null : nameof(DispatchStatus.InvalidResponse),
            Usage = usage,
            CostUsd = served!.Model.Price.Cost(usage),
            FallbackExtraCostUsd = outcome.FallbackExtraCost(usage),
            BaselineCostUsd = baseline?.Price.Cost(usage),
        }, start, upstreamMs, ticket);
    }
}
