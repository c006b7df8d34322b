using Switchyard.Core.Common;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Route;

/// <summary>The decision part of a ledger record: the plan's candidates with their scores, as compact JSON.</summary>
public static class RouteDecision
{
    /// <summary>Candidates kept in the ledger; the rest of a long plan are fallbacks nobody reached.</summary>
    public const int MaxCandidates = 8;

    /// <summary><c>[{"deployment":…,"model":…,"quality":…,"cost_usd":…}, …]</c>, primary first.</summary>
    public static string CandidatesJson(RoutePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        return JsonText.Write(plan, static (w, plan) =>
        {
            w.WriteStartArray();
            var candidates = plan.Candidates;
            for (var i = 0; i < candidates.Count && i < MaxCandidates; i++)
            {
                var c = candidates[i];
                w.WriteStartObject();
                w.WriteString("deployment"u8, c.Deployment.Id);
                w.WriteString("model"u8, c.Deployment.Model.Name);
                if (c.Quality is { } q)
                {
                    w.WriteNumber("quality"u8, q);
                }

                if (c.EstimatedCostUsd is { } cost)
                {
                    w.WriteNumber("cost_usd"u8, cost);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }
}
