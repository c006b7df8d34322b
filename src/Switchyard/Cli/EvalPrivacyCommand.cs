using System.CommandLine;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Tools.Evaluation;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard eval-privacy --data FILE [--split dev|holdout|all] [--json]</c>: precision, recall and F1 of the privacy
/// scanner per entity type on a labelled dataset (docs/privacy.md). FILE may be a JSON-lines file or a directory of them.
/// </summary>
internal static class EvalPrivacyCommand
{
    public static Command Create(TimeProvider time)
    {
        var data = new Option<string>("--data") { Description = "Labelled JSON-lines file (or a directory of *.jsonl), e.g. ../shared/data/pii-presidio-synthetic.", Required = true };
        var split = new Option<string>("--split") { Description = "Rows to score: dev, holdout or all.", DefaultValueFactory = _ => "all" };
        split.AcceptOnlyFromAmong("dev", "holdout", "all");
        var json = new Option<bool>("--json") { Description = "Print JSON keyed by entity type." };
        var errors = new Option<string?>("--errors") { Description = "Also print the misses and false positives of one entity type (e.g. PERSON), for tuning on dev." };
        var command = new Command("eval-privacy", "Score the privacy scanner per entity type on a labelled PII dataset.") { data, split, json, errors };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(data)!;
            string[] files;
            if (Directory.Exists(path))
            {
                files = [.. Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal)];
            }
            else if (File.Exists(path))
            {
                files = [path];
            }
            else
            {
                await stderr.WriteLineAsync($"switchyard eval-privacy: no such file or directory: {path}");
                return 2;
            }

            if (files.Length == 0)
            {
                await stderr.WriteLineAsync($"switchyard eval-privacy: no *.jsonl file in {path}");
                return 2;
            }

            PrivacyEvaluationResult result;
            try
            {
                var show = parse.GetValue(errors);
                Action<string, string, string, int, int>? report = show is null ? null : (type, kind, text, start, end) =>
                {
                    if (string.Equals(type, show, StringComparison.OrdinalIgnoreCase))
                    {
                        stderr.WriteLine($"{kind}\t[{text[start..end]}]\t{text.ReplaceLineEndings(" ")}");
                    }
                };
                result = PrivacyEvaluation.Run(files.SelectMany(File.ReadLines), PrivacyScanner.Default, parse.GetValue(split)!, time, path, report);
            }
            catch (Exception ex) when (ex is System.Text.Json.JsonException or KeyNotFoundException or InvalidOperationException or IOException)
            {
                await stderr.WriteLineAsync($"switchyard eval-privacy: {path} is not a labelled PII dataset (text, spans[type,start,end] per line): {ex.Message}");
                return 2;
            }

            await stdout.WriteAsync(parse.GetValue(json) ? PrivacyEvaluationReport.Json(result) + "\n" : PrivacyEvaluationReport.Text(result));
            return 0;
        });
        return command;
    }
}
