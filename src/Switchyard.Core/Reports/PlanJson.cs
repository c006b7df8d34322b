using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>Paths of the chart files written for a plan.</summary>
public sealed record ChartFiles(string Png, string Svg);

/// <summary>Writes a plan as JSON (snake_case, source-generated; no reflection).</summary>
public static class PlanJsonWriter
{
    // Relaxed escaping keeps the formulas' × and ÷ readable; the output is a CLI document, not HTML.
    private static readonly PlanJsonContext _context = new(new JsonSerializerOptions(PlanJsonContext.Default.Options)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });

    /// <summary>The plan as indented JSON.</summary>
    public static string Write(PlanResult result, IReadOnlyList<string> assumptions, ChartFiles? charts)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(assumptions);
        return JsonSerializer.Serialize(ToDocument(result, assumptions, charts), _context.PlanDocument);
    }

    internal static PlanDocument ToDocument(PlanResult result, IReadOnlyList<string> assumptions, ChartFiles? charts)
    {
        var w = result.Inputs.Workload;
        var s = result.SelfHosted;
        var o = s.Option;
        var apis = new Dictionary<string, PlanApiJson>(StringComparer.Ordinal);
        foreach (var a in result.Apis)
        {
            var be = a.BreakEven;
            apis[a.Option.Name] = new PlanApiJson(
                PlanEnums.Name(a.Option.Kind),
                a.Option.InputPerMillion,
                a.Option.OutputPerMillion,
                a.Option.CachedInputPerMillion,
                Round(a.BlendedPerMillion, 6),
                Round(a.MonthlyCostUsd, 4),
                Round(be.TokensPerDay, 2),
                be.Replicas,
                be.SelfHostingEverWins,
                Round(be.AtMinReplicasTokensPerDay, 2),
                be.AtMinReplicasExceedsCapacity,
                Round(be.SelfHostedAlwaysCheaperAboveTokensPerDay, 2),
                a.Option.PriceSource,
                a.Option.PriceAsOf?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        return new PlanDocument(
            new PlanConventionsJson(PlanConventions.HoursPerMonth, PlanConventions.DaysPerMonth, PlanConventions.SecondsPerDay, PlanConventions.Describe(w.PeakFactor)),
            new PlanWorkloadJson(
                w.TokensPerDay,
                w.InputOutputRatio,
                w.PeakFactor,
                w.CachedInputFraction,
                PlanEnums.Name(w.Latency),
                w.Source,
                Round(result.PeakTokensPerSecond, 4),
                Round(result.MonthlyTokens, 2)),
            apis,
            new PlanSelfHostedJson(
                o.GpuType,
                o.GpusPerReplica,
                o.GpuHourUsd,
                Round(o.ReplicaTokensPerSecond, 4),
                o.TargetUtilization,
                o.MinReplicas,
                o.StaffUsdPerMonth,
                o.FixedUsdPerMonth,
                s.Replicas,
                Round(s.CapacityTokensPerDay, 2),
                Round(s.AverageUtilization, 6),
                Round(s.GpuMonthlyCostUsd, 4),
                Round(s.MonthlyCostUsd, 4),
                Round(s.UsdPerMillionTokens, 6),
                Round(s.UsdPerMillionTokensAtPeakFactor, 6),
                Round(s.UsdPerMillionTokensAtVolume, 6),
                o.GpuPriceSource,
                o.GpuPriceAsOf?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
                o.ThroughputSource),
            new PlanCheapestJson(
                result.Cheapest.Name,
                Round(result.Cheapest.MonthlyCostUsd, 4),
                result.Cheapest.RunnerUp,
                Round(result.Cheapest.SavingUsdPerMonth, 4),
                Round(result.Cheapest.SavingPercent, 4)),
            assumptions,
            result.Warnings,
            charts is null ? null : new PlanChartsJson(charts.Png, charts.Svg));
    }

    // Dividing by 1.000… drops trailing zeros, so 6084000000.00 is written as 6084000000.
    private static decimal Round(decimal value, int digits) =>
        Math.Round(value, digits, MidpointRounding.AwayFromZero) / 1.000000000000000000000000000000000m;

    private static decimal? Round(decimal? value, int digits) => value is { } v ? Round(v, digits) : null;
}

internal sealed record PlanDocument(
    PlanConventionsJson Conventions,
    PlanWorkloadJson Workload,
    Dictionary<string, PlanApiJson> Api,
    PlanSelfHostedJson SelfHosted,
    PlanCheapestJson Cheapest,
    IReadOnlyList<string> Assumptions,
    IReadOnlyList<string> Warnings,
    PlanChartsJson? Charts);

internal sealed record PlanConventionsJson(decimal HoursPerMonth, decimal DaysPerMonth, decimal SecondsPerDay, IReadOnlyList<string> Formulas);

internal sealed record PlanWorkloadJson(
    decimal TokensPerDay,
    decimal InputOutputRatio,
    decimal PeakFactor,
    decimal CachedInputFraction,
    string Latency,
    string Source,
    decimal PeakTokensPerSecond,
    decimal MonthlyTokens);

internal sealed record PlanApiJson(
    string Kind,
    decimal InputUsdPerMtok,
    decimal OutputUsdPerMtok,
    decimal? CachedInputUsdPerMtok,
    decimal BlendedUsdPerMillionTokens,
    decimal MonthlyCostUsd,
    decimal? BreakEvenTokensPerDay,
    int? BreakEvenReplicas,
    bool SelfHostingEverWins,
    decimal? BreakEvenAtMinReplicasTokensPerDay,
    bool BreakEvenAtMinReplicasExceedsCapacity,
    decimal? SelfHostedAlwaysCheaperAboveTokensPerDay,
    string PriceSource,
    string? PriceAsOf);

internal sealed record PlanSelfHostedJson(
    string Gpu,
    int GpusPerReplica,
    decimal GpuHourUsd,
    decimal ReplicaTokensPerSecond,
    decimal Utilization,
    int MinReplicas,
    decimal StaffUsdMonth,
    decimal FixedUsdMonth,
    int Replicas,
    decimal CapacityTokensPerDay,
    decimal AverageUtilization,
    decimal GpuMonthlyCostUsd,
    decimal MonthlyCostUsd,
    decimal UsdPerMillionTokens,
    decimal UsdPerMillionTokensAtPeakFactor,
    decimal? AllInUsdPerMillionTokensAtVolume,
    string GpuPriceSource,
    string? GpuPriceAsOf,
    string ThroughputSource);

internal sealed record PlanCheapestJson(string Option, decimal MonthlyCostUsd, string? RunnerUp, decimal? SavingUsdPerMonth, decimal? SavingPercent);

internal sealed record PlanChartsJson(string Png, string Svg);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    WriteIndented = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(PlanDocument))]
internal sealed partial class PlanJsonContext : JsonSerializerContext;
