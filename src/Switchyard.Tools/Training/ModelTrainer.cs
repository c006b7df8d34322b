using System.Globalization;
using System.Text;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;

namespace Switchyard.Tools.Training;

/// <summary>Holdout accuracy of the task classifier for one category.</summary>
public sealed record CategoryAccuracy(string Category, int Rows, int Correct)
{
    public double Accuracy => Rows == 0 ? 0 : (double)Correct / Rows;
}

/// <summary>What <see cref="ModelTrainer.Train"/> produced: the four models, the two priors tables, and holdout figures.</summary>
public sealed record TrainingResult(
    LinearModel Classifier,
    LinearModel Quality,
    string PriorsCsv,
    IReadOnlyList<CategoryAccuracy> ClassifierHoldout,
    int ClassifierTrainRows,
    int QualityTrainRows,
    LinearModel Domains,
    string DomainPriorsCsv,
    ShapeModel Shape);

/// <summary>
/// The training recipe behind <c>switchyard train</c>: the task classifier on the task-types <c>dev</c> rows, then
/// the per-profile quality model on the <c>dev</c> rows of routing-mmlu-pro and routing-routellm (features of the
/// prompt plus the classifier's category), then per-(profile, category) priors, then the domain classifier and the
/// per-(domain, profile) priors of <see cref="DomainModel"/> on the same routing rows, then the prompt-shape residual
/// (<see cref="ShapeModel"/>) on the heads' out-of-fold logits. Holdout rows are only scored.
/// Fixed seeds and single-threaded arithmetic make the output files identical on every run.
/// </summary>
public static class ModelTrainer
{
    /// <summary>Hash buckets of both models (2^14: the weight files stay under 1 MB together).</summary>
    public const int Buckets = 1 << 14;

    public static readonly TrainingOptions ClassifierOptions = new(Softmax: true, Epochs: 12, LearningRate: 0.4f, L2: 1e-5f, Seed: 7);
    public static readonly TrainingOptions QualityOptions = new(Softmax: false, Epochs: 4, LearningRate: 0.1f, L2: 1e-3f, Seed: 11);
    public static readonly TrainingOptions DomainOptions = new(Softmax: true, Epochs: 6, LearningRate: 0.4f, L2: 1e-5f, Seed: 13);

    /// <summary>Prior of a (profile, category) cell: its dev mean shrunk toward the profile's mean by this many pseudo-rows.</summary>
    private const double PriorStrength = 20;


    /// <summary>The shape residual is fitted on logits of heads that did not see the row: this many folds of the routing dev rows.</summary>
    public const int ShapeFolds = 5;

    /// <summary>Ridge penalty of the shape residual on standardised features, in pseudo-rows.</summary>
    public const double ShapeL2 = 100;

    /// <summary>A (form, profile) cell with fewer dev rows than this gets no shape term.</summary>
    public const int ShapeMinRows = 100;

    /// <summary>Routing dev files, relative to the shared data directory.</summary>
    public static readonly IReadOnlyList<string> RoutingDevFiles =
    [
        Path.Combine("routing-mmlu-pro", "mmlu_pro_routing.dev.jsonl"),
        Path.Combine("routing-routellm", "routellm_gpt4_vs_mixtral.dev.jsonl"),
    ];

    /// <summary>
    /// Whether a routing dev row belongs to the tuning fold (a fixed fifth, by a hash of its id that does not
    /// depend on the runtime): <see cref="Train"/> with <c>devFold</c> leaves these rows out, so a variant of the
    /// recipe can be scored on dev rows it never saw without touching the holdout.
    /// </summary>
    public static bool InDevFold(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        var h = 17u;
        foreach (var ch in id)
        {
            h = unchecked((h * 31u) + ch);
        }

        return h % 5u == 0u;
    }

    /// <summary>
    /// Trains from the shared data directory (holding task-types/, routing-mmlu-pro/, routing-routellm/). With
    /// <paramref name="devFold"/>, the routing rows of the tuning fold (<see cref="InDevFold"/>) are left out of the
    /// quality model and the priors.
    /// </summary>
    public static TrainingResult Train(string dataDirectory, TrainingOptions? classifierOptions = null, TrainingOptions? qualityOptions = null, bool devFold = false)
    {
        var prompts = TrainingData.ReadTaskTypes(Path.Combine(dataDirectory, "task-types"));
        var categories = TaskCategories.All.Length;
        var dev = prompts.Where(p => p.Split == "dev").ToList();
        var examples = new List<TrainingExample>(dev.Count);
        foreach (var p in dev)
        {
            var targets = new float[categories];
            targets[(int)p.Category] = 1f;
            examples.Add(new TrainingExample(Features(p.Text), targets));
        }

        var classifier = LinearTrainer.Train("task-classifier", Buckets, [.. TaskCategories.All.Select(TaskCategories.Name)], examples, classifierOptions ?? ClassifierOptions);
        var analyzer = new TaskAnalyzer(classifier, null);
        var holdout = TaskCategories.All
            .Select(c =>
            {
                var rows = prompts.Where(p => p.Split == "holdout" && p.Category == c).ToList();
                return new CategoryAccuracy(TaskCategories.Name(c), rows.Count, rows.Count(r => analyzer.Analyze(r.Text).Category == c));
            })
            .ToList();

        var mmlu = TrainingData.ReadRouting(Path.Combine(dataDirectory, RoutingDevFiles[0])).Where(i => !devFold || !InDevFold(i.Id)).ToList();
        var routellm = TrainingData.ReadRouting(Path.Combine(dataDirectory, RoutingDevFiles[1]))
            .Where(i => !i.Contaminated && (!devFold || !InDevFold(i.Id))).ToList();
        var profiles = mmlu.SelectMany(i => i.Scores.Keys).Concat(routellm.SelectMany(i => i.Scores.Keys)).Distinct(StringComparer.Ordinal).ToList();
        var index = profiles.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        var qualityExamples = new List<TrainingExample>(mmlu.Count + routellm.Count);
        var cells = new Dictionary<(int Profile, TaskCategory Category), (double Sum, int Count)>();
        var lengths = profiles.Select(_ => new List<int>()).ToList();
        var shapes = new List<float[]>(qualityExamples.Capacity);
        foreach (var item in mmlu.Concat(routellm))
        {
            var shape = new float[PromptShape.Count];
            var features = Features(item.Prompt, shape);
            var category = analyzer.Analyze(item.Prompt).Category;
            shapes.Add(shape);
            var withCategory = new int[features.Length + 1];
            features.CopyTo(withCategory, 0);
            withCategory[^1] = TaskAnalyzer.CategoryFeature(category, Buckets);
            var targets = new float[profiles.Count];
            Array.Fill(targets, float.NaN);
            foreach (var (model, score) in item.Scores)
            {
                // No record counts as a wrong answer: a router that picks the model gets nothing for it.
                var y = (float)(score ?? 0);
                var p = index[model];
                targets[p] = y;
                var cell = cells.GetValueOrDefault((p, category));
                cells[(p, category)] = (cell.Sum + y, cell.Count + 1);
                if (item.OutputChars.GetValueOrDefault(model) is { } chars)
                {
                    lengths[p].Add(chars);
                }
            }

            qualityExamples.Add(new TrainingExample(withCategory, targets));
        }

        var quality = LinearTrainer.Train("quality", Buckets, profiles, qualityExamples, qualityOptions ?? QualityOptions);
        var (domains, domainPriors) = TrainDomains(mmlu.Concat(routellm).ToList(), qualityExamples, MmluSubjects(mmlu), profiles);
        var shapeModel = TrainShape(qualityExamples, shapes, profiles, qualityOptions ?? QualityOptions);
        return new TrainingResult(classifier, quality, PriorsCsv(profiles, cells, [.. lengths.Select(MedianTokens)]), holdout, examples.Count, qualityExamples.Count,
            domains, domainPriors, shapeModel);
    }

    /// <summary>
    /// The domain of a routing row, from its dataset labels: MMLU-Pro's category; for RouteLLM's MMLU rows, the
    /// MMLU-Pro category that MMLU-Pro itself files that MMLU subject under (its <c>src</c> field), else <c>other</c>;
    /// null for GSM8K and MT-Bench (no MMLU-Pro category). At inference the domain is predicted from the text.
    /// </summary>
    public static string? Domain(RoutingItem item, IReadOnlyDictionary<string, string> mmluSubjects)
    {
        ArgumentNullException.ThrowIfNull(item);
        ArgumentNullException.ThrowIfNull(mmluSubjects);
        return item.Source switch
        {
            "mmlu-pro" => item.Subject ?? "other",
            "mmlu" => item.Subject is { } subject ? mmluSubjects.GetValueOrDefault(subject, "other") : "other",
            _ => null,
        };
    }

    /// <summary>MMLU subject → MMLU-Pro category, from MMLU-Pro rows whose <c>src</c> is <c>ori_mmlu-SUBJECT</c> (the most frequent category wins).</summary>
    public static IReadOnlyDictionary<string, string> MmluSubjects(IEnumerable<RoutingItem> mmluPro)
    {
        ArgumentNullException.ThrowIfNull(mmluPro);
        const string Prefix = "ori_mmlu-";
        return mmluPro
            .Where(i => i.Origin is { } o && o.StartsWith(Prefix, StringComparison.Ordinal) && i.Subject is not null)
            .GroupBy(i => i.Origin![Prefix.Length..], StringComparer.Ordinal)
            .ToDictionary(
                g => g.Key,
                g => g.GroupBy(i => i.Subject!, StringComparer.Ordinal).OrderByDescending(c => c.Count()).ThenBy(c => c.Key, StringComparer.Ordinal).First().Key,
                StringComparer.Ordinal);
    }

    /// <summary>
    /// The domain classifier (softmax over the prompt's features, on every row with a domain) and the per-(domain,
    /// profile) priors, from the MMLU-Pro rows only: on the dev fold, blending domain priors into GPT-4's and
    /// Mixtral's heads raised the share of RouteLLM's MMLU sent to GPT-4 at 95 % of its score (docs/routing.md), so
    /// those profiles keep their heads.
    /// </summary>
    private static (LinearModel Model, string PriorsCsv) TrainDomains(List<RoutingItem> items, List<TrainingExample> qualityExamples,
        IReadOnlyDictionary<string, string> mmluSubjects, List<string> profiles)
    {
        var labels = items.Select(i => Domain(i, mmluSubjects)).ToList();
        var domains = labels.OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var index = domains.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i, StringComparer.Ordinal);
        var examples = new List<TrainingExample>(items.Count);
        var cells = new (double Sum, int Count)[domains.Count, profiles.Count];
        var totals = new (double Sum, int Count)[profiles.Count];
        for (var r = 0; r < items.Count; r++)
        {
            if (labels[r] is not { } label)
            {
                continue;
            }

            // The quality examples carry the category feature last; the domain classifier reads the text only.
            var targets = new float[domains.Count];
            var d = index[label];
            targets[d] = 1f;
            examples.Add(new TrainingExample(qualityExamples[r].Features[..^1], targets));
            if (items[r].Source != "mmlu-pro")
            {
                continue;
            }

            var y = qualityExamples[r].Targets;
            for (var p = 0; p < profiles.Count; p++)
            {
                if (!float.IsNaN(y[p]))
                {
                    cells[d, p] = (cells[d, p].Sum + y[p], cells[d, p].Count + 1);
                    totals[p] = (totals[p].Sum + y[p], totals[p].Count + 1);
                }
            }
        }

        var model = LinearTrainer.Train("domain-classifier", Buckets, domains, examples, DomainOptions);
        var sb = new StringBuilder("domain,profile,rows,prior\n");
        for (var d = 0; d < domains.Count; d++)
        {
            for (var p = 0; p < profiles.Count; p++)
            {
                var (sum, count) = cells[d, p];
                if (count == 0)
                {
                    continue;
                }

                var mean = totals[p].Sum / totals[p].Count;
                var prior = (sum + (PriorStrength * mean)) / (count + PriorStrength);
                sb.Append(domains[d]).Append(',').Append(profiles[p]).Append(',')
                    .Append(count.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(prior.ToString("0.0000", CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return (model, sb.ToString());
    }

    /// <summary>
    /// The prompt-shape residual: the quality heads are retrained <see cref="ShapeFolds"/> times, each without one
    /// fold of the rows, to give every row a logit from heads that never saw it (the heads score 0.78 AUC on their own
    /// training rows against 0.66 on new ones, so a residual fitted on in-sample logits would learn from noise); then
    /// per (form, profile) a ridge logistic regression of the row's target on its shape, with that logit as an offset
    /// (<see cref="ShapeFit"/>).
    /// </summary>
    private static ShapeModel TrainShape(List<TrainingExample> examples, List<float[]> shapes, List<string> profiles, TrainingOptions options)
    {
        var k = profiles.Count;
        var offsets = new float[examples.Count * k];
        var scores = new float[k];
        for (var fold = 0; fold < ShapeFolds; fold++)
        {
            var train = examples.Where((_, r) => r % ShapeFolds != fold).ToList();
            var model = LinearTrainer.Train("quality", Buckets, profiles, train, options);
            for (var r = fold; r < examples.Count; r += ShapeFolds)
            {
                model.Score(examples[r].Features, scores);
                scores.CopyTo(offsets, r * k);
            }
        }

        var forms = PromptShape.Forms.Count;
        var weights = new float[forms * k * ShapeModel.Stride];
        for (var form = 0; form < forms; form++)
        {
            for (var p = 0; p < k; p++)
            {
                var rows = Enumerable.Range(0, examples.Count).Where(r => PromptShape.Form(shapes[r]) == form && !float.IsNaN(examples[r].Targets[p])).ToList();
                if (rows.Count < ShapeMinRows)
                {
                    continue;
                }

                var cell = ShapeFit.Fit(
                    [.. rows.Select(r => shapes[r])],
                    [.. rows.Select(r => (double)examples[r].Targets[p])],
                    [.. rows.Select(r => (double)offsets[(r * k) + p])],
                    ShapeL2);
                cell.CopyTo(weights, ((form * k) + p) * ShapeModel.Stride);
            }
        }

        return new ShapeModel(PromptShape.Forms, profiles, weights);
    }

    /// <summary>Writes the six data files into <paramref name="outputDirectory"/>; returns their paths.</summary>
    public static IReadOnlyList<string> Write(TrainingResult result, string outputDirectory)
    {
        ArgumentNullException.ThrowIfNull(result);
        Directory.CreateDirectory(outputDirectory);
        var classifier = Path.Combine(outputDirectory, TaskModelFiles.Classifier);
        var quality = Path.Combine(outputDirectory, TaskModelFiles.Quality);
        var priors = Path.Combine(outputDirectory, TaskModelFiles.Priors);
        File.WriteAllBytes(classifier, result.Classifier.Write());
        File.WriteAllBytes(quality, result.Quality.Write());
        File.WriteAllText(priors, result.PriorsCsv);
        var domains = Path.Combine(outputDirectory, TaskModelFiles.DomainClassifier);
        var domainPriors = Path.Combine(outputDirectory, TaskModelFiles.DomainPriors);
        File.WriteAllBytes(domains, result.Domains.Write());
        File.WriteAllText(domainPriors, result.DomainPriorsCsv);
        var shape = Path.Combine(outputDirectory, TaskModelFiles.Shape);
        File.WriteAllBytes(shape, result.Shape.Write());
        return [classifier, quality, priors, domains, domainPriors, shape];
    }

    private static int[] Features(string text, float[]? shape = null)
    {
        var buffer = new int[TextFeatures.MaxFeatures];
        var n = TextFeatures.Extract(text, Buckets, buffer, shape);
        return buffer[..n];
    }

    /// <summary>Median answer length in tokens (characters / 4), or 0 when the dataset has none.</summary>
    private static int MedianTokens(List<int> chars)
    {
        if (chars.Count == 0)
        {
            return 0;
        }

        chars.Sort();
        return (chars[chars.Count / 2] + 3) / 4;
    }

    private static string PriorsCsv(List<string> profiles, Dictionary<(int Profile, TaskCategory Category), (double Sum, int Count)> cells, int[] outputTokens)
    {
        var sb = new StringBuilder("profile,category,rows,prior,output_tokens\n");
        for (var p = 0; p < profiles.Count; p++)
        {
            var sum = 0.0;
            var count = 0;
            foreach (var c in TaskCategories.All)
            {
                var cell = cells.GetValueOrDefault((p, c));
                sum += cell.Sum;
                count += cell.Count;
            }

            var mean = count == 0 ? 0.5 : sum / count;
            foreach (var c in TaskCategories.All)
            {
                var cell = cells.GetValueOrDefault((p, c));
                var prior = (cell.Sum + (PriorStrength * mean)) / (cell.Count + PriorStrength);
                sb.Append(profiles[p]).Append(',').Append(TaskCategories.Name(c)).Append(',')
                    .Append(cell.Count.ToString(CultureInfo.InvariantCulture)).Append(',')
                    .Append(prior.ToString("0.0000", CultureInfo.InvariantCulture)).Append(',')
                    .Append(outputTokens[p].ToString(CultureInfo.InvariantCulture)).Append('\n');
            }
        }

        return sb.ToString();
    }
}
