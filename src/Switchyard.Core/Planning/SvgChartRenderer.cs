using System.Globalization;
using System.Security;
using System.Text;
using Switchyard.Core.Reports;

namespace Switchyard.Core.Planning;

/// <summary>
/// Draws a <see cref="ChartModel"/> as SVG text. Each series is a <c>polyline</c> carrying its name, kind and
/// data-unit points in <c>data-series</c>, <c>data-kind</c> and <c>data-points</c>; break-even markers carry
/// <c>data-x</c>/<c>data-y</c>.
/// </summary>
public static class SvgChartRenderer
{
    /// <summary>Renders the chart.</summary>
    public static string Render(ChartModel model)
    {
        ArgumentNullException.ThrowIfNull(model);
        var layout = new ChartLayout(model);
        var sb = new StringBuilder();
        var w = ChartLayout.Width;
        var h = ChartLayout.Height;
        Append(sb, $"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"0 0 {w} {h}\" font-family=\"sans-serif\" font-size=\"12\" data-x-max=\"{F(model.XMax)}\" data-y-max=\"{F(model.YMax)}\">\n");
        Append(sb, $"<rect width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>\n");
        Append(sb, $"<text x=\"{w / 2}\" y=\"24\" text-anchor=\"middle\" font-size=\"16\">{X(model.Title)}</text>\n");

        foreach (var x in layout.XTicks())
        {
            var px = P(layout.Px(x));
            Append(sb, $"<line x1=\"{px}\" y1=\"{ChartLayout.Top}\" x2=\"{px}\" y2=\"{ChartLayout.Top + ChartLayout.PlotHeight}\" stroke=\"#e6e6e6\"/>\n");
            Append(sb, $"<text x=\"{px}\" y=\"{ChartLayout.Top + ChartLayout.PlotHeight + 18}\" text-anchor=\"middle\">{ChartLayout.Short(x)}</text>\n");
        }

        foreach (var y in layout.YTicks())
        {
            var py = P(layout.Py(y));
            Append(sb, $"<line x1=\"{ChartLayout.Left}\" y1=\"{py}\" x2=\"{ChartLayout.Left + ChartLayout.PlotWidth}\" y2=\"{py}\" stroke=\"#e6e6e6\"/>\n");
            Append(sb, $"<text x=\"{ChartLayout.Left - 8}\" y=\"{py}\" text-anchor=\"end\" dominant-baseline=\"middle\">${ChartLayout.Short(y)}</text>\n");
        }

        var bottom = ChartLayout.Top + ChartLayout.PlotHeight;
        Append(sb, $"<line x1=\"{ChartLayout.Left}\" y1=\"{bottom}\" x2=\"{ChartLayout.Left + ChartLayout.PlotWidth}\" y2=\"{bottom}\" stroke=\"#333333\"/>\n");
        Append(sb, $"<line x1=\"{ChartLayout.Left}\" y1=\"{ChartLayout.Top}\" x2=\"{ChartLayout.Left}\" y2=\"{bottom}\" stroke=\"#333333\"/>\n");
        Append(sb, $"<text x=\"{ChartLayout.Left + (ChartLayout.PlotWidth / 2)}\" y=\"{h - 16}\" text-anchor=\"middle\">{X(model.XLabel)}</text>\n");
        Append(sb, $"<text x=\"20\" y=\"{ChartLayout.Top + (ChartLayout.PlotHeight / 2)}\" text-anchor=\"middle\" transform=\"rotate(-90 20 {ChartLayout.Top + (ChartLayout.PlotHeight / 2)})\">{X(model.YLabel)}</text>\n");

        if (model.PlannedTokensPerDay > 0 && model.PlannedTokensPerDay <= layout.XTop)
        {
            var vx = P(layout.Px(model.PlannedTokensPerDay));
            Append(sb, $"<line class=\"volume\" data-x=\"{F(model.PlannedTokensPerDay)}\" x1=\"{vx}\" y1=\"{ChartLayout.Top}\" x2=\"{vx}\" y2=\"{bottom}\" stroke=\"#555555\" stroke-dasharray=\"6 4\"/>\n");
            Append(sb, $"<text x=\"{vx}\" y=\"{ChartLayout.Top - 4}\" text-anchor=\"middle\">planned</text>\n");
        }

        for (var i = 0; i < model.Series.Count; i++)
        {
            var s = model.Series[i];
            var colour = ChartLayout.Hex(ChartLayout.Colour(s, i));
            var pixels = string.Join(' ', s.Points.Select(p => P(layout.Px(p.X)) + "," + P(layout.Py(p.Y))));
            Append(sb, $"<polyline class=\"series\" data-series=\"{X(s.Name)}\" data-kind=\"{X(s.Kind)}\" data-points=\"{ChartLayout.PointsText(s.Points)}\" points=\"{pixels}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>\n");
            var ly = ChartLayout.Top + 10 + (i * 20);
            var lx = ChartLayout.Left + ChartLayout.PlotWidth + 16;
            Append(sb, $"<line x1=\"{lx}\" y1=\"{ly}\" x2=\"{lx + 24}\" y2=\"{ly}\" stroke=\"{colour}\" stroke-width=\"3\"/>\n");
            Append(sb, $"<text class=\"legend\" x=\"{ChartLayout.LegendTextX}\" y=\"{ly}\" dominant-baseline=\"middle\">{X(ChartLayout.LegendText(s))}</text>\n");
        }

        var labels = ChartLabels.Place(layout);
        for (var i = 0; i < model.Markers.Count; i++)
        {
            var m = model.Markers[i];
            var cx = P(layout.Px(m.At.X));
            var cy = P(layout.Py(m.At.Y));
            Append(sb, $"<circle class=\"break-even\" data-series=\"{X(m.Series)}\" data-x=\"{F(m.At.X)}\" data-y=\"{F(m.At.Y)}\" cx=\"{cx}\" cy=\"{cy}\" r=\"5\" fill=\"#d62728\"/>\n");
            var label = labels[i];
            if (label.NeedsLeader)
            {
                var (ex, ey) = label.NearestPoint();
                Append(sb, $"<line class=\"leader\" x1=\"{cx}\" y1=\"{cy}\" x2=\"{P(ex)}\" y2=\"{P(ey)}\" stroke=\"#d62728\" stroke-width=\"0.75\"/>\n");
            }

            Append(sb, $"<text class=\"marker-label\" x=\"{P(label.X)}\" y=\"{P(label.Y + label.Height - 3)}\" fill=\"#d62728\">{X(label.Text)}</text>\n");
        }

        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static void Append(StringBuilder sb, FormattableString text) => sb.Append(text.ToString(CultureInfo.InvariantCulture));

    private static string P(double pixel) => pixel.ToString("0.#", CultureInfo.InvariantCulture);

    private static string F(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    private static string X(string text) => SecurityElement.Escape(text) ?? "";
}
