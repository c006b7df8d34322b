using System.Globalization;
using Microsoft.AspNetCore.Http.Features;
using Switchyard.Canonical;
using Switchyard.Execution;
using Switchyard.Gate;
using Switchyard.Inspection;
using Switchyard.Inspection.Classification;
using Switchyard.Inspection.Privacy;
using Switchyard.Ledger;
using Switchyard.Providers.OpenAI;
using Switchyard.Reporting;
using Switchyard.Routing;
using Switchyard.Telemetry;
using Switchyard.Tenancy;

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
    private readonly LedgerWriter _ledger;
    private readonly InFlightRequests _inFlight;
    private readonly TimeProvider _time;
    private readonly SwitchyardMetrics _metrics;
    private readonly ILogger<RequestPipeline> _logger;
    private readonly TenantDirectory _tenants;
    private readonly TenantAdmission _admission;

    public RequestPipeline(RouteTableHolder routes, Inspector inspector, Router router, Executor executor, LedgerWriter ledger,
        InFlightRequests inFlight, TimeProvider time, SwitchyardMetrics metrics, ILogger<RequestPipeline> logger, TenantDirectory tenants,
        TenantAdmission admission)
    {
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

    public static string NewRequestId() => "req_" + Guid.CreateVersion7().ToString("N");

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
        var inspection = _inspector.Inspect(request, caller, requestedClass, table.Privacy);
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
            TaskCategory = request.Operation == Operation.ChatCompletion ? TaskCategories.Name(inspection.Task.Category) : null,
        };

        var (plan, routeError) = _router.Plan(request, caller, inspection, table, _executor.States, overrides, _executor.States);
        ReplyRestorer? restorer = null;
        if (routeError is { Code: "data_class_forbidden" } && inspection.DataClass == DataClass.Restricted
            && inspection.Privacy.DataClass == DataClass.Restricted && (caller.OnRestricted ?? table.Privacy.OnRestricted) == RestrictedAction.Redact
            && RedactionStage.Redact(egress, request, table.Privacy) is { } redacted)
        {
            // Only what the scanner found is redacted: a class set by the header or the key floor still holds.
            var redactedInspection = _inspector.Inspect(redacted.Request, caller, requestedClass, table.Privacy);
            (plan, routeError) = _router.Plan(redacted.Request, caller, redactedInspection, table, _executor.States, overrides, _executor.States);
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
            await FinishAsync(record with { HttpStatus = routeError.StatusCode, ErrorClass = routeError.Code, RouteReason = routeError.Message }, start, 0, ticket);
            return;
        }

        // Budget: reserve the most this plan can cost before any upstream call; settled in FinishAsync.
        if (await _admission.ReserveAsync(ticket, request, inspection.EstimatedInputTokens, plan!, table.Storage, aborted) is { } budgetError)
        {
            await egress.WriteErrorAsync(response, budgetError.StatusCode, budgetError.Message, budgetError.Param, budgetError.Code, requestId, budgetError.RetryAfter);
            await FinishAsync(record with { HttpStatus = budgetError.StatusCode, ErrorClass = budgetError.Code, RouteReason = plan!.Summary }, start, 0, ticket);
            return;
        }

        response.Headers["x-switchyard-route"] = HeaderSafe(plan!.Summary);
        var outcome = await _executor.ExecuteAsync(request, inspection, plan, requestId, table.RetryBudget, aborted);
        if (restorer is not null && outcome.Result.IsSuccess)
        {
            outcome = RedactionStage.Restore(outcome, restorer);
        }

        var served = outcome.Served?.Deployment;
        record = record with
        {
            ServedModel = served?.Model.Name,
            DeploymentId = served?.Id,
            Provider = served?.ProviderName,
            Simulated = served?.Adapter.IsSimulated ?? false,
            RouteReason = restorer is null ? plan.Summary : plan.Summary + "; redacted " + response.Headers["x-switchyard-redacted"],
            RouteObjective = RouteObjectives.Name(plan.Objective),
            RouteCandidates = RouteDecision.CandidatesJson(plan),
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
                await FinishAsync(record with { Outcome = LedgerOutcome.UpstreamFailed, HttpStatus = unavailable.StatusCode, ErrorClass = unavailable.Code }, start, 0, ticket);
                return;
            }

            var (status, code) = egress.ClientStatus(result);
            if (result.Status == DispatchStatus.ClientCanceled || aborted.IsCancellationRequested)
            {
                await FinishAsync(record with { Outcome = LedgerOutcome.ClientDisconnected, HttpStatus = 499, ErrorClass = "client_disconnected" }, start, outcome.UpstreamTime.TotalMilliseconds, ticket);
                return;
            }

            await egress.WriteErrorAsync(response, status, result.SafeMessage ?? "The upstream request failed.", result.ErrorParam, code, requestId,
                status == 429 ? result.RetryAfter ?? TimeSpan.FromSeconds(1) : null);
            await FinishAsync(record with
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
                await RelayStreamAsync(context, egress, request, inspection, stream, outcome, record, baseline, start, ticket);
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
        await FinishAsync(record with
        {
            Outcome = outcomeKind,
            HttpStatus = outcomeKind == LedgerOutcome.ClientDisconnected ? 499 : written,
            ErrorClass = written == 200 ? null : nameof(DispatchStatus.InvalidResponse),
            Usage = usage,
            CostUsd = served!.Model.Price.Cost(usage),
            BaselineCostUsd = baseline?.Price.Cost(usage),
        }, start, upstreamMs, ticket);
    }

    private async Task RelayStreamAsync(HttpContext context, ClientEgress egress, CanonicalRequest request, Inspection.Inspection inspection, IUpstreamStream stream,
        Outcome outcome, LedgerRecord record, ModelInfo? baseline, long start, AdmissionTicket? ticket)
    {
        var response = context.Response;
        var aborted = context.RequestAborted;
        var upstreamMs = outcome.UpstreamTime.TotalMilliseconds;
        SetOverhead(response, start, upstreamMs);
        var relay = egress.StartStream(response, request, Reply(request, record.RequestId, inspection, outcome.Served!.Deployment));
        var writer = response.BodyWriter;
        var kind = LedgerOutcome.Success;
        string? errorClass = null;
        var wroteDone = false;
        try
        {
            var has = outcome.StreamPrimed;
            while (has)
            {
                var evt = stream.Current;
                var flush = await relay.WriteEventAsync(writer, evt, aborted);
                if (flush.IsCanceled || flush.IsCompleted)
                {
                    kind = LedgerOutcome.ClientDisconnected;
                    break;
                }

                if (evt.IsDone)
                {
                    wroteDone = true;
                    break;
                }

                var t0 = _time.GetTimestamp();
                has = await stream.ReadAsync(aborted);
                upstreamMs += _time.GetElapsedTime(t0).TotalMilliseconds;
            }

            if (kind == LedgerOutcome.Success && !wroteDone)
            {
                if (stream.Failure is { } failure)
                {
                    kind = LedgerOutcome.StreamInterrupted;
                    errorClass = failure.ToString();
                    Log.StreamInterrupted(_logger, record.RequestId, record.DeploymentId ?? "", failure.ToString());
                    await relay.WriteInterruptedAsync(writer, "The upstream stream was interrupted before it completed.");
                }
                else
                {
                    await relay.WriteEndAsync(writer, aborted);
                }
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            kind = LedgerOutcome.ClientDisconnected;
            errorClass = "client_disconnected";
        }

        var usage = stream.Usage is { } reported && kind == LedgerOutcome.Success ? reported : stream.Usage ?? Estimate(inspection, stream.ContentChars);
        var served = outcome.Served!.Deployment;
        await FinishAsync(record with
        {
            Outcome = kind,
            HttpStatus = kind == LedgerOutcome.ClientDisconnected ? 499 : 200,
            ErrorClass = errorClass,
            Usage = usage,
            CostUsd = served.Model.Price.Cost(usage),
            BaselineCostUsd = baseline?.Price.Cost(usage),
        }, start, upstreamMs, ticket);
    }

    private ReplyContext Reply(CanonicalRequest request, string requestId, Inspection.Inspection inspection, Deployment served) =>
        new(requestId, inspection.EstimatedInputTokens, _time.GetUtcNow().ToUnixTimeSeconds(), request.ClientFormat != served.Adapter.WireFormat);

    private async ValueTask FinishAsync(LedgerRecord record, long start, double upstreamMs, AdmissionTicket? ticket)
    {
        var totalMs = _time.GetElapsedTime(start).TotalMilliseconds;
        record = record with { TotalMs = totalMs, UpstreamMs = upstreamMs, OverheadMs = Math.Max(0, totalMs - upstreamMs) };
        if (record.DeploymentId is { } servedBy)
        {
            // The deployment's tokens-per-minute count (resilience tokens_per_minute) takes the real usage.
            _executor.States.Get(servedBy).RecordTokens((long)record.Usage.InputTokens + record.Usage.OutputTokens);
        }

        // Settle the budget at the record's cost (the same figure the ledger keeps) and free the rate-limit slot.
        await _admission.CompleteAsync(ticket, record);
        _metrics.RecordRequest(record.Provider ?? "none", record.ServedModel ?? record.RequestedModel, record.HttpStatus, totalMs / 1000, record.OverheadMs / 1000,
            record.Usage.InputTokens, record.Usage.OutputTokens);
        await _ledger.EnqueueAsync(record);
    }

    private void SetOverhead(HttpResponse response, long start, double upstreamMs)
    {
        var overheadUs = Math.Max(0, (_time.GetElapsedTime(start).TotalMilliseconds - upstreamMs) * 1000);
        response.Headers["x-switchyard-overhead-us"] = ((long)overheadUs).ToString(CultureInfo.InvariantCulture);
    }

    private static void SetServedHeaders(HttpResponse response, Deployment served)
    {
        response.Headers["x-switchyard-model"] = HeaderSafe(served.Model.Name);
        response.Headers["x-switchyard-deployment"] = HeaderSafe(served.Id);
        response.Headers["x-switchyard-provider"] = HeaderSafe(served.ProviderName);
        if (served.Adapter.IsSimulated)
        {
            response.Headers["x-switchyard-simulated"] = "true";
        }
    }

    /// <summary>The status a client sees when no candidate succeeded.</summary>
    internal static (int Status, string Code) ClientStatus(UpstreamResult result) => result.Status switch
    {
        DispatchStatus.RateLimited => (429, "rate_limit_exceeded"),
        DispatchStatus.Timeout => (504, "upstream_timeout"),
        DispatchStatus.ConnectFailed => (503, "upstream_unavailable"),
        DispatchStatus.Rejected => (result.UpstreamStatusCode is >= 400 and < 500 ? result.UpstreamStatusCode : 400, result.ErrorCode ?? "upstream_rejected"),
        DispatchStatus.AuthFailed => (502, "upstream_auth_failed"),
        DispatchStatus.InvalidResponse => (502, "upstream_invalid_response"),
        _ => (502, "upstream_error"),
    };

    private static Usage Estimate(Inspection.Inspection inspection, int contentChars) =>
        new(inspection.EstimatedInputTokens, Inspector.EstimateTokens(contentChars), Estimated: true);

    private static int OpenAIContentChars(ReadOnlySpan<byte> body) => OpenAIStreamText.ContentChars(body);

    /// <summary>Header values must be printable ASCII; configured names may not be.</summary>
    internal static string HeaderSafe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return string.Create(value.Length, value, static (span, v) =>
                {
                    for (var i = 0; i < v.Length; i++)
                    {
                        span[i] = v[i] is < ' ' or > '~' ? '?' : v[i];
                    }
                });
            }
        }

        return value;
    }

    private static string DataClassName(DataClass dataClass) => dataClass.ToString().ToLowerInvariant();

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    private static partial class Log
    {
        [LoggerMessage(EventIds.UpstreamAttemptFailed, LogLevel.Warning, "Request {RequestId}: attempt on {DeploymentId} ended {Status} (upstream status {StatusCode}).")]
        public static partial void AttemptFailed(ILogger logger, string requestId, string deploymentId, string status, int statusCode);

        [LoggerMessage(EventIds.StreamInterrupted, LogLevel.Warning, "Request {RequestId}: stream from {DeploymentId} interrupted ({Failure}) after bytes reached the client; not retried.")]
        public static partial void StreamInterrupted(ILogger logger, string requestId, string deploymentId, string failure);
    }
}
