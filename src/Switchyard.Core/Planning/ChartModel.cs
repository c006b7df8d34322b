using Switchyard.Core.Reports;

namespace Switchyard.Core.Planning;

/// <summary>A point in data units: tokens/day and USD/month.</summary>
public readonly record struct ChartPoint(double X, double Y);

/// <summary>One cost curve: an API line or the self-hosted staircase.</summary>
/// <param name="Name">Option name (the API's model name, or <c>self-hosted</c>).</param>
/// <param name="Kind"><c>api</c>, <c>hosted-open</c> or <c>self-hosted</c>.</param>
/// <param name="Points">Vertices in order of X; straight lines between them are exact.</param>
public sealed record ChartSeries(string Name, string Kind, IReadOnlyList<ChartPoint> Points);

/// <summary>A break-even point of an API series with the self-hosted series.</summary>
public sealed record ChartMarker(string Series, string Label, ChartPoint At);

/// <summary>
/// Monthly cost vs tokens/day for each option, in data units. Both renderers draw from it and embed its data
/// (SVG <c>data-*</c> attributes, PNG <c>tEXt</c> chunk), so tests and tools can read the series back.
/// </summary>
public sealed record ChartModel(
    string Title,
    string XLabel,
    string YLabel,
    double XMax,
    double YMax,
    IReadOnlyList<ChartSeries> Series,
    IReadOnlyList<ChartMarker> Markers,
    double PlannedTokensPerDay);

/// <summary>Builds the chart of a plan.</summary>
public static class ChartBuilder
{
    // A staircase with more steps than this is drawn from samples; each step still shows as a jump.
    private const int MaxSteps = 400;

    /// <summary>The cost of every option from 0 to a little past the planned volume and the break-even points.</summary>
    public static ChartModel Build(PlanResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var workload = result.Inputs.Workload;
        var self = result.Inputs.SelfHosted;
        var pf = workload.PeakFactor;
        var breakEvens = result.Apis.Select(a => a.BreakEven.TokensPerDay).OfType<decimal>().ToList();
        var xMax = Math.Max(2m * workload.TokensPerDay, breakEvens.Count == 0 ? 0m : 1.25m * breakEvens.Max());
        if (xMax <= 0m)
        {
            xMax = 2m * PlanCalculator.CapacityTokensPerDay(self, self.MinReplicas, pf);
        }

        var series = new List<ChartSeries>();
        foreach (var api in result.Apis)
        {
            series.Add(new ChartSeries(
                api.Option.Name,
                PlanEnums.Name(api.Option.Kind),
                [new ChartPoint(0, 0), new ChartPoint((double)xMax, (double)PlanCalculator.ApiMonthlyCost(api.BlendedPerMillion, xMax))]));
        }

        series.Add(new ChartSeries(PlanCalculator.SelfHostedName, "self-hosted", Staircase(self, pf, xMax)));

        var markers = result.Apis
            .Where(a => a.BreakEven.TokensPerDay is { } t && t <= xMax)
            .Select(a =>
            {
                var t = a.BreakEven.TokensPerDay!.Value;
                return new ChartMarker(a.Option.Name, $"T* {a.Option.Name}", new ChartPoint((double)t, (double)PlanCalculator.ApiMonthlyCost(a.BlendedPerMillion, t)));
            })
            .ToList();

        var yMax = series.SelectMany(s => s.Points).Max(p => p.Y);
        return new ChartModel(
            "Monthly cost vs volume",
            "tokens/day",
            "USD/month",
            (double)xMax,
            yMax > 0 ? yMax : 1,
            series,
            markers,
            (double)workload.TokensPerDay);
    }

    private static List<ChartPoint> Staircase(SelfHostedOption self, decimal pf, decimal xMax)
    {
        var capacity = PlanCalculator.CapacityTokensPerDay(self, 1, pf);
        var points = new List<ChartPoint>();
        var k = self.MinReplicas;
        points.Add(new ChartPoint(0, (double)PlanCalculator.SelfHostedMonthlyCost(self, k)));
        var stepsToEnd = xMax / capacity - k;
        var stride = stepsToEnd > MaxSteps ? (int)Math.Ceiling(stepsToEnd / MaxSteps) : 1;
        while (k * capacity < xMax)
        {
            var x = (double)(k * capacity);
            points.Add(new ChartPoint(x, (double)PlanCalculator.SelfHostedMonthlyCost(self, k)));
            k += stride;
            points.Add(new ChartPoint(x, (double)PlanCalculator.SelfHostedMonthlyCost(self, k)));
        }

        points.Add(new ChartPoint((double)xMax, (double)PlanCalculator.SelfHostedMonthlyCostAt(self, xMax, pf)));
        return points;
    }
}
