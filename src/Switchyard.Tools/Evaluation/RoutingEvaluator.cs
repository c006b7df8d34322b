using System.Collections.Frozen;
using System.Globalization;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Tools.Training;

namespace Switchyard.Tools.Evaluation;

/// <summary>A policy to replay: an objective and, for cheapest-qualifying, a threshold; for value, λ (quality per dollar).</summary>
public sealed record EvalPolicy(string Name, RouteObjective Objective, double Threshold, double QualityPerDollar = QualityThresholds.StandardQualityPerDollar)
{
    /// <summary>Parses <c>cheapest-qualifying[:0.8]</c>, <c>value[:200]</c>, <c>best</c>, <c>fastest</c>, <c>weighted</c>.</summary>
    public static EvalPolicy? Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var parts = text.Split(':', 2, StringSplitOptions.TrimEntries);
        if (!RouteObjectives.TryParse(parts[0], out var objective))
        {
            return null;
        }

        if (objective == RouteObjective.Value)
        {
            var rate = QualityThresholds.StandardQualityPerDollar;
            if (parts.Length == 2 && (!double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out rate) || rate < 0 || !double.IsFinite(rate)))
            {
                return null;
            }

            return new EvalPolicy($"value:{rate.ToString("0.###", CultureInfo.InvariantCulture)}", objective, QualityThresholds.Standard.Default, rate);
        }

        var threshold = QualityThresholds.Standard.Default;
        if (parts.Length == 2 && (objective != RouteObjective.CheapestQualifying
            || !double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out threshold) || threshold is < 0 or > 1))
        {
            return null;
        }

        return new EvalPolicy(objective == RouteObjective.CheapestQualifying ? $"cheapest-qualifying:{threshold.ToString("0.###", CultureInfo.InvariantCulture)}" : RouteObjectives.Name(objective), objective, threshold);
    }

    /// <summary>The sweep parameter this policy reports: the threshold of cheapest-qualifying, λ of value.</summary>
    internal EvalResult Label(EvalResult result) => Objective switch
    {
        RouteObjective.CheapestQualifying => result with { Threshold = Threshold },
        RouteObjective.Value => result with { QualityPerDollar = QualityPerDollar },
        _ => result,
    };
}

/// <summary>Per sub-benchmark figures of one policy (routing-routellm has mmlu, gsm8k and mt_bench).</summary>
/// <param name="Source">The sub-benchmark.</param>
/// <param name="Items">Rows.</param>
/// <param name="Score">Mean score (accuracy, or judge score / 10).</param>
/// <param name="ShareToStrongest">Fraction of rows sent to the dataset's best single model.</param>
public sealed record EvalSourceResult(string Source, int Items, double Score, double ShareToStrongest);

/// <summary>What one policy (or a single model, or the oracle) scored on the dataset.</summary>
public sealed record EvalResult(
    string Name,
    double Accuracy,
    decimal CostUsd,
    IReadOnlyDictionary<string, int> Picks,
    IReadOnlyList<EvalSourceResult> BySource,
    double? Threshold = null,
    double? QualityPerDollar = null);

/// <summary>The cheapest point of either sweep (threshold or λ) reaching a share of the best single model's accuracy.</summary>
public sealed record EvalTarget(string Name, double AccuracyShare, EvalResult? Point, double? CostShare);

/// <summary>Lowest share of a sub-benchmark's rows sent to the strongest model among sweep points reaching a share of its score there.</summary>
public sealed record EvalSourceTarget(string Source, double ScoreShare, double StrongestScore, double? ShareToStrongest, EvalResult? Point);

/// <summary>
/// One bin of the reliability table: (row, model) pairs whose predicted quality fell in [<paramref name="From"/>,
/// <paramref name="To"/>), with their mean prediction and mean observed score. Calibrated predictions have the two
/// close in every bin.
/// </summary>
public sealed record EvalCalibrationBin(double From, double To, int Pairs, double MeanPredicted, double MeanObserved);

/// <summary>The whole evaluation of a dataset.</summary>
public sealed record EvalReport(
    string Dataset,
    int Items,
    int SkippedContaminated,
    EvalResult BestSingle,
    EvalResult Oracle,
    IReadOnlyList<EvalResult> Singles,
    IReadOnlyList<EvalResult> Policies,
    IReadOnlyList<EvalResult> Curve,
    IReadOnlyList<EvalResult> ValueCurve,
    IReadOnlyList<EvalTarget> Targets,
    IReadOnlyList<EvalSourceTarget> SourceTargets,
    IReadOnlyList<EvalCalibrationBin> Calibration)
{
    /// <summary>Expected calibration error: the pair-weighted mean of |mean predicted − mean observed| over the bins.</summary>
    public double CalibrationError
    {
        get
        {
            var pairs = Calibration.Sum(b => b.Pairs);
            return pairs == 0 ? 0 : Calibration.Sum(b => b.Pairs * Math.Abs(b.MeanPredicted - b.MeanObserved)) / pairs;
        }
    }
}

/// <summary>Model prices for the evaluation, USD per million tokens.</summary>
public sealed record EvalPrice(decimal InputPerMillion, decimal OutputPerMillion);

/// <summary>
/// <c>switchyard eval</c>: replays a routing dataset through the real Inspect and Route stages, offline. Every
/// dataset model becomes a configured model (its quality profile is its own name, its price the given one) with
/// one deployment that is never called; each policy is an alias with that objective and threshold, compiled by the
/// real <see cref="RouteTableCompiler"/>. For every row, the request is inspected once and each policy's plan
/// picks the primary candidate; the row's recorded score and answer length for that model give the accuracy and
/// cost (tokens ≈ characters / 4, as the datasets' READMEs say).
/// </summary>
public static class RoutingEvaluator
{
    /// <summary>Thresholds of the cost–quality sweep.</summary>
    public static IReadOnlyList<double> SweepThresholds { get; } = [.. Enumerable.Range(0, 51).Select(i => i / 50.0)];

    /// <summary>λ of the value sweep, quality points per dollar: 0, then 10 to 10^4 at sixteen steps a decade.</summary>
    public static IReadOnlyList<double> SweepQualityPerDollar { get; } = [0, .. Enumerable.Range(16, 49).Select(i => Math.Round(Math.Pow(10, i / 16.0), 3))];

    public static IReadOnlyList<EvalPolicy> DefaultPolicies { get; } =
    [
        EvalPolicy.Parse("cheapest-qualifying")!,
        EvalPolicy.Parse("best")!,
    ];

    /// <summary>Reads a prices file (<c>model,input_usd_per_mtok,output_usd_per_mtok,…</c>, as routing-mmlu-pro/prices.csv).</summary>
    public static IReadOnlyDictionary<string, EvalPrice> ReadPrices(TextReader reader)
    {
        var prices = new Dictionary<string, EvalPrice>(StringComparer.Ordinal);
        foreach (var row in Csv.ReadWithHeader(reader))
        {
            prices[row["model"]] = new EvalPrice(
                decimal.Parse(row["input_usd_per_mtok"], NumberStyles.Float, CultureInfo.InvariantCulture),
                decimal.Parse(row["output_usd_per_mtok"], NumberStyles.Float, CultureInfo.InvariantCulture));
        }

        return prices;
    }

    public static EvalReport Evaluate(string dataset, IReadOnlyList<RoutingItem> allItems, IReadOnlyDictionary<string, EvalPrice> prices,
        IReadOnlyList<EvalPolicy> policies, IEnumerable<IProviderAdapterFactory> factories, Inspector inspector)
    {
        ArgumentNullException.ThrowIfNull(allItems);
        ArgumentNullException.ThrowIfNull(prices);
        ArgumentNullException.ThrowIfNull(policies);
        var items = allItems.Where(i => !i.Contaminated).ToList();
        var models = items.SelectMany(i => i.Scores.Keys).Distinct(StringComparer.Ordinal).ToList();
        var missing = models.Where(m => !prices.ContainsKey(m)).ToList();
        if (missing.Count > 0)
        {
            throw new InvalidDataException($"no price for {string.Join(", ", missing)} (pass --prices with a row per model)");
        }

        var sweep = SweepThresholds.Select(t => new EvalPolicy($"sweep:{t.ToString("0.00", CultureInfo.InvariantCulture)}", RouteObjective.CheapestQualifying, t)).ToList();
        var valueSweep = SweepQualityPerDollar.Select(l => new EvalPolicy($"value-sweep:{l.ToString("0.###", CultureInfo.InvariantCulture)}", RouteObjective.Value, QualityThresholds.Standard.Default, l)).ToList();
        var all = policies.Concat(sweep).Concat(valueSweep).ToList();
        var table = Compile(models, prices, all, factories);
        table.Keys.TryAuthenticate(EvalKey, out var caller);
        var router = new Router(new FirstRandom());

        // picks[policy][row] = model served
        var picks = new string[all.Count][];
        for (var p = 0; p < all.Count; p++)
        {
            picks[p] = new string[items.Count];
        }

        var infos = models.Select(m => table.Models[m]).ToList();
        var bins = new (double Predicted, double Observed, int Pairs)[CalibrationBins];
        for (var r = 0; r < items.Count; r++)
        {
            var request = Request(items[r]);
            var inspection = inspector.Inspect(request, caller!, null);
            for (var m = 0; m < infos.Count; m++)
            {
                var predicted = ObjectiveRanker.Quality(infos[m], inspection.Task, out var known);
                if (known)
                {
                    var bin = Math.Clamp((int)(predicted * CalibrationBins), 0, CalibrationBins - 1);
                    var b = bins[bin];
                    bins[bin] = (b.Predicted + predicted, b.Observed + ScoreOf(items[r], models[m]), b.Pairs + 1);
                }
            }

            for (var p = 0; p < all.Count; p++)
            {
                var (plan, error) = router.Plan(request with { Model = AliasName(p) }, caller!, inspection, table);
                if (plan is null)
                {
                    throw new InvalidOperationException($"row {items[r].Id}: {error?.Message}");
                }

                picks[p][r] = plan.Candidates[0].Deployment.Model.Name;
            }
        }

        var singles = models.Select(m => Score(m, items, Enumerable.Repeat(m, items.Count).ToArray(), prices, null)).ToList();
        var best = singles.OrderByDescending(s => s.Accuracy).ThenBy(s => s.CostUsd).First();
        var oracle = Score("oracle", items, items.Select(i => Oracle(i, prices)).ToArray(), prices, best.Name);
        var results = policies.Select((p, i) => p.Label(Score(p.Name, items, picks[i], prices, best.Name))).ToList();
        var curve = sweep.Select((p, i) => p.Label(Score(p.Name, items, picks[policies.Count + i], prices, best.Name))).ToList();
        var valueCurve = valueSweep.Select((p, i) => p.Label(Score(p.Name, items, picks[policies.Count + sweep.Count + i], prices, best.Name))).ToList();
        var points = curve.Concat(valueCurve).ToList();
        singles = [.. singles.Select(s => Score(s.Name, items, Enumerable.Repeat(s.Name, items.Count).ToArray(), prices, best.Name))];
        best = singles.First(s => s.Name == best.Name);

        var targets = new List<EvalTarget>();
        foreach (var share in (double[])[1.0, 0.95])
        {
            var point = points.Where(c => c.Accuracy >= share * best.Accuracy - 1e-12).OrderBy(c => c.CostUsd).FirstOrDefault();
            targets.Add(new EvalTarget($"{share:P0} of best single accuracy", share, point,
                point is null || best.CostUsd == 0 ? null : (double)(point.CostUsd / best.CostUsd)));
        }

        var sourceTargets = new List<EvalSourceTarget>();
        foreach (var source in best.BySource)
        {
            var reach = 0.95 * source.Score;
            var point = points
                .Select(c => (Point: c, Source: c.BySource.First(s => s.Source == source.Source)))
                .Where(x => x.Source.Score >= reach - 1e-12)
                .OrderBy(x => x.Source.ShareToStrongest)
                .FirstOrDefault();
            sourceTargets.Add(new EvalSourceTarget(source.Source, 0.95, source.Score, point.Source?.ShareToStrongest, point.Point));
        }

        var calibration = bins
            .Select((b, i) => new EvalCalibrationBin((double)i / CalibrationBins, (double)(i + 1) / CalibrationBins, b.Pairs,
                b.Pairs == 0 ? 0 : b.Predicted / b.Pairs, b.Pairs == 0 ? 0 : b.Observed / b.Pairs))
            .ToList();
        return new EvalReport(dataset, items.Count, allItems.Count - items.Count, best, oracle, singles, results, curve, valueCurve, targets, sourceTargets, calibration);
    }

    private const string EvalKey = "eval-offline-key";

    /// <summary>Bins of the reliability table (predicted quality in tenths).</summary>
    private const int CalibrationBins = 10;

    private static string AliasName(int policy) => "eval-policy-" + policy.ToString(CultureInfo.InvariantCulture);

    private static RouteTable Compile(List<string> models, IReadOnlyDictionary<string, EvalPrice> prices, List<EvalPolicy> policies, IEnumerable<IProviderAdapterFactory> factories)
    {
        var config = new GatewayConfig
        {
            SourcePath = "(eval)",
            Providers = [new ProviderConfig { Name = "offline", Type = "simulated", Zone = TrustZone.SelfHosted }],
            Models = [.. models.Select(m => new ModelConfig
            {
                Name = m,
                ContextWindow = 1_000_000,
                Price = new PriceOverride(prices[m].InputPerMillion, prices[m].OutputPerMillion, null, null),
                QualityProfile = m,
            })],
            Deployments = [.. models.Select(m => new DeploymentConfig { Id = "offline-" + m, Provider = "offline", Model = m })],
            Aliases = [.. policies.Select((p, i) => new AliasConfig
            {
                Name = AliasName(i),
                Targets = [.. models.Select(m => new AliasTarget(m, 1))],
                Objective = p.Objective,
                Thresholds = new QualityThresholds(p.Threshold, FrozenDictionary<TaskCategory, double>.Empty) { QualityPerDollar = p.QualityPerDollar },
            })],
            Keys = [new ClientKeyConfig { Name = "eval", Key = EvalKey }],
        };
        return new RouteTableCompiler(factories, TimeProvider.System, static _ => null).Compile(config);
    }

    /// <summary>The row as a client would send it: earlier user turns, then the prompt.</summary>
    private static CanonicalRequest Request(RoutingItem item)
    {
        var messages = item.PreviousTurns.Append(item.Prompt)
            .Select(t => new ChatMessage { Role = ChatRole.User, Content = [new ContentPart(ContentPartKind.Text, t)], ContentIsString = true })
            .ToList();
        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            Model = "eval",
            Messages = messages,
            PromptChars = PromptChars(item),
        };
    }

    private static int PromptChars(RoutingItem item) => item.Prompt.Length + item.PreviousTurns.Sum(t => t.Length);

    /// <summary>Cost of a row on a model: prompt and recorded answer at about four characters a token.</summary>
    public static decimal Cost(RoutingItem item, string model, IReadOnlyDictionary<string, EvalPrice> prices)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(prices);
        var price = prices[model];
        var input = PromptChars(item) / 4m;
        var output = (item.OutputChars.GetValueOrDefault(model) ?? 0) / 4m;
        return ((input * price.InputPerMillion) + (output * price.OutputPerMillion)) / 1_000_000m;
    }

    private static double ScoreOf(RoutingItem item, string model) => item.Scores.GetValueOrDefault(model) ?? 0;

    /// <summary>The cheapest model with the row's best score.</summary>
    private static string Oracle(RoutingItem item, IReadOnlyDictionary<string, EvalPrice> prices)
    {
        var top = item.Scores.Keys.Max(m => ScoreOf(item, m));
        return item.Scores.Keys.Where(m => ScoreOf(item, m) >= top).OrderBy(m => Cost(item, m, prices)).ThenBy(m => m, StringComparer.Ordinal).First();
    }

    private static EvalResult Score(string name, List<RoutingItem> items, string[] picks, IReadOnlyDictionary<string, EvalPrice> prices, string? strongest)
    {
        double total = 0;
        decimal cost = 0;
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var bySource = new Dictionary<string, (double Score, int Items, int Strongest)>(StringComparer.Ordinal);
        for (var r = 0; r < items.Count; r++)
        {
            var model = picks[r];
            var score = ScoreOf(items[r], model);
            total += score;
            cost += Cost(items[r], model, prices);
            counts[model] = counts.GetValueOrDefault(model) + 1;
            var s = bySource.GetValueOrDefault(items[r].Source);
            bySource[items[r].Source] = (s.Score + score, s.Items + 1, s.Strongest + (model == strongest ? 1 : 0));
        }

        return new EvalResult(name, items.Count == 0 ? 0 : total / items.Count, cost, counts,
            [.. bySource.OrderBy(s => s.Key, StringComparer.Ordinal).Select(s => new EvalSourceResult(s.Key, s.Value.Items, s.Value.Score / s.Value.Items, (double)s.Value.Strongest / s.Value.Items))]);
    }

    /// <summary>Weighted splits are not evaluated for their randomness: the first target always wins.</summary>
    private sealed class FirstRandom : IRandomSource
    {
        public double NextDouble() => 0;
    }
}
