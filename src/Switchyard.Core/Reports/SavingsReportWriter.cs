using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>Source-generated JSON of the savings report (CLI <c>--json</c> and <c>GET /admin/report</c>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, WriteIndented = true)]
[JsonSerializable(typeof(SavingsReport))]
public sealed partial class ReportJsonContext : JsonSerializerContext;

/// <summary>The savings report as JSON, CSV or a text table.</summary>
public static class SavingsReportWriter
{
    public static string Json(SavingsReport report) => JsonSerializer.Serialize(report, ReportJsonContext.Default.SavingsReport);

    /// <summary>One line per group: <c>split,name,requests,input_tokens,output_tokens,cost_usd,baseline_cost_usd,saving_usd,saving_percent</c>.</summary>
    public static string Csv(SavingsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder("split,name,requests,input_tokens,output_tokens,cost_usd,baseline_cost_usd,saving_usd,saving_percent\n");
        foreach (var (split, lines) in Splits(report))
        {
            foreach (var l in lines)
            {
                sb.Append(string.Join(',', split, Common.Csv.Escape(l.Name), Num(l.Requests), Num(l.InputTokens), Num(l.OutputTokens),
                    Money(l.CostUsd), Money(l.BaselineCostUsd), Money(l.SavingUsd), l.SavingPercent is { } p ? Money(p) : "")).Append('\n');
            }
        }

        return sb.ToString();
    }

    /// <summary>The human-readable report.</summary>
    public static string Text(SavingsReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"Switchyard savings report {report.From:yyyy-MM-dd HH:mm} – {report.To:yyyy-MM-dd HH:mm} UTC ({report.Days:0.##} days)\n");
        var t = report.Total;
        sb.Append(inv, $"  {t.Requests:#,0} requests, {t.InputTokens + t.OutputTokens:#,0} tokens; as routed ${t.CostUsd:#,0.00####}, all-frontier baseline ${t.BaselineCostUsd:#,0.00####}, saving ${t.SavingUsd:#,0.00####} ({Percent(t.SavingPercent)})\n");
        if (report.Fallbacks is { Requests: > 0 } f)
        {
            sb.Append(inv, $"  {f.Requests:#,0} requests served by a fallback, costing ${f.ExtraCostUsd:#,0.00####} more than their first choices ({Percent(f.SharePercent)} of the cost as routed)\n");
        }

        if (report.RequestsWithoutBaseline > 0)
        {
            sb.Append(inv, $"  {report.RequestsWithoutBaseline:#,0} records without a baseline counted at their own cost\n");
        }

        foreach (var (split, lines) in Splits(report).Skip(1))
        {
            sb.Append('\n').Append("By ").Append(split.Replace('_', ' ')).Append('\n');
            var width = Math.Max(24, lines.Count == 0 ? 0 : lines.Max(l => l.Name.Length));
            sb.Append(inv, $"  {"name".PadRight(width)}  {"requests",9}  {"tokens",13}  {"as routed $",13}  {"baseline $",13}  {"saving $",13}  {"saving",8}\n");
            foreach (var l in lines)
            {
                sb.Append(inv, $"  {l.Name.PadRight(width)}  {l.Requests,9:#,0}  {l.InputTokens + l.OutputTokens,13:#,0}  {l.CostUsd,13:#,0.000000}  {l.BaselineCostUsd,13:#,0.000000}  {l.SavingUsd,13:#,0.000000}  {Percent(l.SavingPercent),8}\n");
            }
        }

        sb.Append("\nPlanner verdicts (hosted-open and self-hosted models that served traffic)\n");
        if (report.Planner.Count == 0)
        {
            sb.Append("  none: no open model served traffic in this window\n");
        }

        foreach (var v in report.Planner)
        {
            sb.Append("  ").Append(v.Verdict).Append('\n');
            foreach (var w in v.Warnings)
            {
                sb.Append("    ! ").Append(w).Append('\n');
            }
        }

        sb.Append("\nDefinitions\n");
        foreach (var note in report.Notes)
        {
            sb.Append("  - ").Append(note).Append('\n');
        }

        return sb.ToString();
    }

    private static IEnumerable<(string Split, IReadOnlyList<SavingsLine> Lines)> Splits(SavingsReport r) =>
    [
        ("total", [r.Total]), ("team", r.ByTeam), ("alias", r.ByAlias), ("task_category", r.ByTaskCategory),
        ("data_class", r.ByDataClass), ("served_model", r.ByServedModel),
    ];

    private static string Percent(decimal? p) => p is { } v ? v.ToString("0.00", CultureInfo.InvariantCulture) + "%" : "n/a";

    private static string Money(decimal d) => d.ToString("0.#########", CultureInfo.InvariantCulture);

    private static string Num(long n) => n.ToString(CultureInfo.InvariantCulture);
}
