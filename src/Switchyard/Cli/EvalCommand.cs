using System.CommandLine;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Simulated;
using Switchyard.Tools.Charts;
using Switchyard.Tools.Evaluation;
using Switchyard.Tools.Training;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard eval --data FILE [--prices FILE] [--policy …] [--json] [--out DIR]</c>: replays a routing dataset
/// through the real Inspect and Route stages, offline (<see cref="RoutingEvaluator"/>), and writes the cost–quality
/// chart as SVG and PNG.
/// </summary>
internal static class EvalCommand
{
    public const string SvgFileName = "eval-cost-quality.svg";
    public const string PngFileName = "eval-cost-quality.png";

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "A routing dataset file (JSON lines, as ../shared/data/routing-*/…jsonl).", Required = true };
        var prices = new Option<string?>("--prices") { Description = "Prices CSV (model,input_usd_per_mtok,output_usd_per_mtok); default: prices.csv next to the data file." };
        var policy = new Option<string[]>("--policy") { Description = "Policies to report: cheapest-qualifying[:THRESHOLD], value[:QUALITY_PER_DOLLAR], best, fastest, weighted (repeatable).", AllowMultipleArgumentsPerToken = true };
        var json = new Option<bool>("--json") { Description = "Print the results as JSON." };
        var outDir = new Option<string?>("--out") { Description = "Directory for the SVG and PNG charts (default: the current directory)." };
        var models = new Option<string?>("--models") { Description = "Evaluate the models `switchyard train --out DIR` wrote there instead of the built-in ones (e.g. a --dev-fold run)." };
        var command = new Command("eval", "Replay a routing dataset through Inspect and Route offline: accuracy and cost per policy, the oracle, and the cost-quality curve.")
        {
            data, prices, policy, json, outDir, models,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var dataPath = parse.GetValue(data)!;
            var pricesPath = parse.GetValue(prices) ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dataPath)) ?? ".", "prices.csv");
            var policies = new List<EvalPolicy>();
            foreach (var text in parse.GetValue(policy) ?? [])
            {
                if (EvalPolicy.Parse(text) is not { } parsed)
                {
                    await stderr.WriteLineAsync($"switchyard eval: unknown policy '{text}' (cheapest-qualifying[:0..1], value[:0 or more], best, fastest, weighted)");
                    return 2;
                }

                policies.Add(parsed);
            }

            if (policies.Count == 0)
            {
                policies.AddRange(RoutingEvaluator.DefaultPolicies);
            }

            EvalReport report;
            try
            {
                var items = TrainingData.ReadRouting(dataPath);
                using var reader = new StreamReader(pricesPath);
                IProviderAdapterFactory[] factories = [new SimulatedAdapterFactory(TimeProvider.System, SharedRandomSource.Instance)];
                var inspector = parse.GetValue(models) is { } modelDirectory ? new Inspector(TaskAnalyzer.Load(modelDirectory)) : new Inspector();
                report = RoutingEvaluator.Evaluate(Path.GetFileName(dataPath), items, RoutingEvaluator.ReadPrices(reader), policies, factories, inspector);
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException or FormatException or KeyNotFoundException)
            {
                await stderr.WriteLineAsync("switchyard eval: " + ex.Message);
                return 1;
            }

            var directory = parse.GetValue(outDir) ?? Directory.GetCurrentDirectory();
            try
            {
                Directory.CreateDirectory(directory);
                var chart = EvalReportWriter.Chart(report);
                await File.WriteAllTextAsync(Path.Combine(directory, SvgFileName), SvgChartRenderer.Render(chart), cancellationToken);
                await File.WriteAllBytesAsync(Path.Combine(directory, PngFileName), PngChartRenderer.Render(chart), cancellationToken);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                await stderr.WriteLineAsync($"switchyard eval: cannot write the charts to {directory}: {ex.Message}");
                return 1;
            }

            await stdout.WriteAsync(parse.GetValue(json) ? EvalReportWriter.Json(report) + "\n" : EvalReportWriter.Text(report));
            return 0;
        });
        return command;
    }
}
