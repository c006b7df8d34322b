using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Route;

/// <summary>Why a deployment or model was left out, worded for the client (400/403/429/503); the constraints themselves are <see cref="HardConstraints"/>.</summary>
public static class RouteRefusals
{
    /// <summary>The exclusion (and its wording) of a deployment that is open, cooling down or at its cap.</summary>
    public static RouteExclusion Unavailable(Deployment deployment, Availability availability, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(deployment);
        return availability switch
        {
            Availability.CircuitOpen => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.CircuitOpen, "circuit open"),
            Availability.CoolingDown => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.CoolingDown,
                $"rate limited, cooling down for {Math.Ceiling(wait.TotalSeconds)}s")
            { Wait = wait },
            Availability.OverRateLimit => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.OverRateLimit,
                $"over its requests-per-minute limit, next slot in {Math.Ceiling(wait.TotalSeconds)}s")
            { Wait = wait },
            Availability.OverTokenLimit => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.OverRateLimit,
                $"over its tokens-per-minute limit, next tokens in {Math.Ceiling(wait.TotalSeconds)}s")
            { Wait = wait },
            _ => new RouteExclusion(deployment.Id, deployment.Model.Name, ExclusionKind.AtCapacity, "at its concurrency cap"),
        };
    }

    /// <summary>
    /// When every candidate was left out only because it is open, cooling or capped: 429 with the shortest
    /// cool-down when all are rate limited (the upstream's truth), else 503 naming each reason. Null otherwise.
    /// </summary>
    public static Problem? AvailabilityError(string name, IReadOnlyList<RouteExclusion> exclusions, TimeSpan? retryAfter)
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
            return new Problem(429, "rate_limit_exceeded", $"Every deployment of '{name}' is rate limited ({reasons}).") { RetryAfter = retryAfter };
        }

        return new Problem(503, "no_deployment_available", $"No deployment of '{name}' is available now ({reasons}).");
    }

    internal static Problem NoCandidateError(string name, List<(ModelInfo Model, int Weight)> targets, List<RouteExclusion> exclusions, RouteTable table,
        IDeploymentStates? states)
    {
        if (states is not null)
        {
            // The waits read when each was left out: reading the states again could find one free by now (another
            // replica's exchange renewed its share) and answer a 429 without retry-after.
            TimeSpan? wait = null;
            foreach (var e in exclusions)
            {
                if (e.Wait is { } w && (wait is null || w < wait))
                {
                    wait = w;
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
            return new Problem(503, "no_deployment_available", $"No deployment of '{name}' is available{detail}.");
        }

        var first = exclusions[0];
        return first.Kind switch
        {
            ExclusionKind.TrustZone => new Problem(403, "data_class_forbidden",
                $"No deployment of '{name}' may receive this request: {first.Reason}."),
            ExclusionKind.ContextWindow => new Problem(400, "context_length_exceeded",
                $"The request does not fit '{name}': {first.Reason}.")
            { Param = "messages" },
            ExclusionKind.NotAllowed => new Problem(403, "model_not_allowed", $"The key is not allowed to use the models behind '{name}'.") { Param = "model" },
            ExclusionKind.Untranslatable => new Problem(400, "unsupported_feature",
                $"{first.Reason} (no deployment of '{name}' can receive it; deployment {first.DeploymentId} was the first).")
            { Param = first.Reason[..Math.Max(0, first.Reason.IndexOf(':', StringComparison.Ordinal))] },
            _ => new Problem(400, "unsupported_feature", $"The model '{name}' cannot honour this request: {first.Model} {first.Reason}.") { Param = ParamOf(first.Reason) },
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

    internal static string Truncate(string s) => s.Length <= 200 ? s : s[..200] + "…";
}
