using Switchyard.Canonical;
using Switchyard.Common;
using Switchyard.Configuration;
using Switchyard.Inspection;
using Switchyard.Resilience;
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

    /// <summary>
    /// Plans a request. <paramref name="states"/> is the live deployment state (breakers, cool-downs, load):
    /// unavailable deployments are excluded with the reason, and each model's load balancing orders the rest.
    /// </summary>
    public (RoutePlan? Plan, RouteError? Error) Plan(CanonicalRequest request, Caller caller, Inspection.Inspection inspection, RouteTable table,
        IDeploymentStates? states = null, RouteOverrides? overrides = null, IDeploymentStats? stats = null)
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
        foreach (var (model, weight) in targets)
        {
            var modelProblem = ModelProblem(request, inspection, model, out var kind);
            var ordered = OrderDeployments(model, states);
            for (var d = 0; d < ordered.Count; d++)
            {
                var deployment = ordered[d];
                if (modelProblem is not null)
                {
                    (exclusions ??= []).Add(new RouteExclusion(deployment.Id, model.Name, kind, modelProblem));
                    continue;
                }

                if (deployment.Adapter.CannotCarry(request) is { } untranslatable)
                {
                    // The deployment's wire format cannot carry part of the request: another deployment may (no silent degradation).
                    (exclusions ??= []).Add(new RouteExclusion(deployment.Id, model.Name, ExclusionKind.Untranslatable, untranslatable));
                    continue;
                }

                if (!ZoneAllows(inspection.DataClass, deployment.Zone))
                {
                    (exclusions ??= []).Add(new RouteExclusion(deployment.Id, model.Name, ExclusionKind.TrustZone,
                        $"{ZoneName(deployment.Zone)} zone not allowed for {inspection.DataClass.ToString().ToLowerInvariant()} data"));
                    continue;
                }

                if (!caller.MayReach(deployment.Zone))
                {
                    (exclusions ??= []).Add(new RouteExclusion(deployment.Id, model.Name, ExclusionKind.TrustZone,
                        $"{ZoneName(deployment.Zone)} zone not allowed by the caller's policy"));
                    continue;
                }

                if (states is not null && states.View(deployment) is { Availability: not Availability.Available } view)
                {
                    (exclusions ??= []).Add(Unavailable(deployment, view.Availability, view.Wait));
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
            return (null, NoCandidateError(name, targets, exclusions ?? [], table, states));
        }

        if (objective != RouteObjective.Weighted && candidates.Count > 1)
        {
            var output = maxOutput > 0 ? maxOutput : ObjectiveRanker.DefaultOutputTokens;
            ObjectiveRanker.Order(candidates, objective, objective == RouteObjective.Value ? qualityPerDollar : threshold, inspection.Task, inspection.EstimatedInputTokens, output, maxOutput > 0, stats);
        }

        var primary = candidates[0];
        var summary = exclusions is null
            ? $"{primary.Reason}; {primary.Deployment.Id} ({ZoneName(primary.Deployment.Zone)})"
            : $"{primary.Reason}; {primary.Deployment.Id} ({ZoneName(primary.Deployment.Zone)}); {exclusions.Count} excluded";
        return (new RoutePlan(name, isAlias, candidates, (IReadOnlyList<RouteExclusion>?)exclusions ?? [], summary) { Objective = objective }, null);
    }

    /// <summary>
    /// The objective and threshold of an alias request: the request's header if the caller's policy allows it, else
    /// the key's, else the alias's. A requested minimum quality may raise the threshold, never lower it; a requested
    /// quality per dollar may lower λ (buy more quality), never raise it.
    /// </summary>
    public static (RouteObjective Objective, double Threshold, double QualityPerDollar, RouteError? Error) ResolveObjective(AliasInfo alias, Caller caller, Inspection.Inspection inspection,
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
                return (objective, 0, 0, new RouteError(403, "objective_not_allowed",
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

    /// <summary>Why a model cannot take this request at all (operation, capability, context window), or null.</summary>
    private static string? ModelProblem(CanonicalRequest request, Inspection.Inspection inspection, ModelInfo model, out ExclusionKind kind)
    {
        kind = ExclusionKind.Capability;
        var needed = inspection.Features;
        if (request.Operation == Operation.Embeddings && !model.SupportsEmbeddings)
        {
            return "does not serve embeddings";
        }

        if (request.Operation == Operation.ChatCompletion && !model.SupportsChat)
        {
            return "does not serve chat completions";
        }

        if ((needed & ~model.Supports) is var missing and not RequestFeatures.None)
        {
            return "lacks " + FeatureNames(missing);
        }

        var maxOutput = request.MaxOutputTokens ?? 0;
        if (model.ContextWindow is { } window && inspection.EstimatedInputTokens + maxOutput > window)
        {
            kind = ExclusionKind.ContextWindow;
            return $"context window {window} < ~{inspection.EstimatedInputTokens} input + {maxOutput} output tokens";
        }

        return null;
    }

    /// <summary>
    /// The hard constraints (data class vs trust zone, operation, capability, context window) for one deployment;
    /// Execute re-checks them right before each send (defence in depth). Null when the deployment may receive the request.
    /// </summary>
    public static RouteExclusion? HardConstraintViolation(CanonicalRequest request, Inspection.Inspection inspection, Deployment deployment)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(inspection);
        ArgumentNullException.ThrowIfNull(deployment);
        if (!ZoneAllows(inspection.DataClass, deployment.Zone))
        {
            return new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.TrustZone,
                $"{ZoneName(deployment.Zone)} zone not allowed for {inspection.DataClass.ToString().ToLowerInvariant()} data");
        }

        return ModelProblem(request, inspection, deployment.Model, out var kind) is { } problem
            ? new RouteExclusion(deployment.Id, deployment.Model.Name, kind, problem)
            : null;
    }

    /// <summary>The exclusion (and its wording) of a deployment that is open, cooling down or at its cap.</summary>
    public static RouteExclusion Unavailable(Deployment deployment, Availability availability, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return availability switch
        {
            Availability.CircuitOpen => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.CircuitOpen, "circuit open"),
            Availability.CoolingDown => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.CoolingDown,
                $"rate limited, cooling down for {Math.Ceiling(wait.TotalSeconds)}s"),
            Availability.OverRateLimit => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.OverRateLimit,
                $"over its requests-per-minute limit, next slot in {Math.Ceiling(wait.TotalSeconds)}s"),
            Availability.OverTokenLimit => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.OverRateLimit,
                $"over its tokens-per-minute limit, next tokens in {Math.Ceiling(wait.TotalSeconds)}s"),
            _ => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.AtCapacity, "at its concurrency cap"),
        };
    }

    /// <summary>
    /// When every candidate was left out only because it is open, cooling or capped: 429 with the shortest
    /// cool-down when all are rate limited (the upstream's truth), else 503 naming each reason. Null otherwise.
    /// </summary>
    public static RouteError? AvailabilityError(string name, IReadOnlyList<RouteExclusion> exclusions, TimeSpan? retryAfter)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        var unavailable = exclusions.Where(e => e.Kind is ExclusionKind.CircuitOpen or ExclusionKind.CoolingDown or ExclusionKind.AtCapacity or ExclusionKind.OverRateLimit).ToList();
        if (unavailable.Count == 0)
        {
            return null;
        }

        var reasons = string.Join("; ", unavailable.Select(e => e.DeploymentId + ": " + e.Reason));
        if (unavailable.All(e => e.Kind is ExclusionKind.CoolingDown or ExclusionKind.OverRateLimit))
        {
            return new RouteError(429, "rate_limit_exceeded", $"Every deployment of '{name}' is rate limited ({reasons}).", null, retryAfter);
        }

        return new RouteError(503, "no_deployment_available", $"No deployment of '{name}' is available now ({reasons}).");
    }

    private static RouteError NoCandidateError(string name, List<(ModelInfo Model, int Weight)> targets, List<RouteExclusion> exclusions, RouteTable table,
        IDeploymentStates? states)
    {
        if (states is not null)
        {
            TimeSpan? wait = null;
            foreach (var target in targets)
            {
                foreach (var d in target.Model.Deployments)
                {
                    if (states.View(d) is { Availability: Availability.CoolingDown or Availability.OverRateLimit or Availability.OverTokenLimit } v && (wait is null || v.Wait < wait))
                    {
                        wait = v.Wait;
                    }
                }
            }

            if (AvailabilityError(name, exclusions, wait) is { } unavailable)
            {
                return unavailable;
            }
        }

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
            ExclusionKind.Untranslatable => new RouteError(400, "unsupported_feature",
                $"{first.Reason} (no deployment of '{name}' can receive it; deployment {first.DeploymentId} was the first).", first.Reason[..Math.Max(0, first.Reason.IndexOf(':', StringComparison.Ordinal))]),
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

    private IReadOnlyList<Deployment> OrderDeployments(ModelInfo model, IDeploymentStates? states)
    {
        var deployments = model.Deployments;
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
        var strategy = states is null ? LoadBalancing.Weighted : model.LoadBalancing;
        if (strategy == LoadBalancing.PowerOfTwoLatency && pool.Count >= 2)
        {
            // Two weighted picks; the lower expected wait (latency EWMA × (in flight + 1)) goes first.
            var a = pool[PickWeighted(pool, static d => d.Weight)];
            pool.Remove(a);
            var b = pool[PickWeighted(pool, static d => d.Weight)];
            pool.Remove(b);
            var (first, second) = Score(states!.View(b)) < Score(states.View(a)) ? (b, a) : (a, b);
            ordered.Add(first);
            ordered.Add(second);
        }

        while (pool.Count > 0)
        {
            var index = PickWeighted(pool, static d => d.Weight);
            ordered.Add(pool[index]);
            pool.RemoveAt(index);
        }

        if (strategy == LoadBalancing.LeastOutstanding)
        {
            // Stable insertion sort by requests in flight: equal loads keep their weighted random order.
            for (var i = 1; i < ordered.Count; i++)
            {
                var current = ordered[i];
                var load = states!.View(current).Outstanding;
                var j = i - 1;
                while (j >= 0 && states.View(ordered[j]).Outstanding > load)
                {
                    ordered[j + 1] = ordered[j];
                    j--;
                }

                ordered[j + 1] = current;
            }
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

    private static double Score(DeploymentView view) => view.LatencyEwmaMs * (view.Outstanding + 1);

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
