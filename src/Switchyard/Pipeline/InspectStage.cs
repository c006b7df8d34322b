using Switchyard.Core.Chain;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Pipeline;

/// <summary>
/// Inspect: the data class (key floor, privacy scan, the caller's header), the token estimate, the features and, when
/// Route ranks by quality, the task; then the savings report's baseline for this request. Never refuses: the class is a
/// hard constraint Route applies.
/// </summary>
internal sealed class InspectStage(Inspector inspector) : IStage
{
    public ValueTask<Problem?> RunAsync(HttpExchange exchange)
    {
        var table = exchange.Table;
        var request = exchange.Request;
        var caller = exchange.Caller;
        // The task analysis feeds Route only when it ranks an alias's targets by quality; otherwise the ledger's
        // task_category is classified by the ledger writer, off the request path (bench/README.md, RequestPathBenchmarks).
        exchange.TaskAnalyzed = RouteNeedsTask(table, request, caller, exchange.Overrides);
        var inspection = inspector.Inspect(request, caller, exchange.RequestedClass, table.Privacy, exchange.TaskAnalyzed);
        exchange.Inspection = inspection;
        var headers = exchange.Response.Headers;
        headers["x-switchyard-data-class"] = Exchange.DataClassName(inspection.DataClass);
        if (inspection.Privacy.EntityTypes.Count > 0)
        {
            // Entity types only, never values (docs/privacy.md).
            exchange.PiiTypes = string.Join(',', inspection.Privacy.EntityTypes);
            headers["x-switchyard-pii"] = HeaderValue.Safe(exchange.PiiTypes);
        }

        // The savings report's baseline is fixed now, from the table this request runs on (docs/report.md).
        exchange.Baseline = BaselineSelector.MostCapable(table, caller, request.Operation, inspection);
        return new((Problem?)null);
    }

    /// <summary>
    /// Whether Route reads the task analysis for this request: only to rank an alias's targets by predicted quality,
    /// i.e. an alias whose objective (the key's, else the alias's, or the one the request asks for) is not weighted.
    /// A pinned model or a weighted alias routes without it.
    /// </summary>
    internal static bool RouteNeedsTask(RouteTable table, CanonicalRequest request, Caller caller, RouteOverrides overrides) =>
        request.Operation == Operation.ChatCompletion && table.Aliases.TryGetValue(request.Model, out var alias)
        && (overrides.Objective ?? caller.Objective ?? alias.Objective) != RouteObjective.Weighted;
}
