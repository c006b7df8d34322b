using System.CommandLine;
using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Tools.Training;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard train</c>: rebuilds the task classifier, the quality model, the domain model and the prompt-shape model from the shared datasets' dev splits
/// (the recipe is <see cref="ModelTrainer"/>) and prints the classifier's holdout accuracy per category. The output
/// files are committed in <c>src/Switchyard.Core/Inspect/Data</c> and embedded in the build.
/// </summary>
internal static class TrainCommand
{
    public const string DefaultDataDirectory = "../shared/data";
    public const string DefaultOutputDirectory = "src/Switchyard.Core/Inspect/Data";

    public static Command Create()
    {
        var data = new Option<string>("--data") { Description = "Shared data directory (with task-types/, routing-mmlu-pro/, routing-routellm/).", DefaultValueFactory = _ => DefaultDataDirectory };
        var output = new Option<string>("--out") { Description = "Where to write task-classifier.bin, quality-model.bin, quality-priors.csv, domain-classifier.bin, domain-priors.csv and quality-shape.bin.", DefaultValueFactory = _ => DefaultOutputDirectory };
        var devFold = new Option<bool>("--dev-fold")
        {
            Description = "Leave a fixed fifth of the routing dev rows out of the quality model and write them to --out as *.dev-fold.jsonl, to score a variant of the recipe with `switchyard eval` without the holdout.",
        };
        var command = new Command("train", "Train the task classifier and the quality model on the dev splits; print holdout accuracy per category.") { data, output, devFold };
        command.SetAction(parse =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var directory = parse.GetValue(data)!;
            if (!Directory.Exists(Path.Combine(directory, "task-types")))
            {
                stderr.WriteLine($"switchyard train: {directory} has no task-types/ directory (pass --data)");
                return 2;
            }

            TrainingResult result;
            try
            {
                result = ModelTrainer.Train(directory, devFold: parse.GetValue(devFold));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                stderr.WriteLine("switchyard train: " + ex.Message);
                return 1;
            }

            var paths = ModelTrainer.Write(result, parse.GetValue(output)!).ToList();
            if (parse.GetValue(devFold))
            {
                paths.AddRange(WriteDevFold(directory, parse.GetValue(output)!));
            }

            stdout.WriteLine(Report(result));
            foreach (var path in paths)
            {
                stdout.WriteLine($"wrote {path} (sha256 {Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(path)))[..16]})");
            }

            return 0;
        });
        return command;
    }

    /// <summary>Writes the tuning fold's rows of each routing dev file, verbatim, next to the weights.</summary>
    private static List<string> WriteDevFold(string dataDirectory, string outputDirectory)
    {
        var paths = new List<string>();
        foreach (var file in ModelTrainer.RoutingDevFiles)
        {
            var lines = File.ReadLines(Path.Combine(dataDirectory, file))
                .Where(line => !string.IsNullOrWhiteSpace(line) && ModelTrainer.InDevFold(RowId(line)))
                .Select(line => line + "\n");
            var path = Path.Combine(outputDirectory, Path.GetFileNameWithoutExtension(file).Replace(".dev", ".dev-fold", StringComparison.Ordinal) + ".jsonl");
            File.WriteAllText(path, string.Concat(lines));
            paths.Add(path);
        }

        return paths;
    }

    private static string RowId(string line)
    {
        using var doc = JsonDocument.Parse(line);
        return doc.RootElement.GetProperty("id").GetString() ?? "";
    }

    /// <summary>The classifier's holdout accuracy per category, and the training sizes.</summary>
    public static string Report(TrainingResult result)
    {
        var lines = new List<string>
        {
            $"task classifier: {result.ClassifierTrainRows} dev rows; holdout accuracy per category:",
        };
        foreach (var c in result.ClassifierHoldout.Where(c => c.Rows > 0))
        {
            lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {c.Category,-15} {c.Accuracy,6:0.000}  ({c.Correct}/{c.Rows})"));
        }

        var rows = result.ClassifierHoldout.Sum(c => c.Rows);
        var correct = result.ClassifierHoldout.Sum(c => c.Correct);
        lines.Add(string.Create(CultureInfo.InvariantCulture, $"  {"overall",-15} {(rows == 0 ? 0 : (double)correct / rows),6:0.000}  ({correct}/{rows})"));
        lines.Add($"quality model: {result.QualityTrainRows} dev rows, {result.Quality.Labels.Count} profiles");
        lines.Add($"domain model: {result.Domains.Labels.Count} domains ({string.Join(", ", result.Domains.Labels)})");
        var fitted = Enumerable.Range(0, result.Shape.Weights.Length / ShapeModel.Stride).Count(c => result.Shape.Weights.AsSpan(c * ShapeModel.Stride, ShapeModel.Stride).ContainsAnyExcept(0f));
        lines.Add($"shape model: {PromptShape.Count} features, {fitted} (form, profile) cells fitted");
        return string.Join('\n', lines);
    }
}
