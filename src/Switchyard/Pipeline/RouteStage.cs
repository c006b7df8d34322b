using Switchyard.Core.Chain;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
namespace Switchyard.Pipeline;

/// <summary>
/// Route: the plan (candidates in order, what was left out and why) within the caller's policy and the live deployment
/// states. When only restricted data the scanner found keeps the request from every deployment and the policy says
/// <c>redact</c>, the redacted view is planned instead (docs/privacy.md); a data-class refusal says why from the
/// inspection's facts (what set the class, which entity types), never from another stage's wording.
/// </summary>
internal sealed class RouteStage(Router router, Inspector inspector, IDeploymentStates states) : IStage
{
    public ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        var table = exchange.Table;
        var caller = exchange.Caller;
        var inspection = exchange.Inspection;
        var (plan, problem) = router.Plan(exchange.Request, caller, inspection, table, states, exchange.Overrides);
        if (problem is { Code: "data_class_forbidden" } && inspection.DataClass == DataClass.Restricted
            && inspection.Privacy.DataClass == DataClass.Restricted && (caller.OnRestricted ?? table.Privacy.OnRestricted) == RestrictedAction.Redact
            && RedactionStage.Patch(exchange.Request, table.Privacy) is { } redacted)
        {
            // Only what the scanner found is redacted: a class set by the header or the key floor still holds. The
            // redacted view's class comes from the findings the patch left in (no second scan, no second parse).
            var redactedInspection = inspector.Inspect(redacted.Request, caller, exchange.RequestedClass, redacted.Findings, exchange.TaskAnalyzed);
            (plan, problem) = router.Plan(redacted.Request, caller, redactedInspection, table, states, exchange.Overrides);
            if (problem is null)
            {
                exchange.Redacted = redacted.Request;
                exchange.RedactedInspection = redactedInspection with { Privacy = inspection.Privacy };
                exchange.Restorer = new ReplyRestorer(redacted.Map);
                exchange.RedactedTypes = HeaderValue.Safe(string.Join(',', redacted.Map.Placeholders.Keys.Select(static p => p[1..p.LastIndexOf('_')]).Distinct()));
                var headers = exchange.Response.Headers;
                headers["x-switchyard-redacted"] = exchange.RedactedTypes;
                // The class of what leaves the gateway; x-switchyard-pii and the ledger still name what was found.
                headers["x-switchyard-data-class"] = Exchange.DataClassName(redactedInspection.DataClass);
            }
        }

        if (problem is { Code: "data_class_forbidden" })
        {
            // Say why: the class and what set it (entity types, never values), and the way out.
            var name = Exchange.DataClassName(inspection.DataClass);
            var why = inspection.Privacy.DataClass == DataClass.Restricted && inspection.DataClassSource == DataClassSource.Detected
                ? $" The request is {name} because the prompt contains {inspection.Privacy.Reason}; remove it, use a self-hosted model, or ask for privacy.on_restricted: redact."
                : $" The request is {name} ({inspection.DataClassReason}).";
            problem = problem with { Message = problem.Message + why };
        }

        exchange.Plan = plan;
        return new(problem);
    }
}
