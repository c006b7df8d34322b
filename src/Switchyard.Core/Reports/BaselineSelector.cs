using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Planning;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Reports;

/// <summary>
/// Picks the "all-frontier" baseline of a request at request time: the most capable model the caller was allowed
/// to use for it. Until issue 7 adds quality scores, "most capable" is proxied by the highest list output price
/// (then input price, then name, so the choice is deterministic) among the models the key may reach — directly or
/// through an allowed alias — that serve the request's operation, support its features and have a deployment in a
/// zone its data class may reach. The served model always qualifies, so a baseline exists for every routed request.
/// </summary>
public static class BaselineSelector
{
    /// <summary>The baseline model, or null when no model qualifies (e.g. an unknown model name).</summary>
    public static ModelInfo? MostCapable(RouteTable table, Caller caller, Operation operation, Inspect.Inspection inspection)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(inspection);
        ModelInfo? best = null;
        if (caller.AllowedModels is null)
        {
            foreach (var model in table.Models.Values)
            {
                best = Better(best, model, operation, inspection);
            }

            return best;
        }

        foreach (var name in caller.AllowedModels)
        {
            if (table.Models.TryGetValue(name, out var model))
            {
                best = Better(best, model, operation, inspection);
            }
            else if (table.Aliases.TryGetValue(name, out var alias))
            {
                foreach (var (target, _) in alias.Targets)
                {
                    best = Better(best, target, operation, inspection);
                }
            }
        }

        return best;
    }

    /// <summary>Whether a model could have served the request at all (operation, features, a reachable zone).</summary>
    public static bool CanServe(ModelInfo model, Operation operation, Inspect.Inspection inspection)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentNullException.ThrowIfNull(inspection);
        if (operation == Operation.Embeddings ? !model.SupportsEmbeddings : !model.SupportsChat)
        {
            return false;
        }

        if ((inspection.Features & ~model.Supports) != RequestFeatures.None)
        {
            return false;
        }

        foreach (var deployment in model.Deployments)
        {
            if (HardConstraints.ZoneAllows(inspection.DataClass, deployment.Zone))
            {
                return true;
            }
        }

        return false;
    }

    private static ModelInfo? Better(ModelInfo? best, ModelInfo candidate, Operation operation, Inspect.Inspection inspection)
    {
        if (!CanServe(candidate, operation, inspection))
        {
            return best;
        }

        if (best is null)
        {
            return candidate;
        }

        var byOutput = candidate.Price.OutputPerMillion.CompareTo(best.Price.OutputPerMillion);
        if (byOutput != 0)
        {
            return byOutput > 0 ? candidate : best;
        }

        var byInput = candidate.Price.InputPerMillion.CompareTo(best.Price.InputPerMillion);
        if (byInput != 0)
        {
            return byInput > 0 ? candidate : best;
        }

        return string.CompareOrdinal(candidate.Name, best.Name) < 0 ? candidate : best;
    }
}
