using System.Text;
using System.Text.Json;

namespace Switchyard.Routing;

/// <summary>The decision part of a ledger record: the plan's candidates with their scores, as compact JSON.</summary>
public static class RouteDecision
{
    /// <summary>Candidates kept in the ledger; the rest of a long plan are fallbacks nobody reached.</summary>
    public const int MaxCandidates = 8;

    /// <summary><c>[{"deployment":…,"model":…,"quality":…,"cost_usd":…}, …]</c>, primary first.</summary>
    public static string CandidatesJson(RoutePlan plan)
    {
        ArgumentNullException.ThrowIfNull(plan);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream))
        {
            w.WriteStartArray();
            foreach (var c in plan.Candidates.Take(MaxCandidates))
            {
                w.WriteStartObject();
                w.WriteString("deployment", c.Deployment.Id);
                w.WriteString("model", c.Deployment.Model.Name);
                if (c.Quality is { } q)
                {
                    w.WriteNumber("quality", q);
                }

                if (c.EstimatedCostUsd is { } cost)
                {
                    w.WriteNumber("cost_usd", cost);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }
}
