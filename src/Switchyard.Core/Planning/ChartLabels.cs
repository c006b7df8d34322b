using Switchyard.Core.Reports;

namespace Switchyard.Core.Planning;

/// <summary>A label's box in pixels (top-left corner and size) and the marker it names.</summary>
internal readonly record struct LabelBox(double X, double Y, double Width, double Height, double AnchorX, double AnchorY, string Text)
{
    public bool Intersects(LabelBox other) =>
        X < other.X + other.Width && other.X < X + Width && Y < other.Y + other.Height && other.Y < Y + Height;

    /// <summary>Placed away from its marker: the renderers draw a leader line to it.</summary>
    public bool NeedsLeader => DistanceToAnchor() > ChartLabels.LeaderDistance;

    /// <summary>The point of the box nearest the marker (where a leader line ends).</summary>
    public (double X, double Y) NearestPoint() => (Math.Clamp(AnchorX, X, X + Width), Math.Clamp(AnchorY, Y, Y + Height));

    private double DistanceToAnchor()
    {
        var (x, y) = NearestPoint();
        return Math.Sqrt(((x - AnchorX) * (x - AnchorX)) + ((y - AnchorY) * (y - AnchorY)));
    }
}

/// <summary>
/// Places the markers' labels so that none overlaps another label or a marker, inside the plot area: each label takes
/// the first free place among above, below, right and left of its marker, then further above or below (with a leader
/// line). Clustered markers (the eval chart's small models near one accuracy and cost) get stacked labels instead of
/// text printed over text. Both renderers draw from these boxes; the text width is a conservative estimate for 12 px
/// sans-serif (SVG) and covers the 6 px advance of the PNG bitmap font.
/// </summary>
internal static class ChartLabels
{
    public const double CharWidth = 7;
    public const double Height = 14;
    public const double LeaderDistance = 12;
    private const double MarkerRadius = 5;
    private const double Gap = 4;
    private const int MaxSteps = 24;

    public static double TextWidth(string text) => text.Length * CharWidth;

    /// <summary>The label of each marker, in the order of <see cref="ChartModel.Markers"/>.</summary>
    public static IReadOnlyList<LabelBox> Place(ChartLayout layout)
    {
        ArgumentNullException.ThrowIfNull(layout);
        var markers = layout.Model.Markers;
        var obstacles = markers.Select(m =>
        {
            var (x, y) = (layout.Px(m.At.X), layout.Py(m.At.Y));
            return new LabelBox(x - MarkerRadius, y - MarkerRadius, 2 * MarkerRadius, 2 * MarkerRadius, x, y, "");
        }).ToList();
        var placed = new List<LabelBox>(markers.Count);
        var labels = new LabelBox[markers.Count];
        // Highest markers first: their free space above is the plot's top, and lower clusters stack up under them.
        foreach (var index in Enumerable.Range(0, markers.Count).OrderBy(i => layout.Py(markers[i].At.Y)).ThenBy(i => layout.Px(markers[i].At.X)))
        {
            var m = markers[index];
            var text = $"{m.Label}: {ChartLayout.Short(m.At.X)}";
            var (ax, ay) = (layout.Px(m.At.X), layout.Py(m.At.Y));
            var width = TextWidth(text);
            LabelBox? best = null;
            var bestOverlaps = int.MaxValue;
            foreach (var (x, y) in Candidates(ax, ay, width))
            {
                var box = Clamp(new LabelBox(x, y, width, Height, ax, ay, text));
                var overlaps = placed.Count(p => p.Intersects(box)) + obstacles.Count(o => o.Intersects(box));
                if (overlaps < bestOverlaps)
                {
                    (best, bestOverlaps) = (box, overlaps);
                    if (overlaps == 0)
                    {
                        break;
                    }
                }
            }

            labels[index] = best!.Value;
            placed.Add(labels[index]);
        }

        return labels;
    }

    private static IEnumerable<(double X, double Y)> Candidates(double ax, double ay, double width)
    {
        var above = ay - MarkerRadius - Gap - Height;
        var below = ay + MarkerRadius + Gap;
        yield return (ax - (width / 2), above);
        yield return (ax - (width / 2), below);
        yield return (ax + MarkerRadius + Gap, ay - (Height / 2));
        yield return (ax - MarkerRadius - Gap - width, ay - (Height / 2));
        for (var step = 1; step <= MaxSteps; step++)
        {
            var dy = step * (Height + 2);
            foreach (var dx in new[] { -width / 2, 0, -width })
            {
                yield return (ax + dx, above - dy);
                yield return (ax + dx, below + dy);
            }
        }
    }

    private static LabelBox Clamp(LabelBox box)
    {
        var x = Math.Clamp(box.X, ChartLayout.Left + 2, ChartLayout.Left + ChartLayout.PlotWidth - box.Width - 2);
        var y = Math.Clamp(box.Y, ChartLayout.Top, ChartLayout.Top + ChartLayout.PlotHeight - box.Height - 2);
        return box with { X = x, Y = y };
    }
}
