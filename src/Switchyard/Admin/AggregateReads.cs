using Switchyard.Core.Reports;
namespace Switchyard.Admin;

/// <summary>
/// The console's window reads over the aggregates: a window's whole UTC days come from the daily table and its other
/// hours from the hourly one (totals exact to the hour, few rows either way); series are bucketed per hour or per day
/// of the reporting time zone.
/// </summary>
internal sealed class AggregateReads
{
    private readonly ILedgerAnalytics _analytics;

    public AggregateReads(ILedgerAnalytics analytics, ConsoleSettings settings)
    {
        _analytics = analytics;
        Settings = settings;
    }

    public ConsoleSettings Settings { get; }

    public ILedgerAnalytics Analytics => _analytics;

    /// <summary>Sums over the query's window, grouped by <paramref name="groupBy"/>.</summary>
    public async Task<IReadOnlyList<AggregateRow>> TotalsAsync(ConsoleQuery query, IReadOnlyList<AggregateDimension> groupBy, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, AggregateRow>(StringComparer.Ordinal);
        foreach (var (grain, from, to) in Segments(query.HourFromMs, query.HourToMs))
        {
            var rows = await _analytics.ReadAggregatesAsync(new AggregateQuery(grain, from, to, groupBy, false, query.Filter), cancellationToken);
            foreach (var row in rows)
            {
                Merge(merged, null, row);
            }
        }

        return [.. merged.Values];
    }

    /// <summary>The series of the query's window, per hour (up to three days) or per day of the reporting time zone.</summary>
    public async Task<IReadOnlyList<AggregateRow>> SeriesAsync(ConsoleQuery query, IReadOnlyList<AggregateDimension> groupBy, CancellationToken cancellationToken)
    {
        var merged = new Dictionary<string, AggregateRow>(StringComparer.Ordinal);
        if (query.SeriesGrain == AggregateGrain.Hour)
        {
            foreach (var row in await _analytics.ReadAggregatesAsync(new AggregateQuery(AggregateGrain.Hour, query.HourFromMs, query.HourToMs, groupBy, true, query.Filter), cancellationToken))
            {
                Merge(merged, row.BucketMs, row);
            }

            return [.. merged.Values];
        }

        var zone = Settings.TimeZone;
        // A zone that is UTC all year can read whole days from the daily table; any other buckets hours into its local days.
        var utc = zone.BaseUtcOffset == TimeSpan.Zero && !zone.SupportsDaylightSavingTime;
        var segments = utc ? Segments(query.HourFromMs, query.HourToMs) : [(AggregateGrain.Hour, query.HourFromMs, query.HourToMs)];
        foreach (var (grain, from, to) in segments)
        {
            foreach (var row in await _analytics.ReadAggregatesAsync(new AggregateQuery(grain, from, to, groupBy, true, query.Filter), cancellationToken))
            {
                Merge(merged, Settings.LocalDayStart(row.BucketMs!.Value), row);
            }
        }

        return [.. merged.Values];
    }

    /// <summary>The bucket starts of the query's series (every hour or local day of the window, empty ones included).</summary>
    public IReadOnlyList<long> Buckets(ConsoleQuery query)
    {
        var buckets = new List<long>();
        if (query.SeriesGrain == AggregateGrain.Hour)
        {
            for (var t = query.HourFromMs; t < query.HourToMs; t += LedgerAggregator.HourMs)
            {
                buckets.Add(t);
            }

            return buckets;
        }

        for (var t = query.HourFromMs; t < query.HourToMs; t += LedgerAggregator.HourMs)
        {
            var day = Settings.LocalDayStart(t);
            if (buckets.Count == 0 || buckets[^1] != day)
            {
                buckets.Add(day);
            }
        }

        return buckets;
    }

    /// <summary>The end of a series bucket (for drill-down links).</summary>
    public long BucketEnd(ConsoleQuery query, long bucket) =>
        query.SeriesGrain == AggregateGrain.Hour ? bucket + LedgerAggregator.HourMs : Settings.LocalDayStart(bucket + LedgerAggregator.DayMs + (2 * LedgerAggregator.HourMs));

    /// <summary>[from, to) as hourly edges around whole UTC days read from the daily table.</summary>
    private static List<(AggregateGrain, long, long)> Segments(long from, long to)
    {
        var firstDay = LedgerAggregator.DayOf(from) == from ? from : LedgerAggregator.DayOf(from) + LedgerAggregator.DayMs;
        var lastDay = LedgerAggregator.DayOf(to);
        if (firstDay >= lastDay)
        {
            return [(AggregateGrain.Hour, from, to)];
        }

        var segments = new List<(AggregateGrain, long, long)>();
        if (from < firstDay)
        {
            segments.Add((AggregateGrain.Hour, from, firstDay));
        }

        segments.Add((AggregateGrain.Day, firstDay, lastDay));
        if (lastDay < to)
        {
            segments.Add((AggregateGrain.Hour, lastDay, to));
        }

        return segments;
    }

    private static void Merge(Dictionary<string, AggregateRow> merged, long? bucket, AggregateRow row)
    {
        var key = bucket + "\u0001" + string.Join('\u0001', row.Values);
        if (merged.TryGetValue(key, out var existing))
        {
            existing.Measures.Add(row.Measures);
        }
        else
        {
            var measures = new AggregateMeasures();
            measures.Add(row.Measures);
            merged[key] = new AggregateRow(bucket, row.Values, measures);
        }
    }
}
