using System.Globalization;
using System.Xml.Linq;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Core.Tests.Planning;

public sealed class ChartTests
{
    // Same replica as the calculator tests: $1,460/month per replica, 43.2M tokens/day each; API at $10/M.
    private static PlanResult Plan(decimal tokensPerDay = 10_000_000m)
    {
        var self = new SelfHostedOption("H100 SXM 80GB", 1, 2m, 1000m, 0.5m, 1, 0m, 0m, "test", null, "test");
        var apis = new[]
        {
            new ApiOption("gpt", ApiKind.Api, 10m, 10m, null, "test", null),
            new ApiOption("cheap", ApiKind.HostedOpen, 0.5m, 0.5m, null, "test", null),
        };
        return PlanCalculator.Calculate(new PlanInputs(new Workload(tokensPerDay, 1m, 1m, 0m, LatencyNeed.Batch, "test"), apis, self));
    }

    [Fact]
    public void Build_10MTokensPerDay_HasOneSeriesPerOptionAndBreakEvenMarker()
    {
        // x max = max(2 × 10M, 1.25 × T*(gpt) = 1.25 × 4,799,474.03) = 20M; gpt at 20M = 20M × 30.42 × 10 ÷ 10^6 = $6,084
        var chart = ChartBuilder.Build(Plan());
        Assert.Equal(20_000_000d, chart.XMax);
        Assert.Equal(["gpt", "cheap", "self-hosted"], chart.Series.Select(s => s.Name));
        Assert.Equal(["api", "hosted-open", "self-hosted"], chart.Series.Select(s => s.Kind));
        Assert.Equal(6084d, chart.Series[0].Points[^1].Y, 6);
        var marker = Assert.Single(chart.Markers);
        Assert.Equal("gpt", marker.Series);
        Assert.Equal(4_799_474.03d, marker.At.X, 2);
        Assert.Equal(1460d, marker.At.Y, 6);
    }

    [Fact]
    public void Build_100MTokensPerDay_SelfHostedSeriesIsStaircaseWithStepsAtCapacity()
    {
        // x max 200M; steps at 43.2M, 86.4M, 129.6M, 172.8M; cost 1,460 per replica; 200M needs 5 replicas
        var chart = ChartBuilder.Build(Plan(100_000_000m));
        var stairs = chart.Series.Single(s => s.Kind == "self-hosted").Points;
        Assert.Equal(new ChartPoint(0, 1460), stairs[0]);
        Assert.Equal(new ChartPoint(43_200_000, 1460), stairs[1]);
        Assert.Equal(new ChartPoint(43_200_000, 2920), stairs[2]);
        Assert.Equal(new ChartPoint(200_000_000, 7300), stairs[^1]);
        Assert.Equal(10, stairs.Count); // start + 4 steps × 2 + end
    }

    [Fact]
    public void SvgRender_CarriesSeriesDataAttributesMatchingModel()
    {
        var chart = ChartBuilder.Build(Plan());
        var svg = XDocument.Parse(SvgChartRenderer.Render(chart));
        XNamespace ns = "http://www.w3.org/2000/svg";
        var lines = svg.Descendants(ns + "polyline").ToList();
        Assert.Equal(chart.Series.Select(s => s.Name), lines.Select(l => (string?)l.Attribute("data-series")));
        for (var i = 0; i < lines.Count; i++)
        {
            var points = ParsePoints((string)lines[i].Attribute("data-points")!);
            Assert.Equal(chart.Series[i].Points, points);
        }

        var circle = Assert.Single(svg.Descendants(ns + "circle"));
        Assert.Equal("gpt", (string?)circle.Attribute("data-series"));
        Assert.Equal(chart.Markers[0].At.X, double.Parse((string)circle.Attribute("data-x")!, CultureInfo.InvariantCulture));
    }

    private static List<ChartPoint> ParsePoints(string text) =>
        [.. text.Split(' ').Select(p => p.Split(',')).Select(p => new ChartPoint(
            double.Parse(p[0], CultureInfo.InvariantCulture), double.Parse(p[1], CultureInfo.InvariantCulture)))];
}
