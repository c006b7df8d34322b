using System.Globalization;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Route;

/// <summary>
/// The objective step of Route: orders candidates that already passed every hard constraint, and says why. It
/// never adds a candidate, so whatever the objective, the plan holds only deployments the constraints allowed.
/// </summary>
internal static class ObjectiveRanker
{
    /// <summary>Output tokens assumed for the cost and latency estimate when the request sets no maximum.</summary>
    public const int DefaultOutputTokens = 256;

    /// <summary>Quality assumed for a model with no profile: below any sensible threshold, so it qualifies only by cost among equals.</summary>
    public const double UnknownQuality = 0.5;

    /// <summary>Candidates that get a reason of their own (the ledger keeps as many, <see cref="RouteDecision.MaxCandidates"/>).</summary>
    private const int ReasonedCandidates = RouteDecision.MaxCandidates;

    public static double Quality(ModelInfo model, TaskAnalysis task, out bool known)
    {
        known = true;
        if (model.QualityIndex >= 0 && model.QualityIndex < task.Quality.Length)
        {
            return task.Quality[model.QualityIndex];
        }

        if (model.QualityPriors is { } priors)
        {
            return priors[(int)task.Category];
        }

        known = false;
        return UnknownQuality;
    }

    /// <summary>
    /// Estimated cost: the input estimate plus the model's typical answer length (capped by the request's maximum),
    /// else <paramref name="outputTokens"/>. Verbose models cost more than their list price suggests.
    /// </summary>
    public static decimal EstimatedCost(ModelInfo model, int inputTokens, int outputTokens, bool outputCapped = false)
    {
        var output = model.TypicalOutputTokens is { } typical ? (outputCapped ? Math.Min(typical, outputTokens) : typical) : outputTokens;
        return model.Price.Cost(new Usage(inputTokens, output));
    }

    /// <summary>Expected milliseconds to the last token, or null when the deployment has no measurement yet.</summary>
    public static double? ExpectedLatencyMs(Deployment deployment, IDeploymentStates? states, int outputTokens)
    {
        if (states is not null && states.TryGetSpeed(deployment.Id, out var speed) && speed.TokensPerSecond > 0)
        {
            return speed.TimeToFirstTokenMs + (outputTokens * 1000.0 / speed.TokensPerSecond);
        }

        return null;
    }

    /// <summary>
    /// Reorders <paramref name="candidates"/> in place by the objective and rewrites their reasons.
    /// <paramref name="threshold"/> is the minimum quality of cheapest-qualifying, and λ (quality per dollar) of value.
    /// </summary>
    public static void Order(List<RouteCandidate> candidates, RouteObjective objective, double threshold, TaskAnalysis task,
        int inputTokens, int outputTokens, bool outputCapped, IDeploymentStates? states)
    {
        var n = candidates.Count;
        var scored = new (RouteCandidate Candidate, double Quality, decimal Cost, double? Latency, int Index)[n];
        for (var i = 0; i < n; i++)
        {
            var c = candidates[i];
            var model = c.Deployment.Model;
            scored[i] = (c, Quality(model, task, out _), EstimatedCost(model, inputTokens, outputTokens, outputCapped),
                objective == RouteObjective.Fastest ? ExpectedLatencyMs(c.Deployment, states, outputTokens) : null, i);
        }

        var dominated = new bool[n];
        if (objective == RouteObjective.CheapestQualifying)
        {
            // A candidate another one beats on both the category's prior quality and the estimate of cost is
            // dominated: its per-prompt prediction may be noisy, the category's record is not. Dominated
            // candidates only serve as fallbacks.
            for (var i = 0; i < n; i++)
            {
                if (scored[i].Candidate.Deployment.Model.QualityPriors is not { } mine)
                {
                    continue;
                }

                for (var j = 0; j < n && !dominated[i]; j++)
                {
                    if (j != i && scored[j].Candidate.Deployment.Model.QualityPriors is { } other
                        && other[(int)task.Category] >= mine[(int)task.Category] && scored[j].Cost <= scored[i].Cost
                        && (other[(int)task.Category] > mine[(int)task.Category] || scored[j].Cost < scored[i].Cost))
                    {
                        dominated[i] = true;
                    }
                }
            }
        }

        Comparison<(RouteCandidate Candidate, double Quality, decimal Cost, double? Latency, int Index)> compare = objective switch
        {
            RouteObjective.Best => static (a, b) =>
                b.Quality.CompareTo(a.Quality) is var q and not 0 ? q : a.Cost.CompareTo(b.Cost) is var c and not 0 ? c : a.Index.CompareTo(b.Index),
            // Value: quality − λ · cost, highest first; ties go to the cheaper.
            RouteObjective.Value => (a, b) =>
                Net(b.Quality, b.Cost, threshold).CompareTo(Net(a.Quality, a.Cost, threshold)) is var v and not 0 ? v
                : a.Cost.CompareTo(b.Cost) is var c and not 0 ? c : a.Index.CompareTo(b.Index),
            RouteObjective.Fastest => static (a, b) =>
                (a.Latency is null).CompareTo(b.Latency is null) is var k and not 0 ? k
                : (a.Latency ?? 0).CompareTo(b.Latency ?? 0) is var l and not 0 ? l
                : a.Cost.CompareTo(b.Cost) is var c and not 0 ? c : a.Index.CompareTo(b.Index),
            _ => (a, b) =>
            {
                if (dominated[a.Index] != dominated[b.Index])
                {
                    return dominated[a.Index] ? 1 : -1;
                }

                var qa = a.Quality >= threshold;
                var qb = b.Quality >= threshold;
                if (qa != qb)
                {
                    return qa ? -1 : 1;
                }

                // Qualifying: cheapest first. Not qualifying: best-predicted first.
                var primary = qa ? a.Cost.CompareTo(b.Cost) : b.Quality.CompareTo(a.Quality);
                if (primary != 0)
                {
                    return primary;
                }

                var secondary = qa ? b.Quality.CompareTo(a.Quality) : a.Cost.CompareTo(b.Cost);
                return secondary != 0 ? secondary : a.Index.CompareTo(b.Index);
            }
            ,
        };
        Array.Sort(scored, compare);

        var name = RouteObjectives.Name(objective);
        var category = TaskCategories.Name(task.Category);
        for (var i = 0; i < n; i++)
        {
            var s = scored[i];
            if (i >= ReasonedCandidates)
            {
                // Deep fallbacks keep their scores; a reason each would cost an allocation nobody reads.
                candidates[i] = s.Candidate with { Reason = "fallback", Quality = Math.Round(s.Quality, 4), EstimatedCostUsd = s.Cost };
                continue;
            }

            var why = objective switch
            {
                RouteObjective.CheapestQualifying when dominated[s.Index] => $"{category} q {F(s.Quality)}, dominated by a cheaper, better candidate",
                RouteObjective.CheapestQualifying => s.Quality >= threshold
                    ? $"{category} q {F(s.Quality)} >= {F(threshold)}, ~${C(s.Cost)}"
                    : $"{category} q {F(s.Quality)} < {F(threshold)}, best-predicted",
                RouteObjective.Value => $"{category} q {F(s.Quality)} - {threshold.ToString("0.##", CultureInfo.InvariantCulture)}/$ x ${C(s.Cost)} = {F(Net(s.Quality, s.Cost, threshold))}",
                RouteObjective.Fastest => s.Latency is { } ms ? $"~{ms.ToString("0", CultureInfo.InvariantCulture)} ms expected" : "no latency measured yet",
                _ => $"{category} q {F(s.Quality)}",
            };
            var reason = i == 0 ? $"{name}: {s.Candidate.Deployment.Model.Name} ({why})" : $"fallback #{i} ({why})";
            candidates[i] = s.Candidate with { Reason = reason, Quality = Math.Round(s.Quality, 4), EstimatedCostUsd = s.Cost };
        }
    }

    /// <summary>The value objective's score: predicted quality less λ times the estimated cost.</summary>
    public static double Net(double quality, decimal cost, double qualityPerDollar) => quality - (qualityPerDollar * (double)cost);

    private static string F(double value) => value.ToString("0.00", CultureInfo.InvariantCulture);

    private static string C(decimal value) => value.ToString("0.######", CultureInfo.InvariantCulture);
}
