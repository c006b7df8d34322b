using Switchyard.Canonical;
using Switchyard.Common;
using Switchyard.Configuration;
using Switchyard.Inspection;
using Switchyard.Tenancy;

namespace Switchyard.Routing;

/// <summary>
/// The Route stage: a pure function of request, caller, inspection and the route table. Hard constraints
/// (data class vs trust zone, capabilities, context window, the key's allowed models) run before any
/// ordering, so no later step can put a forbidden deployment into the plan (invariant 1).
/// </summary>
public sealed class Router
{
    private readonly IRandomSource _random;

    public Router(IRandomSource random) => _random = random;

    /// <summary>Zones a data class may reach (DESIGN: restricted → self-hosted only).</summary>
    public static bool ZoneAllows(DataClass dataClass, TrustZone zone) => dataClass switch
    {
        DataClass.Restricted => zone == TrustZone.SelfHosted,
        DataClass.Confidential => zone is TrustZone.SelfHosted or TrustZone.Private,
        _ => true,
    };

    public (RoutePlan? Plan, RouteError? Error) Plan(CanonicalRequest request, Caller caller, Inspection.Inspection inspection, RouteTable table,
        RouteOverrides? overrides = null, IDeploymentStats? stats = null)
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
            targets = OrderTargets(alias.Targets);
        }
        else if (table.Models.TryGetValue(name, out var model))
        {
            targets = [(model, 1)];
        }
        else
        {
            return (null, new RouteError(404, "model_not_found", $"The model '{Truncate(name)}' does not exist or you do not have access to it.", "model"));
        }

        if (!caller.MayUse(name))
        {
            return (null, new RouteError(403, "model_not_allowed", $"Key '{caller.KeyName}' is not allowed to use '{name}'.", "model"));
        }

        var (objective, threshold, objectiveError) = isAlias ? ResolveObjective(alias!, caller, inspection, overrides) : (RouteObjective.Weighted, 0, null);
        if (objectiveError is not null)
        {
            return (null, objectiveError);
        }

        var candidates = new List<RouteCandidate>();
        // Allocated on the first exclusion only: most requests have none (RouteBenchmarks).
        List<RouteExclusion>? exclusions = null;
        var needed = inspection.Features;
        var maxOutput = request.MaxOutputTokens ?? 0;
        var rank = 0;
        foreach (var (model, weight) in targets)
        {
            string? modelProblem = null;
            var kind = ExclusionKind.Capability;
            if (request.Operation == Operation.Embeddings && !model.SupportsEmbeddings)
            {
                modelProblem = "does not serve embeddings";
            }
            else if (request.Operation == Operation.ChatCompletion && !model.SupportsChat)
            {
                modelProblem = "does not serve chat completions";
            }
            else if ((needed & ~model.Supports) is var missing and not RequestFeatures.None)
            {
                modelProblem = "lacks " + FeatureNames(missing);
            }
            else if (model.ContextWindow is { } window && inspection.EstimatedInputTokens + maxOutput > window)
            {
                kind = ExclusionKind.ContextWindow;
                modelProblem = $"context window {window} < ~{inspection.EstimatedInputTokens} input + {maxOutput} output tokens";
            }

            var ordered = OrderDeployments(model.Deployments);
            for (var d = 0; d < ordered.Count; d++)
            {
                var deployment = ordered[d];
                if (modelProblem is not null)
                {
                    (exclusions ??= []).Add(new RouteExclusion(deployment.Id, model.Name, kind, modelProblem));
                    continue;
                }

                if (!ZoneAllows(inspection.DataClass, deployment.Zone))
                {
                    (exclusions ??= []).Add(new RouteExclusion(deployment.Id, model.Name, ExclusionKind.TrustZone,
                        $"{ZoneName(deployment.Zone)} zone not allowed for {inspection.DataClass.ToString().ToLowerInvariant()} data"));
                    continue;
                }

                var reason = rank == 0
                    ? (isAlias ? $"alias {name} -> {model.Name} (weight {weight})" : $"model {model.Name} pinned")
                    : $"fallback #{rank}";
                candidates.Add(new RouteCandidate(deployment, reason));
                rank++;
            }
        }

        if (candidates.Count == 0)
        {
            return (null, NoCandidateError(name, targets, exclusions ?? [], table));
        }

        if (objective != RouteObjective.Weighted && candidates.Count > 1)
        {
            var output = maxOutput > 0 ? maxOutput : ObjectiveRanker.DefaultOutputTokens;
            ObjectiveRanker.Order(candidates, objective, threshold, inspection.Task, inspection.EstimatedInputTokens, output, maxOutput > 0, stats);
        }

        var primary = candidates[0];
        var summary = exclusions is null
            ? $"{primary.Reason}; {primary.Deployment.Id} ({ZoneName(primary.Deployment.Zone)})"
            : $"{primary.Reason}; {primary.Deployment.Id} ({ZoneName(primary.Deployment.Zone)}); {exclusions.Count} excluded";
        return (new RoutePlan(name, isAlias, candidates, (IReadOnlyList<RouteExclusion>?)exclusions ?? [], summary) { Objective = objective }, null);
    }

    /// <summary>
    /// The objective and threshold of an alias request: the request's header if the caller's policy allows it, else
    /// the key's, else the alias's. A requested minimum quality may raise the threshold, never lower it.
    /// </summary>
    public static (RouteObjective Objective, double Threshold, RouteError? Error) ResolveObjective(AliasInfo alias, Caller caller, Inspection.Inspection inspection,
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
                return (objective, 0, new RouteError(403, "objective_not_allowed",
                    $"Key '{caller.KeyName}' may not ask for the '{RouteObjectives.Name(asked)}' objective (allowed: {string.Join(", ", allowed.Order().Select(RouteObjectives.Name))})."));
            }

            objective = asked;
        }

        var threshold = (caller.Thresholds ?? alias.Thresholds ?? QualityThresholds.Standard).For(inspection.Task.Category);
        if (overrides?.MinQuality is { } floor && floor > threshold)
        {
            threshold = floor;
        }

        return (objective, threshold, null);
    }

    private static RouteError NoCandidateError(string name, List<(ModelInfo Model, int Weight)> targets, List<RouteExclusion> exclusions, RouteTable table)
    {
        if (exclusions.Count == 0)
        {
            var skipped = targets.SelectMany(t => table.SkippedProviders.Select(s => s.Key + ": " + s.Value)).Distinct().ToList();
            var detail = skipped.Count > 0 ? " (skipped providers: " + string.Join("; ", skipped) + ")" : "";
            return new RouteError(503, "no_deployment_available", $"No deployment of '{name}' is available{detail}.");
        }

        var first = exclusions[0];
        return first.Kind switch
        {
            ExclusionKind.TrustZone => new RouteError(403, "data_class_forbidden",
                $"No deployment of '{name}' may receive this request: {first.Reason}."),
            ExclusionKind.ContextWindow => new RouteError(400, "context_length_exceeded",
                $"The request does not fit '{name}': {first.Reason}.", "messages"),
            ExclusionKind.NotAllowed => new RouteError(403, "model_not_allowed", $"The key is not allowed to use the models behind '{name}'.", "model"),
            _ => new RouteError(400, "unsupported_feature", $"The model '{name}' cannot honour this request: {first.Model} {first.Reason}.", ParamOf(first.Reason)),
        };
    }

    private static string? ParamOf(string reason) => reason switch
    {
        _ when reason.Contains("json_schema", StringComparison.Ordinal) || reason.Contains("json_object", StringComparison.Ordinal) => "response_format",
        _ when reason.Contains("parallel_tool_calls", StringComparison.Ordinal) => "parallel_tool_calls",
        _ when reason.Contains("tools", StringComparison.Ordinal) => "tools",
        _ when reason.Contains("vision", StringComparison.Ordinal) || reason.Contains("audio", StringComparison.Ordinal) => "messages",
        _ => "model",
    };

    /// <summary>Weighted random order without replacement: the first pick follows the weights, the rest are fallbacks.</summary>
    private List<(ModelInfo Model, int Weight)> OrderTargets(IReadOnlyList<(ModelInfo Model, int Weight)> targets)
    {
        var pool = new List<(ModelInfo Model, int Weight)>(targets.Count);
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Weight > 0)
            {
                pool.Add(targets[i]);
            }
        }

        var ordered = new List<(ModelInfo, int)>(targets.Count);
        while (pool.Count > 0)
        {
            var index = PickWeighted(pool, static t => t.Weight);
            ordered.Add(pool[index]);
            pool.RemoveAt(index);
        }

        // Zero-weight targets are never primaries but still serve as fallbacks.
        for (var i = 0; i < targets.Count; i++)
        {
            if (targets[i].Weight == 0)
            {
                ordered.Add(targets[i]);
            }
        }

        return ordered;
    }

    private IReadOnlyList<Deployment> OrderDeployments(IReadOnlyList<Deployment> deployments)
    {
        // The compiled list is immutable, so a single deployment needs no copy (RouteBenchmarks.PinnedModel).
        if (deployments.Count <= 1)
        {
            return deployments;
        }

        var pool = new List<Deployment>(deployments.Count);
        for (var i = 0; i < deployments.Count; i++)
        {
            if (deployments[i].Weight > 0)
            {
                pool.Add(deployments[i]);
            }
        }

        var ordered = new List<Deployment>(deployments.Count);
        while (pool.Count > 0)
        {
            var index = PickWeighted(pool, static d => d.Weight);
            ordered.Add(pool[index]);
            pool.RemoveAt(index);
        }

        for (var i = 0; i < deployments.Count; i++)
        {
            if (deployments[i].Weight == 0)
            {
                ordered.Add(deployments[i]);
            }
        }

        return ordered;
    }

    private int PickWeighted<T>(List<T> pool, Func<T, int> weight)
    {
        if (pool.Count == 1)
        {
            return 0;
        }

        long total = 0;
        foreach (var item in pool)
        {
            total += weight(item);
        }

        var target = _random.NextDouble() * total;
        for (var i = 0; i < pool.Count; i++)
        {
            target -= weight(pool[i]);
            if (target < 0)
            {
                return i;
            }
        }

        return pool.Count - 1;
    }

    public static string ZoneName(TrustZone zone) => zone switch
    {
        TrustZone.SelfHosted => "self-hosted",
        TrustZone.Private => "private",
        _ => "external",
    };

    public static string FeatureNames(RequestFeatures features)
    {
        var names = new List<string>();
        if (features.HasFlag(RequestFeatures.Tools)) { names.Add("tools"); }
        if (features.HasFlag(RequestFeatures.ParallelToolCalls)) { names.Add("parallel_tool_calls"); }
        if (features.HasFlag(RequestFeatures.Vision)) { names.Add("vision"); }
        if (features.HasFlag(RequestFeatures.JsonSchema)) { names.Add("json_schema"); }
        else if (features.HasFlag(RequestFeatures.JsonObject)) { names.Add("json_object"); }
        if (features.HasFlag(RequestFeatures.Audio)) { names.Add("audio"); }
        if (features.HasFlag(RequestFeatures.Files)) { names.Add("files"); }
        if (features.HasFlag(RequestFeatures.Streaming)) { names.Add("streaming"); }
        return string.Join(", ", names);
    }

    private static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
