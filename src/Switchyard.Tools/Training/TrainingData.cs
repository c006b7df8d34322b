using System.Text.Json;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;

namespace Switchyard.Tools.Training;

/// <summary>A prompt of ../shared/data/task-types with its gateway category.</summary>
public sealed record LabelledPrompt(string Id, string Split, string Text, TaskCategory Category);

/// <summary>
/// One item of a routing dataset (../shared/data/routing-mmlu-pro or routing-routellm), read as it is: the prompt,
/// each model's score normalised to [0, 1] (null: the model has no record), and each model's answer length.
/// </summary>
/// <param name="Id">The dataset's id.</param>
/// <param name="Source">Sub-benchmark: <c>mmlu-pro</c>, or routellm's <c>mmlu</c>, <c>gsm8k</c>, <c>mt_bench</c>.</param>
/// <param name="Prompt">The user prompt.</param>
/// <param name="PreviousTurns">Earlier user turns (MT-Bench turn 2), else empty.</param>
/// <param name="Scores">Per model: 1/0 for correctness, score/10 for judge scores; null when missing.</param>
/// <param name="OutputChars">Per model: length of its answer in characters, when the dataset has it.</param>
/// <param name="Contaminated">RouteLLM's contamination flag (their evaluation drops these rows; so does ours).</param>
/// <param name="Subject">The dataset's subject label: MMLU-Pro's <c>category</c> (law, math, …), RouteLLM's <c>subject</c> (an MMLU subject, <c>math_word_problem</c>, an MT-Bench category).</param>
/// <param name="Origin">MMLU-Pro's <c>src</c> (<c>ori_mmlu-business_ethics</c>, <c>stemez-…</c>, …), else null.</param>
public sealed record RoutingItem(
    string Id,
    string Source,
    string Prompt,
    IReadOnlyList<string> PreviousTurns,
    IReadOnlyDictionary<string, double?> Scores,
    IReadOnlyDictionary<string, int?> OutputChars,
    bool Contaminated,
    string? Subject = null,
    string? Origin = null);

/// <summary>Readers of the shared datasets, in their published formats (JSON lines).</summary>
public static class TrainingData
{
    /// <summary>Every labelled row of the task-types files in <paramref name="directory"/>.</summary>
    public static IReadOnlyList<LabelledPrompt> ReadTaskTypes(string directory)
    {
        var rows = new List<LabelledPrompt>();
        foreach (var file in Directory.GetFiles(directory, "*.jsonl").Order(StringComparer.Ordinal))
        {
            foreach (var line in File.ReadLines(file))
            {
                if (string.IsNullOrWhiteSpace(line))
                {
                    continue;
                }

                using var doc = JsonDocument.Parse(line);
                var root = doc.RootElement;
                var label = root.GetProperty("task_type").GetString() ?? "";
                if (TaskCategories.FromDatasetLabel(label) is { } category)
                {
                    rows.Add(new LabelledPrompt(root.GetProperty("id").GetString() ?? "", root.GetProperty("split").GetString() ?? "",
                        root.GetProperty("text").GetString() ?? "", category));
                }
            }
        }

        return rows;
    }

    /// <summary>Reads a routing dataset file (either format); throws <see cref="InvalidDataException"/> naming the line on bad input.</summary>
    public static IReadOnlyList<RoutingItem> ReadRouting(string path)
    {
        var items = new List<RoutingItem>();
        var number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            try
            {
                items.Add(ParseRouting(line));
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                throw new InvalidDataException($"{path}:{number}: not a routing dataset row ({ex.Message})", ex);
            }
        }

        return items;
    }

    private static RoutingItem ParseRouting(string line)
    {
        using var doc = JsonDocument.Parse(line);
        var root = doc.RootElement;
        var id = root.GetProperty("id").GetString() ?? "";
        var prompt = root.GetProperty("prompt").GetString() ?? "";
        var scores = new Dictionary<string, double?>(StringComparer.Ordinal);
        string source;
        if (root.TryGetProperty("correct", out var correct))
        {
            // routing-mmlu-pro: {model: 1 | 0 | null}.
            source = "mmlu-pro";
            foreach (var p in correct.EnumerateObject())
            {
                scores[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() : null;
            }
        }
        else
        {
            // routing-routellm: {model: value}; metric says whether it is 0/1 or a 1-10 judge score.
            source = root.GetProperty("source").GetString() ?? "";
            var divisor = root.TryGetProperty("metric", out var metric) && metric.GetString() == "judge_score_1_10" ? 10.0 : 1.0;
            foreach (var p in root.GetProperty("scores").EnumerateObject())
            {
                scores[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetDouble() / divisor : null;
            }
        }

        var chars = new Dictionary<string, int?>(StringComparer.Ordinal);
        if (root.TryGetProperty("output_chars", out var oc) && oc.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in oc.EnumerateObject())
            {
                chars[p.Name] = p.Value.ValueKind == JsonValueKind.Number ? p.Value.GetInt32() : null;
            }
        }

        var previous = new List<string>();
        if (root.TryGetProperty("previous_turns", out var turns) && turns.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in turns.EnumerateArray())
            {
                previous.Add(t.GetString() ?? "");
            }
        }

        var contaminated = root.TryGetProperty("contaminated", out var c) && c.ValueKind == JsonValueKind.True;
        var subject = root.TryGetProperty(source == "mmlu-pro" ? "category" : "subject", out var sub) && sub.ValueKind == JsonValueKind.String ? sub.GetString() : null;
        var origin = root.TryGetProperty("src", out var src) && src.ValueKind == JsonValueKind.String ? src.GetString() : null;
        return new RoutingItem(id, source, prompt, previous, scores, chars, contaminated, subject, origin);
    }
}
