using Switchyard.Core.Reports;
namespace Switchyard.Admin;

/// <summary>The window a read covered, as the console shows it.</summary>
/// <param name="From">Start (inclusive).</param>
/// <param name="To">End (exclusive).</param>
/// <param name="Range">The named range (<c>24h</c>, <c>7d</c>, …) when it is one.</param>
/// <param name="Grain">Series buckets: <c>hour</c> or <c>day</c> (of <paramref name="Timezone"/>).</param>
/// <param name="Timezone">The reporting time zone.</param>
/// <param name="Query">The filters as a query string (for links).</param>
internal sealed record WindowDto(DateTimeOffset From, DateTimeOffset To, string? Range, string Grain, string Timezone, string Query);

/// <summary>A chart: bucket starts (Unix ms) and one value per bucket for each line.</summary>
/// <param name="Buckets">Bucket starts.</param>
/// <param name="BucketEnds">Bucket ends (the drill-down window of a point).</param>
/// <param name="Unit">What the values count (<c>requests</c>, <c>usd</c>, <c>ms</c>).</param>
/// <param name="Lines">The lines.</param>
internal sealed record ChartDto(IReadOnlyList<long> Buckets, IReadOnlyList<long> BucketEnds, string Unit, IReadOnlyList<ChartLineDto> Lines);

/// <summary>One line of a chart.</summary>
/// <param name="Name">Legend.</param>
/// <param name="Values">One per bucket (null: no data).</param>
/// <param name="Drill">The filter a point of this line adds to the Requests page (<c>outcome=ok</c>), if any.</param>
internal sealed record ChartLineDto(string Name, IReadOnlyList<double?> Values, string? Drill);

/// <summary>Builds charts from aggregate series.</summary>
internal static class ChartData
{
    public static WindowDto Window(ConsoleQuery query, AggregateReads reads) => new(
        DateTimeOffset.FromUnixTimeMilliseconds(query.FromMs), DateTimeOffset.FromUnixTimeMilliseconds(query.ToMs), query.Range,
        query.SeriesGrain == AggregateGrain.Hour ? "hour" : "day", reads.Settings.Config.ReportingTimezone, query.ToQueryString());

    /// <summary>
    /// One line per value of the series' first grouping column (the <paramref name="top"/> largest by total; the rest
    /// summed as <c>other</c>), valued by <paramref name="value"/>.
    /// </summary>
    public static ChartDto Lines(ConsoleQuery query, AggregateReads reads, IReadOnlyList<AggregateRow> rows, int column, AggregateDimension? drill,
        string unit, Func<AggregateMeasures, double> value, int top = 8)
    {
        var buckets = reads.Buckets(query);
        var index = buckets.Select((b, i) => (b, i)).ToDictionary(p => p.b, p => p.i);
        var totals = rows.GroupBy(r => r.Values[column], StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Total: g.Sum(r => value(r.Measures)))).OrderByDescending(p => p.Total).ThenBy(p => p.Name, StringComparer.Ordinal).ToList();
        var kept = totals.Take(top).Select(p => p.Name).ToHashSet(StringComparer.Ordinal);
        var lines = new Dictionary<string, double?[]>(StringComparer.Ordinal);
        foreach (var name in totals.Select(t => t.Name).Where(kept.Contains))
        {
            lines[name] = new double?[buckets.Count];
        }

        foreach (var row in rows)
        {
            if (row.BucketMs is not { } bucket || !index.TryGetValue(bucket, out var i))
            {
                continue;
            }

            var name = kept.Contains(row.Values[column]) ? row.Values[column] : "other";
            if (!lines.TryGetValue(name, out var values))
            {
                lines[name] = values = new double?[buckets.Count];
            }

            values[i] = (values[i] ?? 0) + value(row.Measures);
        }

        foreach (var values in lines.Values)
        {
            for (var i = 0; i < values.Length; i++)
            {
                values[i] ??= 0;
            }
        }

        return new ChartDto(buckets, [.. buckets.Select(b => reads.BucketEnd(query, b))], unit,
            [.. lines.Select(l => new ChartLineDto(Label(l.Key), l.Value, drill is { } d && l.Key != "other" ? ConsoleQuery.ParameterOf(d) + "=" + Uri.EscapeDataString(Label(l.Key)) : null))]);
    }

    /// <summary>Latency percentiles per bucket from the merged histograms (<paramref name="ttft"/>: time to first token instead).</summary>
    public static ChartDto Percentiles(ConsoleQuery query, AggregateReads reads, IReadOnlyList<AggregateRow> rows, bool ttft)
    {
        var buckets = reads.Buckets(query);
        var merged = buckets.Select(_ => new AggregateMeasures()).ToArray();
        var index = buckets.Select((b, i) => (b, i)).ToDictionary(p => p.b, p => p.i);
        foreach (var row in rows)
        {
            if (row.BucketMs is { } b && index.TryGetValue(b, out var i))
            {
                merged[i].Add(row.Measures);
            }
        }

        ChartLineDto Line(string name, double q) =>
            new(name, [.. merged.Select(m => LatencyHistogram.Percentile(ttft ? m.Ttft : m.Latency, q))], null);
        return new ChartDto(buckets, [.. buckets.Select(b => reads.BucketEnd(query, b))], "ms", [Line("p50", 0.5), Line("p95", 0.95), Line("p99", 0.99)]);
    }

    /// <summary>An absent value as the console names it.</summary>
    public static string Label(string value) => value.Length == 0 ? ConsoleQuery.None : value;
}
