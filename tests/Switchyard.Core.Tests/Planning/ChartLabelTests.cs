using System.Globalization;
using System.Xml.Linq;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Core.Tests.Planning;

/// <summary>
/// The chart's labels are readable: no marker label is drawn over another label or a marker, every label stays in the
/// plot, and every legend entry fits the canvas. Read back from the rendered SVG (text position, anchor, length).
/// </summary>
public sealed class ChartLabelTests
{
    private static readonly XNamespace _svg = "http://www.w3.org/2000/svg";

    /// <summary>The markers of `switchyard eval` on the MMLU-Pro routing holdout: eight small models crowd one corner.</summary>
    private static ChartModel EvalLikeChart()
    {
        (string Name, double Accuracy, double Cost)[] points =
        [
            ("gemini-1.5-pro-002", 0.709, 1.9235), ("gemini-1.5-flash-002", 0.634, 0.1433), ("Meta-Llama-3_1-70B-Instruct", 0.619, 0.9174),
            ("DeepSeek-Coder-V2", 0.553, 0.2440), ("jamba-1.5-large", 0.494, 2.0721), ("Qwen1.5-72B-Chat", 0.475, 0.9463),
            ("Meta-Llama-3_1-8B-Instruct", 0.443, 0.2551), ("Mixtral-8x7B-Instruct-v0.1", 0.416, 0.5587), ("mathstral-7B", 0.415, 0.2574),
            ("Phi-3-mini-4k-instruct", 0.408, 0.2641), ("c4ai-command-r-v01", 0.363, 0.2878), ("Mistral-7B-Instruct-v0.2", 0.286, 0.1946),
            ("Qwen1.5-7B-Chat", 0.270, 0.1981), ("Yi-6b-Chat", 0.263, 0.1959), ("cheapest-qualifying:0.7", 0.691, 1.2930),
            ("best", 0.708, 1.6714), ("oracle", 0.918, 0.2289),
        ];
        var markers = points.Select(p => new ChartMarker(p.Name, p.Name, new ChartPoint(p.Accuracy, p.Cost))).ToList();
        List<ChartPoint> sweep = [new(0.60, 0.16), new(0.65, 0.45), new(0.69, 1.29), new(0.71, 1.67)];
        return new ChartModel("Cost vs accuracy, mmlu_pro_routing.holdout.jsonl", "accuracy", "USD for the dataset", 1.0, 2.0721,
            [new ChartSeries("router (cheapest-qualifying sweep)", "router", sweep), new ChartSeries("router (value sweep)", "router-value", sweep)],
            markers, 0);
    }

    private sealed record Box(string Text, double X, double Y, double Width, double Height)
    {
        public bool Intersects(Box o) => X < o.X + o.Width && o.X < X + Width && Y < o.Y + o.Height && o.Y < Y + Height;
    }

    private static double Number(XElement e, string name) => double.Parse((string)e.Attribute(name)!, CultureInfo.InvariantCulture);

    /// <summary>A text element's box: 12 px sans-serif, baseline at y (ascent 11, descent 3), width by the layout's estimate.</summary>
    private static Box TextBox(XElement text)
    {
        var content = text.Value;
        var width = ChartLabels.TextWidth(content);
        var x = Number(text, "x");
        var left = (string?)text.Attribute("text-anchor") switch
        {
            "middle" => x - (width / 2),
            "end" => x - width,
            _ => x,
        };
        return new Box(content, left, Number(text, "y") - 11, width, 14);
    }

    [Fact]
    public void SvgRender_EvalChartWithCrowdedMarkers_NoLabelOverlapsAnotherLabelOrAMarker()
    {
        var chart = EvalLikeChart();
        var svg = XDocument.Parse(SvgChartRenderer.Render(chart));

        var labels = svg.Descendants(_svg + "text").Where(t => (string?)t.Attribute("fill") == "#d62728").Select(TextBox).ToList();
        var discs = svg.Descendants(_svg + "circle")
            .Select(c => new Box("marker", Number(c, "cx") - 5, Number(c, "cy") - 5, 10, 10)).ToList();

        Assert.Equal(chart.Markers.Count, labels.Count);
        var overlapping = labels.SelectMany((a, i) => labels.Skip(i + 1).Where(a.Intersects).Select(b => $"'{a.Text}' × '{b.Text}'")).ToList();
        Assert.True(overlapping.Count == 0, "labels overlap: " + string.Join("; ", overlapping));
        var onMarkers = labels.SelectMany(l => discs.Where(l.Intersects).Select(_ => l.Text)).ToList();
        Assert.True(onMarkers.Count == 0, "labels drawn over markers: " + string.Join("; ", onMarkers));
        Assert.All(labels, l => Assert.InRange(l.X, ChartLayout.Left, ChartLayout.Left + ChartLayout.PlotWidth - l.Width));
        Assert.All(labels, l => Assert.InRange(l.Y, ChartLayout.Top, ChartLayout.Top + ChartLayout.PlotHeight - l.Height));
    }

    [Fact]
    public void SvgRender_EvalChart_EveryLegendEntryFitsTheCanvas()
    {
        var svg = XDocument.Parse(SvgChartRenderer.Render(EvalLikeChart()));

        var legend = svg.Descendants(_svg + "text").Where(t => t.Value.StartsWith("router", StringComparison.Ordinal)).Select(TextBox).ToList();

        Assert.Equal(2, legend.Count);
        Assert.All(legend, l => Assert.True(l.X + l.Width <= ChartLayout.Width, $"'{l.Text}' ends at {l.X + l.Width:0} px, past the {ChartLayout.Width} px canvas"));
    }

    [Fact]
    public void Place_EvalChart_TheBoxesBothRenderersDrawFromAreDisjointAndLedToTheirMarkers()
    {
        var chart = EvalLikeChart();
        var layout = new ChartLayout(chart);

        var boxes = ChartLabels.Place(layout);

        Assert.Equal(chart.Markers.Count, boxes.Count);
        Assert.All(boxes.SelectMany((a, i) => boxes.Skip(i + 1).Select(b => (a, b))), pair => Assert.False(pair.a.Intersects(pair.b), $"{pair.a.Text} × {pair.b.Text}"));
        for (var i = 0; i < boxes.Count; i++)
        {
            Assert.Equal(layout.Px(chart.Markers[i].At.X), boxes[i].AnchorX);
            Assert.StartsWith(chart.Markers[i].Label + ":", boxes[i].Text, StringComparison.Ordinal);
        }
    }
}
