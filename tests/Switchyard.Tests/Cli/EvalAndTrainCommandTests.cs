using System.CommandLine;
using System.Text.Json;
using Switchyard.Cli;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Testing;
using Switchyard.Tools.Evaluation;
using Switchyard.Tools.Training;
using Xunit;

namespace Switchyard.Tests.Cli;

public sealed class EvalAndTrainCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "switchyard-eval-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private static (int Exit, string Stdout, string Stderr) Run(Command command, params string[] args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = command.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    private static string Data(params string[] parts) => Path.Combine([SharedData.Directory, .. parts]);

    [Fact]
    public void Eval_MmluProHoldout_ReportsPoliciesOracleBestSingleAndCharts()
    {
        var (exit, stdout, stderr) = Run(EvalCommand.Create(), "--data", Data("routing-mmlu-pro", "mmlu_pro_routing.holdout.jsonl"),
            "--policy", "cheapest-qualifying:0.7", "best", "value", "--json", "--out", _out);

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var best = root.GetProperty("best_single_model");
        Assert.Equal("gemini-1.5-pro-002", best.GetProperty("name").GetString());
        Assert.Equal(0.709, best.GetProperty("accuracy").GetDouble(), 3);
        Assert.InRange(best.GetProperty("cost_usd").GetDouble(), 1.85, 2.0);
        Assert.InRange(root.GetProperty("oracle").GetProperty("accuracy").GetDouble(), 0.91, 0.93);
        var policies = root.GetProperty("policies").EnumerateArray().ToList();
        Assert.Equal(["cheapest-qualifying:0.7", "best", "value:200"], policies.Select(p => p.GetProperty("name").GetString()));

        // Measured floors (docs/routing.md), not yet the targets: every routed point is a real Route decision.
        var bestPolicy = policies[1];
        Assert.True(bestPolicy.GetProperty("accuracy").GetDouble() >= 0.99 * 0.709);
        var value = policies[2];
        Assert.Equal(200, value.GetProperty("quality_per_dollar").GetDouble());
        Assert.True(value.GetProperty("accuracy").GetDouble() >= 0.95 * 0.709, value.ToString());
        Assert.True(value.GetProperty("cost_vs_best").GetDouble() <= 0.60, value.ToString());
        var at95 = root.GetProperty("targets").EnumerateArray().Single(t => t.GetProperty("accuracy_share").GetDouble() == 0.95).GetProperty("point");
        Assert.True(at95.GetProperty("accuracy").GetDouble() >= 0.95 * 0.709);
        Assert.True(at95.GetProperty("cost_vs_best").GetDouble() <= 0.50, at95.ToString());
        Assert.True(policies[0].GetProperty("picks").EnumerateObject().Count() > 1);
        var valueCurve = root.GetProperty("value_curve").EnumerateArray().ToList();
        Assert.Equal(RoutingEvaluator.SweepQualityPerDollar.Count, valueCurve.Count);
        Assert.True(valueCurve[0].GetProperty("cost_usd").GetDouble() > valueCurve[^1].GetProperty("cost_usd").GetDouble());

        // Blended predicted quality is calibrated on the holdout (measured expected calibration error 0.012).
        var calibration = root.GetProperty("calibration");
        Assert.True(calibration.GetProperty("expected_calibration_error").GetDouble() <= 0.03, calibration.ToString());
        Assert.Equal(3578 * 14, calibration.GetProperty("bins").EnumerateArray().Sum(b => b.GetProperty("pairs").GetInt32()));

        var svg = File.ReadAllText(Path.Combine(_out, EvalCommand.SvgFileName));
        Assert.Contains("data-series=\"router (cheapest-qualifying sweep)\"", svg, StringComparison.Ordinal);
        Assert.Contains("data-series=\"router (value sweep)\"", svg, StringComparison.Ordinal);
        Assert.Contains("data-series=\"oracle\"", svg, StringComparison.Ordinal);
        Assert.True(File.ReadAllBytes(Path.Combine(_out, EvalCommand.PngFileName)).AsSpan(1, 3).SequenceEqual("PNG"u8));
    }

    [Fact]
    public void Eval_RouteLlmHoldout_At95PercentOfGpt4_SendsAtMostHalfOfMmluToGpt4()
    {
        var prices = Path.Combine(SharedData.RepoRoot, "eng", "eval", "routellm-prices.csv");

        var (exit, stdout, stderr) = Run(EvalCommand.Create(), "--data", Data("routing-routellm", "routellm_gpt4_vs_mixtral.holdout.jsonl"),
            "--prices", prices, "--json", "--out", _out);

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal("gpt-4-1106-preview", root.GetProperty("best_single_model").GetProperty("name").GetString());
        var bySource = root.GetProperty("by_source_at_95pct").EnumerateArray().ToDictionary(s => s.GetProperty("source").GetString()!);
        Assert.Equal(["gsm8k", "mmlu", "mt_bench"], bySource.Keys.Order());
        Assert.True(bySource["mmlu"].GetProperty("share_to_strongest").GetDouble() <= 0.5, bySource["mmlu"].ToString());
        // GSM8K still misses the 60 % (measured 66.5 % with the prompt-shape stage, 80.7 % without it,
        // docs/routing.md); guard against regressions.
        Assert.True(bySource["gsm8k"].GetProperty("share_to_strongest").GetDouble() <= 0.72, bySource["gsm8k"].ToString());
        Assert.Equal(8, root.GetProperty("skipped_contaminated").GetInt32());
    }

    [Fact]
    public void Eval_BadPolicyOrMissingPrices_FailsWithAClearMessage()
    {
        var data = Data("routing-routellm", "routellm_gpt4_vs_mixtral.holdout.jsonl");

        var (badPolicy, _, policyError) = Run(EvalCommand.Create(), "--data", data, "--policy", "cheapest", "--out", _out);
        var (noPrices, _, pricesError) = Run(EvalCommand.Create(), "--data", data, "--out", _out);
        var (badRate, _, rateError) = Run(EvalCommand.Create(), "--data", data, "--policy", "value:-1", "--out", _out);

        Assert.Equal(2, badPolicy);
        Assert.Contains("unknown policy 'cheapest'", policyError, StringComparison.Ordinal);
        Assert.Equal(2, badRate);
        Assert.Contains("unknown policy 'value:-1'", rateError, StringComparison.Ordinal);
        Assert.Equal(1, noPrices);
        Assert.Contains("prices.csv", pricesError, StringComparison.Ordinal);
    }

    [Fact]
    public void Train_DevFold_LeavesAFifthOfTheRoutingDevRowsOutAndWritesThemForEval()
    {
        var (exit, stdout, stderr) = Run(TrainCommand.Create(), "--data", SharedData.Directory, "--out", _out, "--dev-fold");

        Assert.True(exit == 0, stderr);
        var trained = 0;
        foreach (var file in ModelTrainer.RoutingDevFiles)
        {
            var dev = TrainingData.ReadRouting(Data(file));
            var fold = TrainingData.ReadRouting(Path.Combine(_out, Path.GetFileName(file).Replace(".dev", ".dev-fold", StringComparison.Ordinal)));
            Assert.All(fold, row => Assert.True(ModelTrainer.InDevFold(row.Id), row.Id));
            Assert.Equal(dev.Where(r => ModelTrainer.InDevFold(r.Id)).Select(r => r.Id), fold.Select(r => r.Id));
            Assert.InRange((double)fold.Count / dev.Count, 0.15, 0.25);
            trained += dev.Count(r => !r.Contaminated && !ModelTrainer.InDevFold(r.Id));
        }

        Assert.Contains($"quality model: {trained} dev rows", stdout, StringComparison.Ordinal);
        var committed = Path.Combine(SharedData.RepoRoot, TrainCommand.DefaultOutputDirectory, TaskModelFiles.Quality);
        Assert.False(File.ReadAllBytes(committed).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_out, TaskModelFiles.Quality))));

        // The fold file is a routing dataset eval accepts as it is.
        var (evalExit, evalStdout, evalStderr) = Run(EvalCommand.Create(), "--data", Path.Combine(_out, "mmlu_pro_routing.dev-fold.jsonl"),
            "--prices", Data("routing-mmlu-pro", "prices.csv"), "--policy", "best", "--out", _out);
        Assert.True(evalExit == 0, evalStderr);
        Assert.Contains("mmlu_pro_routing.dev-fold.jsonl", evalStdout, StringComparison.Ordinal);

        // eval --models scores the fold-trained weights on the fold they never saw, through the real Inspector and
        // Router; without the shape model the same heads rank GSM8K's word problems differently.
        var withShape = GsmShareOnFold(_out);
        var heads = Path.Combine(_out, "heads-only");
        Directory.CreateDirectory(heads);
        foreach (var file in (string[])[TaskModelFiles.Classifier, TaskModelFiles.Quality, TaskModelFiles.Priors, TaskModelFiles.DomainClassifier, TaskModelFiles.DomainPriors])
        {
            File.Copy(Path.Combine(_out, file), Path.Combine(heads, file));
        }

        var headsOnly = GsmShareOnFold(heads);
        Assert.InRange(withShape, 0.0, 1.0);
        Assert.NotEqual(headsOnly, withShape);
    }

    private double GsmShareOnFold(string models)
    {
        var (exit, stdout, stderr) = Run(EvalCommand.Create(), "--data", Path.Combine(_out, "routellm_gpt4_vs_mixtral.dev-fold.jsonl"),
            "--prices", Path.Combine(SharedData.RepoRoot, "eng", "eval", "routellm-prices.csv"), "--models", models, "--json", "--out", _out);
        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        return doc.RootElement.GetProperty("by_source_at_95pct").EnumerateArray()
            .Single(s => s.GetProperty("source").GetString() == "gsm8k").GetProperty("share_to_strongest").GetDouble();
    }

    [Fact]
    public void Train_RetrainsTheCommittedModelsByteForByte()
    {
        var (exit, stdout, stderr) = Run(TrainCommand.Create(), "--data", SharedData.Directory, "--out", _out);

        Assert.True(exit == 0, stderr);
        Assert.Contains("holdout accuracy per category", stdout, StringComparison.Ordinal);
        var committed = Path.Combine(SharedData.RepoRoot, TrainCommand.DefaultOutputDirectory);
        foreach (var file in (string[])[TaskModelFiles.Classifier, TaskModelFiles.Quality, TaskModelFiles.Priors, TaskModelFiles.DomainClassifier, TaskModelFiles.DomainPriors, TaskModelFiles.Shape])
        {
            Assert.True(File.ReadAllBytes(Path.Combine(committed, file)).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(_out, file))), file + " differs from a fresh training run");
        }
    }
}
