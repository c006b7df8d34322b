using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>A grouping column of the hourly and daily aggregates (absent values are stored as the empty string).</summary>
public enum AggregateDimension
{
    Org,
    Team,
    KeyId,
    KeyName,

    /// <summary>The name the client asked for: an alias or a model.</summary>
    RequestedModel,
    ServedModel,
    Deployment,
    Provider,
    DataClass,

    /// <summary>Trust zone of the deployment that served (<c>self-hosted</c>, <c>private</c>, <c>external</c>).</summary>
    TrustZone,

    /// <summary><see cref="OutcomeClass"/>: ok, client_error, upstream_error, blocked, budget_exceeded, rate_limited.</summary>
    Outcome,

    /// <summary>The objective that ordered the plan (<c>weighted</c>, <c>cheapest-qualifying</c>, …).</summary>
    RouteObjective,
    TaskCategory,

    /// <summary>What privacy did to the request: allow, redact, block or reroute.</summary>
    PrivacyAction,
}

/// <summary>
/// The columns of the aggregate tables, in one place for both stores: <c>agg_hourly</c> and <c>agg_daily</c> (bucket,
/// the <see cref="AggregateDimension"/> columns, then the measures) and <c>agg_events_hourly</c> (exclusions,
/// detections and upstream attempts).
/// </summary>
public static class AggregateSchema
{
    public const string Hourly = "agg_hourly";
    public const string Daily = "agg_daily";
    public const string Events = "agg_events_hourly";

    public static readonly string[] DimensionColumns =
    [
        "org", "team", "key_id", "key_name", "requested_model", "served_model", "deployment_id", "provider", "data_class",
        "trust_zone", "outcome", "route_objective", "task_category", "privacy_action",
    ];

    /// <summary>Integer measures (sums), in <see cref="AggregateMeasures.Longs"/> order; the two histograms follow them.</summary>
    public static readonly string[] LongColumns =
    [
        "requests", "input_tokens", "output_tokens", "cached_tokens", "cache_write_tokens", "cost_nusd", "baseline_nusd",
        "no_baseline", "attempts", "fallback_requests", "streamed", "ttft_count", "gen_tokens", "fallback_served",
        "fallback_extra_nusd",
    ];

    /// <summary>Real measures (sums of milliseconds), in <see cref="AggregateMeasures.Doubles"/> order.</summary>
    public static readonly string[] DoubleColumns = ["total_ms", "overhead_ms", "upstream_ms", "ttft_ms", "gen_ms"];

    /// <summary>The latency histogram's columns (<see cref="LatencyHistogram"/> buckets) then the time-to-first-token one's.</summary>
    public static readonly string[] HistogramColumns =
        [.. Enumerable.Range(0, LatencyHistogram.Buckets).Select(i => $"lat_{i:D2}"), .. Enumerable.Range(0, LatencyHistogram.Buckets).Select(i => $"ttft_{i:D2}")];

    /// <summary>Every integer measure column: <see cref="LongColumns"/> then <see cref="HistogramColumns"/>.</summary>
    public static readonly string[] AllLongColumns = [.. LongColumns, .. HistogramColumns];

    public static readonly string[] EventDimensionColumns = ["kind", "subject", "detail", "team", "model", "data_class"];

    public static string Column(AggregateDimension dimension) => DimensionColumns[(int)dimension];

    /// <summary>DDL of an aggregate table (<paramref name="integer"/>/<paramref name="real"/>: the store's type names).</summary>
    public static string CreateTable(string table, string integer, string real) =>
        $"CREATE TABLE {table} (bucket_ms {integer} NOT NULL, "
        + string.Concat(DimensionColumns.Select(c => $"{c} TEXT NOT NULL, "))
        + string.Concat(AllLongColumns.Select(c => $"{c} {integer} NOT NULL, "))
        + string.Concat(DoubleColumns.Select(c => $"{c} {real} NOT NULL, "))
        + $"PRIMARY KEY (bucket_ms, {string.Join(", ", DimensionColumns)}))";

    /// <summary>DDL of the hourly events table.</summary>
    public static string CreateEventsTable(string integer, string real) =>
        $"CREATE TABLE {Events} (bucket_ms {integer} NOT NULL, "
        + string.Concat(EventDimensionColumns.Select(c => $"{c} TEXT NOT NULL, "))
        + $"count {integer} NOT NULL, sum_ms {real} NOT NULL, last_ms {integer} NOT NULL, "
        + $"PRIMARY KEY (bucket_ms, {string.Join(", ", EventDimensionColumns)}))";

    /// <summary>The columns of an aggregate row as written: bucket, dimensions, integer then real measures.</summary>
    public static readonly string[] RowColumns = ["bucket_ms", .. DimensionColumns, .. AllLongColumns, .. DoubleColumns];

    /// <summary>The columns of an events row as written.</summary>
    public static readonly string[] EventRowColumns = ["bucket_ms", .. EventDimensionColumns, "count", "sum_ms", "last_ms"];

    /// <summary>
    /// The upsert of <paramref name="rows"/> aggregate rows with parameters <c>@p0…</c> (row by row, in
    /// <see cref="RowColumns"/> order); sums are added to a row already there. SQLite and PostgreSQL read the same text.
    /// </summary>
    public static string UpsertSql(string table, int rows, bool positional = false)
    {
        var sums = string.Join(", ", AllLongColumns.Concat(DoubleColumns).Select(c => $"{c} = {table}.{c} + excluded.{c}"));
        return $"INSERT INTO {table} ({string.Join(", ", RowColumns)}) VALUES {Values(RowColumns.Length, rows, positional)} "
            + $"ON CONFLICT (bucket_ms, {string.Join(", ", DimensionColumns)}) DO UPDATE SET {sums}";
    }

    /// <summary>The upsert of <paramref name="rows"/> events rows (<paramref name="greatest"/>: the store's two-argument maximum, <c>max</c> or <c>GREATEST</c>).</summary>
    public static string UpsertEventSql(int rows, string greatest, bool positional = false) =>
        $"INSERT INTO {Events} ({string.Join(", ", EventRowColumns)}) VALUES {Values(EventRowColumns.Length, rows, positional)} "
        + $"ON CONFLICT (bucket_ms, {string.Join(", ", EventDimensionColumns)}) DO UPDATE SET count = {Events}.count + excluded.count, "
        + $"sum_ms = {Events}.sum_ms + excluded.sum_ms, last_ms = {greatest}({Events}.last_ms, excluded.last_ms)";

    /// <summary>The VALUES rows: named <c>@p0…</c>, or <paramref name="positional"/> <c>$1…</c> (PostgreSQL's batched commands).</summary>
    private static string Values(int columns, int rows, bool positional)
    {
        var sb = new System.Text.StringBuilder();
        var p = 0;
        for (var r = 0; r < rows; r++)
        {
            sb.Append(r == 0 ? "(" : ", (");
            for (var c = 0; c < columns; c++)
            {
                sb.Append(c == 0 ? "" : ", ").Append(positional ? "$" : "@p").Append(positional ? ++p : p++);
            }

            sb.Append(')');
        }

        return sb.ToString();
    }
}
