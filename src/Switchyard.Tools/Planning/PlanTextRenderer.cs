using System.Globalization;
using System.Text;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;

namespace Switchyard.Tools.Planning;

/// <summary>Writes a plan as a plain-text report: table, break-even, cheapest option, conventions, assumptions.</summary>
public static class PlanTextRenderer
{
    private static readonly string[] _header = ["option", "kind", "$/M blended", "$/month", "break-even T* (tokens/day)"];

    /// <summary>The report.</summary>
    public static string Render(PlanResult result, IReadOnlyList<string> assumptions, ChartFiles? charts)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(assumptions);
        var w = result.Inputs.Workload;
        var s = result.SelfHosted;
        var o = s.Option;
        var sb = new StringBuilder();
        Line(sb, $"Switchyard plan (workload from {w.Source})");
        Line(sb, $"  {Tokens(w.TokensPerDay)} tokens/day, input:output {N(w.InputOutputRatio)}:1, {Pct(w.CachedInputFraction)} of input cached, peak factor {N(w.PeakFactor)}, {PlanEnums.Name(w.Latency)}");
        Line(sb, $"  = {Tokens(result.MonthlyTokens)} tokens/month; peak {result.PeakTokensPerSecond:#,0.##} tokens/s");
        sb.Append('\n');

        Line(sb, $"Monthly cost at {Tokens(w.TokensPerDay)} tokens/day");
        var rows = new List<string[]> { _header };
        foreach (var a in result.Apis)
        {
            rows.Add([a.Option.Name, PlanEnums.Name(a.Option.Kind), Money(a.BlendedPerMillion, 4), Money(a.MonthlyCostUsd, 2), BreakEvenCell(a.BreakEven)]);
        }

        rows.Add([PlanCalculator.SelfHostedName, $"{s.Replicas} × {o.GpusPerReplica} × {o.GpuType}", Money(s.UsdPerMillionTokensAtVolume ?? 0m, 4) + " all-in", Money(s.MonthlyCostUsd, 2), ""]);
        Table(sb, rows);
        sb.Append('\n');

        Line(sb, "Self-hosted");
        Line(sb, $"  {Replicas(s.Replicas)} × {o.GpusPerReplica} GPUs × {Money(o.GpuHourUsd, 2)}/GPU-hour × 730 h = {Money(s.GpuMonthlyCostUsd, 2)} + staff {Money(o.StaffUsdPerMonth, 2)} + fixed {Money(o.FixedUsdPerMonth, 2)} = {Money(s.MonthlyCostUsd, 2)}/month");
        Line(sb, $"  replicas = max({o.MinReplicas}, ceil({result.PeakTokensPerSecond:#,0.##} ÷ ({N(o.ReplicaTokensPerSecond)} × {N(o.TargetUtilization)}))) = {s.Replicas}; usable capacity {Tokens(s.CapacityTokensPerDay)} tokens/day; average utilisation {Pct(s.AverageUtilization)}");
        Line(sb, $"  GPU cost per million tokens at target utilisation {N(o.TargetUtilization)}: {Money(s.UsdPerMillionTokens, 4)}" +
            (w.PeakFactor == 1m ? "" : $" (× peak factor {N(w.PeakFactor)} = {Money(s.UsdPerMillionTokensAtPeakFactor, 4)} for average traffic)"));
        sb.Append('\n');

        Line(sb, "Break-even against each API");
        foreach (var a in result.Apis)
        {
            Line(sb, "  " + BreakEvenText(a, s, w.PeakFactor));
        }

        sb.Append('\n');
        var c = result.Cheapest;
        Line(sb, c.RunnerUp is null
            ? $"Cheapest: {c.Name} at {Money(c.MonthlyCostUsd, 2)}/month."
            : $"Cheapest at this volume: {c.Name} at {Money(c.MonthlyCostUsd, 2)}/month, {Money(c.SavingUsdPerMonth ?? 0m, 2)}/month ({(c.SavingPercent ?? 0m).ToString("0.#", CultureInfo.InvariantCulture)}%) less than {c.RunnerUp}.");
        sb.Append('\n');

        Line(sb, "Conventions");
        foreach (var text in PlanConventions.Describe(w.PeakFactor))
        {
            Line(sb, "  - " + text);
        }

        if (assumptions.Count > 0)
        {
            Line(sb, "Assumed (defaults and data used)");
            foreach (var text in assumptions)
            {
                Line(sb, "  - " + text);
            }
        }

        if (result.Warnings.Count > 0)
        {
            Line(sb, "Warnings");
            foreach (var text in result.Warnings)
            {
                Line(sb, "  ! " + text);
            }
        }

        if (charts is not null)
        {
            Line(sb, $"Charts: {charts.Png}, {charts.Svg}");
        }

        return sb.ToString();
    }

    private static string BreakEvenCell(BreakEven be) =>
        be.TokensPerDay is { } t ? $"{Tokens(t)} ({Replicas(be.Replicas ?? 0)})" : "never";

    private static string BreakEvenText(ApiResult a, SelfHostedResult s, decimal peakFactor)
    {
        var be = a.BreakEven;
        var name = a.Option.Name;
        var perM = s.UsdPerMillionTokensAtPeakFactor;
        if (be.AtMinReplicasTokensPerDay is null)
        {
            return $"{name}: never — the API is free.";
        }

        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{name}: at the minimum {Replicas(s.Option.MinReplicas)}, costs meet at {Tokens(be.AtMinReplicasTokensPerDay.Value)} tokens/day");
        if (be.AtMinReplicasExceedsCapacity)
        {
            sb.Append(CultureInfo.InvariantCulture, $", beyond their usable capacity of {Tokens(PlanCalculator.CapacityTokensPerDay(s.Option, s.Option.MinReplicas, peakFactor))} tokens/day (flagged)");
        }

        sb.Append(". ");
        if (!be.SelfHostingEverWins)
        {
            sb.Append(CultureInfo.InvariantCulture, $"Self-hosting never wins: its {Money(perM, 4)}/M is not below the API's blended {Money(a.BlendedPerMillion, 4)}/M.");
        }
        else if (be.TokensPerDay is { } t)
        {
            sb.Append(CultureInfo.InvariantCulture, $"T* = {Tokens(t)} tokens/day with {Replicas(be.Replicas ?? 0)} (self-hosted {Money(perM, 4)}/M < API {Money(a.BlendedPerMillion, 4)}/M).");
            if (be.SelfHostedAlwaysCheaperAboveTokensPerDay is { } always && always > t)
            {
                sb.Append(CultureInfo.InvariantCulture, $" Just after some replica steps the API is cheaper again; self-hosting stays cheaper from {Tokens(always)} tokens/day.");
            }
        }
        else
        {
            sb.Append("Self-hosting would win only beyond a billion replicas.");
        }

        return sb.ToString();
    }

    private static void Table(StringBuilder sb, List<string[]> rows)
    {
        var widths = new int[rows[0].Length];
        foreach (var row in rows)
        {
            for (var i = 0; i < row.Length; i++)
            {
                widths[i] = Math.Max(widths[i], row[i].Length);
            }
        }

        for (var r = 0; r < rows.Count; r++)
        {
            var row = rows[r];
            var cells = row.Select((cell, i) => i is 2 or 3 ? cell.PadLeft(widths[i]) : cell.PadRight(widths[i]));
            Line(sb, ("  " + string.Join("  ", cells)).TrimEnd());
            if (r == 0)
            {
                Line(sb, "  " + string.Join("  ", widths.Select(wd => new string('-', wd))));
            }
        }
    }

    private static void Line(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture)).Append('\n');

    private static void Line(StringBuilder sb, string text) => sb.Append(text).Append('\n');

    private static string Replicas(int count) => count == 1 ? "1 replica" : count.ToString("#,0", CultureInfo.InvariantCulture) + " replicas";

    private static string N(decimal value) => value.ToString("#,0.####", CultureInfo.InvariantCulture);

    private static string Tokens(decimal value) => value.ToString("#,0", CultureInfo.InvariantCulture);

    private static string Pct(decimal fraction) => (fraction * 100m).ToString("0.#", CultureInfo.InvariantCulture) + "%";

    private static string Money(decimal value, int digits) =>
        "$" + value.ToString("#,0." + new string('0', digits), CultureInfo.InvariantCulture);
}
