using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;

namespace Switchyard.Tools.Evaluation;

/// <summary>Renders an <see cref="EvalReport"/> as text, JSON and the cost–quality chart.</summary>
public static class EvalReportWriter
{
    public static string Text(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var best = report.BestSingle;
        Line(sb, $"dataset {report.Dataset}: {report.Items} rows" + (report.SkippedContaminated > 0 ? $" ({report.SkippedContaminated} contaminated rows skipped)" : ""));
        Line(sb, $"best single model: {best.Name}  accuracy {best.Accuracy:0.000}  cost ${best.CostUsd:0.0000}");
        Line(sb, "");
        Line(sb, $"{"policy",-30} {"accuracy",9} {"cost USD",10} {"% of best acc",14} {"cost vs best",13}");
        foreach (var r in report.Policies.Append(report.Oracle))
        {
            Line(sb, $"{r.Name,-30} {r.Accuracy,9:0.000} {r.CostUsd,10:0.0000} {r.Accuracy / best.Accuracy,14:P1} {Share(r.CostUsd, best.CostUsd),13:P1}");
        }

        Line(sb, "");
        Line(sb, "targets (cheapest point of the cheapest-qualifying threshold sweep and the value λ sweep):");
        foreach (var t in report.Targets)
        {
            Line(sb, t.Point is { } p
                ? $"  {t.Name}: {Parameter(p)}, accuracy {p.Accuracy:0.000}, cost ${p.CostUsd:0.0000} = {t.CostShare:P1} of the best single model's"
                : $"  {t.Name}: not reached");
        }

        if (report.SourceTargets.Count > 1 || report.Policies.Any(p => p.BySource.Count > 1))
        {
            Line(sb, $"per benchmark, at 95% of {best.Name}'s score (lowest share of rows sent to it):");
            foreach (var s in report.SourceTargets)
            {
                Line(sb, s.ShareToStrongest is { } share
                    ? $"  {s.Source,-10} {best.Name} scores {s.StrongestScore:0.000}; share sent to it {share:P1} ({Parameter(s.Point!)})"
                    : $"  {s.Source,-10} not reached");
            }
        }

        Line(sb, "");
        Line(sb, string.Create(CultureInfo.InvariantCulture, $"calibration of predicted quality (every row × model; expected calibration error {report.CalibrationError:0.000}):"));
        foreach (var b in report.Calibration.Where(b => b.Pairs > 0))
        {
            Line(sb, string.Create(CultureInfo.InvariantCulture, $"  {b.From:0.0}-{b.To:0.0}  {b.Pairs,7} pairs  predicted {b.MeanPredicted:0.000}  observed {b.MeanObserved:0.000}"));
        }

        Line(sb, "");
        Line(sb, "single models:");
        foreach (var s in report.Singles.OrderByDescending(s => s.Accuracy))
        {
            Line(sb, $"  {s.Name,-30} {s.Accuracy,7:0.000} {s.CostUsd,10:0.0000}");
        }

        return sb.ToString();
    }

    public static string Json(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("dataset", report.Dataset);
            w.WriteNumber("items", report.Items);
            w.WriteNumber("skipped_contaminated", report.SkippedContaminated);
            w.WritePropertyName("best_single_model");
            Result(w, report.BestSingle, null);
            w.WritePropertyName("oracle");
            Result(w, report.Oracle, report.BestSingle);
            Results(w, "policies", report.Policies, report.BestSingle);
            w.WriteStartArray("targets");
            foreach (var t in report.Targets)
            {
                w.WriteStartObject();
                w.WriteString("name", t.Name);
                w.WriteNumber("accuracy_share", t.AccuracyShare);
                w.WritePropertyName("point");
                if (t.Point is { } point)
                {
                    Result(w, point, report.BestSingle);
                }
                else
                {
                    w.WriteNullValue();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("by_source_at_95pct");
            foreach (var s in report.SourceTargets)
            {
                w.WriteStartObject();
                w.WriteString("source", s.Source);
                w.WriteNumber("strongest_score", s.StrongestScore);
                Nullable(w, "share_to_strongest", s.ShareToStrongest);
                Nullable(w, "threshold", s.Point?.Threshold);
                Nullable(w, "quality_per_dollar", s.Point?.QualityPerDollar);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            Results(w, "single_models", report.Singles, report.BestSingle);
            Results(w, "curve", report.Curve, report.BestSingle);
            w.WriteStartObject("calibration");
            w.WriteNumber("expected_calibration_error", Math.Round(report.CalibrationError, 6));
            w.WriteStartArray("bins");
            foreach (var b in report.Calibration)
            {
                w.WriteStartObject();
                w.WriteNumber("from", b.From);
                w.WriteNumber("to", b.To);
                w.WriteNumber("pairs", b.Pairs);
                w.WriteNumber("mean_predicted", Math.Round(b.MeanPredicted, 6));
                w.WriteNumber("mean_observed", Math.Round(b.MeanObserved, 6));
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            Results(w, "value_curve", report.ValueCurve, report.BestSingle);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Cost (y) against accuracy (x): the two sweeps as lines, single models, policies and the oracle as markers.</summary>
    public static ChartModel Chart(EvalReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var curve = report.Curve.OrderBy(c => c.Accuracy).Select(c => new ChartPoint(c.Accuracy, (double)c.CostUsd)).ToList();
        var valueCurve = report.ValueCurve.OrderBy(c => c.Accuracy).Select(c => new ChartPoint(c.Accuracy, (double)c.CostUsd)).ToList();
        var markers = report.Singles.Select(s => new ChartMarker(s.Name, s.Name, new ChartPoint(s.Accuracy, (double)s.CostUsd)))
            .Concat(report.Policies.Select(p => new ChartMarker(p.Name, p.Name, new ChartPoint(p.Accuracy, (double)p.CostUsd))))
            .Append(new ChartMarker("oracle", "oracle", new ChartPoint(report.Oracle.Accuracy, (double)report.Oracle.CostUsd)))
            .ToList();
        var yMax = markers.Select(m => m.At.Y).Concat(curve.Select(p => p.Y)).DefaultIfEmpty(1).Max();
        return new ChartModel(
            $"Cost vs accuracy, {report.Dataset}",
            "accuracy",
            "USD for the dataset",
            1.0,
            yMax > 0 ? yMax : 1,
            [new ChartSeries("router (cheapest-qualifying sweep)", "router", curve), new ChartSeries("router (value sweep)", "router-value", valueCurve)],
            markers,
            0);
    }

    private static void Results(Utf8JsonWriter w, string name, IEnumerable<EvalResult> results, EvalResult best)
    {
        w.WriteStartArray(name);
        foreach (var r in results)
        {
            Result(w, r, best);
        }

        w.WriteEndArray();
    }

    private static void Result(Utf8JsonWriter w, EvalResult r, EvalResult? best)
    {
        w.WriteStartObject();
        w.WriteString("name", r.Name);
        w.WriteNumber("accuracy", Math.Round(r.Accuracy, 6));
        w.WriteNumber("cost_usd", Math.Round(r.CostUsd, 6));
        if (r.Threshold is { } threshold)
        {
            w.WriteNumber("threshold", threshold);
        }

        if (r.QualityPerDollar is { } rate)
        {
            w.WriteNumber("quality_per_dollar", rate);
        }

        if (best is not null)
        {
            w.WriteNumber("accuracy_vs_best", Math.Round(best.Accuracy == 0 ? 0 : r.Accuracy / best.Accuracy, 6));
            w.WriteNumber("cost_vs_best", Math.Round(Share(r.CostUsd, best.CostUsd), 6));
        }

        w.WriteStartObject("picks");
        foreach (var (model, count) in r.Picks.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal))
        {
            w.WriteNumber(model, count);
        }

        w.WriteEndObject();
        if (r.BySource.Count > 1)
        {
            w.WriteStartObject("by_source");
            foreach (var s in r.BySource)
            {
                w.WriteStartObject(s.Source);
                w.WriteNumber("items", s.Items);
                w.WriteNumber("score", Math.Round(s.Score, 6));
                w.WriteNumber("share_to_strongest", Math.Round(s.ShareToStrongest, 6));
                w.WriteEndObject();
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void Nullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is { } v)
        {
            w.WriteNumber(name, Math.Round(v, 6));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string Parameter(EvalResult point) => point.QualityPerDollar is { } rate
        ? $"value, {rate.ToString("0.###", CultureInfo.InvariantCulture)} quality per dollar"
        : $"threshold {point.Threshold?.ToString("0.00", CultureInfo.InvariantCulture)}";

    private static double Share(decimal part, decimal whole) => whole == 0 ? 0 : (double)(part / whole);

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');
}
