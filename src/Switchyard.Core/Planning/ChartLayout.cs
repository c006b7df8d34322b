using System.Globalization;
using Switchyard.Core.Reports;

namespace Switchyard.Core.Planning;

/// <summary>Pixel geometry shared by the SVG and PNG renderers, so both draw the same picture.</summary>
internal sealed class ChartLayout
{
    public const int Width = 1000;
    public const int Height = 560;
    public const int Left = 90;
    public const int Right = 290;
    public const int Top = 40;
    public const int Bottom = 60;

    private static readonly (byte R, byte G, byte B)[] _palette =
    [
        (0x1f, 0x77, 0xb4), (0xff, 0x7f, 0x0e), (0x94, 0x67, 0xbd), (0x8c, 0x56, 0x4b),
        (0xe3, 0x77, 0xc2), (0x17, 0xbe, 0xcf), (0xbc, 0xbd, 0x22), (0x7f, 0x7f, 0x7f),
    ];

    private static readonly (byte R, byte G, byte B) _selfHosted = (0x2c, 0xa0, 0x2c);

    public ChartLayout(ChartModel model)
    {
        Model = model;
        XStep = NiceStep(model.XMax / 5);
        YStep = NiceStep(model.YMax / 5);
        XTop = Math.Max(XStep * Math.Ceiling(model.XMax / XStep), XStep);
        YTop = Math.Max(YStep * Math.Ceiling(model.YMax * 1.05 / YStep), YStep);
    }

    public ChartModel Model { get; }

    public double XStep { get; }

    public double YStep { get; }

    public double XTop { get; }

    public double YTop { get; }

    public static int PlotWidth => Width - Left - Right;

    public static int PlotHeight => Height - Top - Bottom;

    public double Px(double x) => Left + (x / XTop * PlotWidth);

    public double Py(double y) => Top + PlotHeight - (y / YTop * PlotHeight);

    public IEnumerable<double> XTicks()
    {
        for (var x = 0.0; x <= XTop * 1.0000001; x += XStep)
        {
            yield return x;
        }
    }

    public IEnumerable<double> YTicks()
    {
        for (var y = 0.0; y <= YTop * 1.0000001; y += YStep)
        {
            yield return y;
        }
    }

    public static (byte R, byte G, byte B) Colour(ChartSeries series, int index) =>
        series.Kind == "self-hosted" ? _selfHosted : _palette[index % _palette.Length];

    public static string Hex((byte R, byte G, byte B) c) => $"#{c.R:x2}{c.G:x2}{c.B:x2}";

    /// <summary>Left edge of a legend entry's text (right of the plot, after the colour swatch).</summary>
    public static int LegendTextX => Left + PlotWidth + 46;

    /// <summary>A legend entry: the name, and its kind unless the name already starts with it ("self-hosted", "router (…)").</summary>
    public static string LegendText(ChartSeries series) =>
        series.Name.StartsWith(series.Kind.Split('-')[0], StringComparison.Ordinal) ? series.Name : $"{series.Name} ({series.Kind})";

    /// <summary>1.2M, 350k, $12.5k — short labels for axis ticks.</summary>
    public static string Short(double value)
    {
        var (scaled, suffix) = Math.Abs(value) switch
        {
            >= 1e12 => (value / 1e12, "T"),
            >= 1e9 => (value / 1e9, "B"),
            >= 1e6 => (value / 1e6, "M"),
            >= 1e3 => (value / 1e3, "k"),
            _ => (value, ""),
        };
        return scaled.ToString("0.##", CultureInfo.InvariantCulture) + suffix;
    }

    /// <summary>Series data as text: <c>x,y x,y …</c> with round-trip precision.</summary>
    public static string PointsText(IEnumerable<ChartPoint> points) =>
        string.Join(' ', points.Select(p => p.X.ToString("R", CultureInfo.InvariantCulture) + "," + p.Y.ToString("R", CultureInfo.InvariantCulture)));

    private static double NiceStep(double rough)
    {
        if (rough <= 0 || double.IsNaN(rough) || double.IsInfinity(rough))
        {
            return 1;
        }

        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(rough)));
        var fraction = rough / magnitude;
        var nice = fraction switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 2.5 => 2.5,
            <= 5 => 5,
            _ => 10,
        };
        return nice * magnitude;
    }
}
