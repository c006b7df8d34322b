using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>
/// The fixed buckets of the aggregates' latency and time-to-first-token histograms (milliseconds, roughly ×1.5
/// apart, so a percentile read from them is within one bucket's width of the exact one). Fixed forever: rows of
/// every hour and every store add up bucket by bucket.
/// </summary>
public static class LatencyHistogram
{
    /// <summary>Upper bounds (exclusive) of every bucket but the last, which is open-ended.</summary>
    public static readonly double[] UpperBoundsMs =
        [1, 2, 5, 10, 20, 35, 50, 75, 100, 150, 200, 300, 500, 750, 1000, 1500, 2000, 3000, 5000, 7500, 10_000, 20_000, 30_000, 60_000];

    /// <summary>Number of buckets (the bounds plus the open-ended last one).</summary>
    public static int Buckets => UpperBoundsMs.Length + 1;

    /// <summary>The bucket of a duration.</summary>
    public static int BucketOf(double ms)
    {
        var bounds = UpperBoundsMs;
        for (var i = 0; i < bounds.Length; i++)
        {
            if (ms < bounds[i])
            {
                return i;
            }
        }

        return bounds.Length;
    }

    /// <summary>Lower bound of a bucket in milliseconds.</summary>
    public static double LowerBoundMs(int bucket) => bucket == 0 ? 0 : UpperBoundsMs[bucket - 1];

    /// <summary>Upper bound of a bucket in milliseconds (the open-ended last bucket is read as twice its lower bound).</summary>
    public static double UpperBoundMs(int bucket) => bucket < UpperBoundsMs.Length ? UpperBoundsMs[bucket] : UpperBoundsMs[^1] * 2;

    /// <summary>
    /// The <paramref name="quantile"/> (0–1) of the counts, interpolated linearly inside the bucket where it falls;
    /// null when the histogram is empty.
    /// </summary>
    public static double? Percentile(ReadOnlySpan<long> counts, double quantile)
    {
        long total = 0;
        foreach (var c in counts)
        {
            total += c;
        }

        if (total == 0)
        {
            return null;
        }

        var rank = Math.Clamp(quantile, 0, 1) * total;
        long seen = 0;
        for (var i = 0; i < counts.Length; i++)
        {
            if (counts[i] == 0)
            {
                continue;
            }

            if (seen + counts[i] >= rank)
            {
                var within = (rank - seen) / counts[i];
                var low = LowerBoundMs(i);
                return Math.Round(low + ((UpperBoundMs(i) - low) * within), 3);
            }

            seen += counts[i];
        }

        return UpperBoundMs(counts.Length - 1);
    }

    /// <summary>The empirical CDF as (upper bound ms, share of requests at or below it) points, one per bucket up to the last non-empty one.</summary>
    public static IReadOnlyList<(double Ms, double Share)> Cdf(ReadOnlySpan<long> counts)
    {
        long total = 0;
        var last = -1;
        for (var i = 0; i < counts.Length; i++)
        {
            total += counts[i];
            if (counts[i] > 0)
            {
                last = i;
            }
        }

        var points = new List<(double, double)>();
        long seen = 0;
        for (var i = 0; i <= last; i++)
        {
            seen += counts[i];
            points.Add((UpperBoundMs(i), Math.Round((double)seen / total, 6)));
        }

        return points;
    }
}
