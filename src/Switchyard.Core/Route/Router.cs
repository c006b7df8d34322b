using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Route;

/// <summary>
/// The Route stage: a pure function of request, caller, inspection and the route table. Hard constraints
/// (data class vs trust zone, capabilities, context window, the key's allowed models) run before any
/// ordering, so no later step can put a forbidden deployment into the plan (invariant 1).
/// </summary>
public sealed class Router
{
    private readonly LoadBalancer _balancer;

    public Router(IRandomSource random) => _balancer = new LoadBalancer(random);

    /// <summary>
    /// Plans a request. <paramref name="states"/> is the live deployment state (breakers, cool-downs, load, speed):
    /// unavailable deployments are excluded with the reason, and each model's load balancing orders the rest.
    /// </summary>
    public (RoutePlan? Plan, Problem? Error) Plan(CanonicalRequest request, Caller caller, Inspect.Inspection inspection, RouteTable table,
        IDeploymentStates? states = null, RouteOverrides? overrides = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(table);

        var name = request.Model;
        List<(ModelInfo Model, int Weight)> targets;
        var isAlias = false;
        if (table.Aliases.TryGetValue(name, out var alias))
        {
            isAlias = true;
            targets = _balancer.OrderTargets(alias.Targets);
        }
        else if (table.Models.TryGetValue(name, out var model))
        {
            targets = [(model, 1)];
        }
        else
        {
            return (null, new Problem(404, "model_not_found", $"The model '{RouteRefusals.Truncate(name)}' does not exist or you do not have access to it.") { Param = "model" });
        }

        if (!caller.MayUse(name))
        {
            return (null, new Problem(403, "model_not_allowed", $"Key '{caller.KeyName}' is not allowed to use '{name}'.") { Param = "model" });
        }

        var (objective, threshold, qualityPerDollar, objectiveError) = isAlias ? ResolveObjective(alias!, caller, inspection, overrides) : (RouteObjective.Weighted, 0, 0, null);
        if (objectiveError is not null)
        {
            return (null, objectiveError);
        }

        var candidates = new List<RouteCandidate>();
        // Allocated on the first exclusion only: most requests have none (RouteBenchmarks).
        List<RouteExclusion>? exclusions = null;
        var maxOutput = request.MaxOutputTokens ?? 0;
        var rank = 0;
        // The cheapest deployment cooling down after a 429, kept aside: it is planned when nothing as cheap is available.
        CoolingCandidate? cooling = null;
        foreach (var (model, weight) in targets)
        {
            var ordered = _balancer.OrderDeployments(model, states);
            for (var d = 0; d < ordered.Count; d++)
            {
                var deployment = ordered[d];
                if (HardConstraints.Check(request, inspection, caller, deployment) is { } violation)
                {
                    (exclusions ??= []).Add(violation);
                    continue;
                }

                if (states is not null && states.View(deployment) is { Availability: not Availability.Available } view)
                {
                    if (view.Availability == Availability.CoolingDown
                        && new CoolingCandidate(deployment, weight, candidates.Count, view.Wait, EstimatedCost(request, inspection, model)) is var c
                        && (cooling is not { } kept || c.Cost < kept.Cost || (c.Cost == kept.Cost && c.Wait < kept.Wait)))
                    {
                        if (cooling is { } replaced)
                        {
                            (exclusions ??= []).Add(RouteRefusals.Unavailable(replaced.Deployment, Availability.CoolingDown, replaced.Wait));
                        }

                        cooling = c;
                        continue;
                    }

                    (exclusions ??= []).Add(RouteRefusals.Unavailable(deployment, view.Availability, view.Wait));
                    continue;
                }

                candidates.Add(new RouteCandidate(deployment, PrimaryReason(name, isAlias, model, weight, rank)));
                rank++;
            }
        }

        if (cooling is { } last)
        {
            PlanCooling(last, request, inspection, name, isAlias, candidates, ref exclusions);
        }

        if (candidates.Count == 0)
        {
            return (null, RouteRefusals.NoCandidateError(name, targets, exclusions ?? [], table, states));
        }

        if (objective != RouteObjective.Weighted && candidates.Count > 1)
        {
            var output = maxOutput > 0 ? maxOutput : ObjectiveRanker.DefaultOutputTokens;
            ObjectiveRanker.Order(candidates, objective, objective == RouteObjective.Value ? qualityPerDollar : threshold, inspection.Task, inspection.EstimatedInputTokens, output, maxOutput > 0, states);
        }

        var primary = candidates[0];
        var summary = exclusions is null
            ? $"{primary.Reason}; {primary.Deployment.Id} ({RouteRefusals.ZoneName(primary.Deployment.Zone)})"
            : $"{primary.Reason}; {primary.Deployment.Id} ({RouteRefusals.ZoneName(primary.Deployment.Zone)}); {exclusions.Count} excluded";
        return (new RoutePlan(name, isAlias, candidates, (IReadOnlyList<RouteExclusion>?)exclusions ?? [], summary) { Objective = objective, Caller = caller }, null);
    }

    /// <summary>
    /// A request's estimated cost on <paramref name="model"/> (input estimate plus the request's maximum or the model's
    /// typical answer): what the objectives rank by and what cost-aware resilience compares (retry the cheaper candidate
    /// before escalating to a dearer one).
    /// </summary>
    public static decimal EstimatedCost(CanonicalRequest request, Inspect.Inspection inspection, ModelInfo model)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(model);
        var maxOutput = request.MaxOutputTokens ?? 0;
        return ObjectiveRanker.EstimatedCost(model, inspection.EstimatedInputTokens, maxOutput > 0 ? maxOutput : ObjectiveRanker.DefaultOutputTokens, maxOutput > 0);
    }

    private static string PrimaryReason(string name, bool isAlias, ModelInfo model, int weight, int rank) => rank == 0
        ? (isAlias ? $"alias {name} -> {model.Name} (weight {weight})" : $"model {model.Name} pinned")
        : $"fallback #{rank}";

    /// <summary>
    /// A deployment cooling down after a 429 is skipped while a candidate as cheap is available (cooling it is right then).
    /// When none is — only dearer alternatives, or none at all (issue 13) — it is planned at its place, and Execute waits
    /// out a short cool-down or sends it a probe (docs/resilience.md, "Rate limits").
    /// </summary>
    private static void PlanCooling(CoolingCandidate cooling, CanonicalRequest request, Inspect.Inspection inspection, string name, bool isAlias,
        List<RouteCandidate> candidates, ref List<RouteExclusion>? exclusions)
    {
        foreach (var candidate in candidates)
        {
            if (EstimatedCost(request, inspection, candidate.Deployment.Model) <= cooling.Cost)
            {
                (exclusions ??= []).Add(RouteRefusals.Unavailable(cooling.Deployment, Availability.CoolingDown, cooling.Wait));
                return;
            }
        }

        var model = cooling.Deployment.Model;
        var at = cooling.Index;
        candidates.Insert(at, new RouteCandidate(cooling.Deployment,
            $"{PrimaryReason(name, isAlias, model, cooling.Weight, at)}, cooling down after a 429 ({Math.Ceiling(cooling.Wait.TotalSeconds)}s left), nothing as cheap available"));
        for (var i = at + 1; i < candidates.Count; i++)
        {
            candidates[i] = candidates[i] with { Reason = PrimaryReason(name, isAlias, candidates[i].Deployment.Model, 0, i) };
        }
    }

    private readonly record struct CoolingCandidate(Deployment Deployment, int Weight, int Index, TimeSpan Wait, decimal Cost);

    /// <summary>
    /// The objective and threshold of an alias request: the request's header if the caller's policy allows it, else
    /// the key's, else the alias's. A requested minimum quality may raise the threshold, never lower it; a requested
    /// quality per dollar may lower λ (buy more quality), never raise it.
    /// </summary>
    public static (RouteObjective Objective, double Threshold, double QualityPerDollar, Problem? Error) ResolveObjective(AliasInfo alias, Caller caller, Inspect.Inspection inspection,
        RouteOverrides? overrides)
    {
        ArgumentNullException.ThrowIfNull(alias);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(inspection);
        var objective = caller.Objective ?? alias.Objective;
        if (overrides?.Objective is { } asked && asked != objective)
        {
            if (caller.AllowedObjectives is { } allowed && !allowed.Contains(asked))
            {
                return (objective, 0, 0, new Problem(403, "objective_not_allowed",
                    $"Key '{caller.KeyName}' may not ask for the '{RouteObjectives.Name(asked)}' objective (allowed: {string.Join(", ", allowed.Order().Select(RouteObjectives.Name))})."));
            }

            objective = asked;
        }

        var policy = caller.Thresholds ?? alias.Thresholds ?? QualityThresholds.Standard;
        var threshold = policy.For(inspection.Task.Category);
        if (overrides?.MinQuality is { } floor && floor > threshold)
        {
            threshold = floor;
        }

        var qualityPerDollar = policy.QualityPerDollar;
        if (overrides?.QualityPerDollar is { } rate && rate < qualityPerDollar)
        {
            qualityPerDollar = rate;
        }

        return (objective, threshold, qualityPerDollar, null);
    }
}
