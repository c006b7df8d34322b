using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>Which aggregate table a query reads.</summary>
public enum AggregateGrain
{
    Hour,
    Day,
}

/// <summary>
/// Equality filters on aggregate dimensions: a request (or row) matches when, for every dimension named, its value
/// is one of the values given (the empty string stands for "absent").
/// </summary>
public sealed record AggregateFilter(IReadOnlyDictionary<AggregateDimension, IReadOnlyList<string>> Values)
{
    public static readonly AggregateFilter None = new(new Dictionary<AggregateDimension, IReadOnlyList<string>>());

    public AggregateFilter With(AggregateDimension dimension, IReadOnlyList<string> values)
    {
        var copy = new Dictionary<AggregateDimension, IReadOnlyList<string>>(Values) { [dimension] = values };
        return new AggregateFilter(copy);
    }
}

/// <summary>A read of the hourly or daily aggregates over [<paramref name="FromMs"/>, <paramref name="ToMs"/>) (bucket starts, Unix ms).</summary>
/// <param name="Grain">Hourly or daily table.</param>
/// <param name="FromMs">First bucket start included.</param>
/// <param name="ToMs">Bucket starts before this are included.</param>
/// <param name="GroupBy">Dimensions the sums are grouped by (none: one total).</param>
/// <param name="ByBucket">Group by bucket too (a time series).</param>
/// <param name="Filter">Rows kept.</param>
public sealed record AggregateQuery(AggregateGrain Grain, long FromMs, long ToMs, IReadOnlyList<AggregateDimension> GroupBy, bool ByBucket, AggregateFilter Filter);

/// <summary>One row of an aggregate read: the bucket (when grouped by it), the group's values (in the query's order) and the sums.</summary>
public sealed record AggregateRow(long? BucketMs, IReadOnlyList<string> Values, AggregateMeasures Measures);

/// <summary>A read of the hourly events table (exclusions, detections, attempts) over [FromMs, ToMs).</summary>
/// <param name="Kind">An <see cref="AggregateEventKind"/>.</param>
/// <param name="FromMs">First hour included.</param>
/// <param name="ToMs">Hours starting before this are included.</param>
/// <param name="GroupBy">Event columns grouped by: any of subject, detail, team, model, data_class.</param>
/// <param name="ByBucket">Group by hour too.</param>
/// <param name="Teams">Only these teams (null: all).</param>
public sealed record EventQuery(string Kind, long FromMs, long ToMs, IReadOnlyList<string> GroupBy, bool ByBucket, IReadOnlyList<string>? Teams = null);

/// <summary>One row of an events read.</summary>
public sealed record EventRow(long? BucketMs, IReadOnlyList<string> Values, long Count, double SumMs, long LastMs);

/// <summary>
/// A page of the request list: raw ledger rows, newest first, over [FromMs, ToMs), filtered; <see cref="After"/>
/// continues after the last row of the previous page (keyset pagination: one indexed query per page, at any depth).
/// </summary>
public sealed record RequestQuery
{
    public required long FromMs { get; init; }
    public required long ToMs { get; init; }
    public AggregateFilter Filter { get; init; } = AggregateFilter.None;
    public string? RequestId { get; init; }
    public decimal? MinCostUsd { get; init; }
    public decimal? MaxCostUsd { get; init; }
    public double? MinLatencyMs { get; init; }
    public double? MaxLatencyMs { get; init; }
    public RequestCursor? After { get; init; }
    public int Limit { get; init; } = 50;
}

/// <summary>Where a page of requests ended: the last row's time and id.</summary>
public readonly record struct RequestCursor(long TimestampMs, string RequestId)
{
    /// <summary>Opaque text for URLs: <c>{ms}.{base64url(id)}</c>.</summary>
    public override string ToString() =>
        TimestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture) + "." + Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes(RequestId)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryParse(string? text, out RequestCursor cursor)
    {
        cursor = default;
        var dot = text?.IndexOf('.', StringComparison.Ordinal) ?? -1;
        if (dot <= 0 || !long.TryParse(text.AsSpan(0, dot), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms))
        {
            return false;
        }

        var b64 = text![(dot + 1)..].Replace('-', '+').Replace('_', '/');
        b64 = b64.PadRight(b64.Length + ((4 - (b64.Length % 4)) % 4), '=');
        var bytes = new byte[b64.Length];
        if (!Convert.TryFromBase64String(b64, bytes, out var written) || written == 0)
        {
            return false;
        }

        cursor = new RequestCursor(ms, System.Text.Encoding.UTF8.GetString(bytes, 0, written));
        return true;
    }
}

/// <summary>A page of requests and the cursor of the next one (null on the last page).</summary>
public sealed record RequestPage(IReadOnlyList<LedgerRecord> Rows, RequestCursor? Next);

/// <summary>
/// The console's reads, implemented by both stores over the same SQL (<see cref="AnalyticsSql"/>): aggregates for
/// every chart and figure, keyset-paginated raw rows for the request list. Nothing here scans the ledger.
/// </summary>
public interface ILedgerAnalytics
{
    Task<IReadOnlyList<AggregateRow>> ReadAggregatesAsync(AggregateQuery query, CancellationToken cancellationToken);

    Task<IReadOnlyList<EventRow>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken);

    Task<RequestPage> ListRequestsAsync(RequestQuery query, CancellationToken cancellationToken);

    /// <summary>Bytes the store occupies (the SQLite file with its WAL; the PostgreSQL database), or null when unknown.</summary>
    Task<long?> SizeBytesAsync(CancellationToken cancellationToken);
}
