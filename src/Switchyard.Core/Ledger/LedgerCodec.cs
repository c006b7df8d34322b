using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Switchyard.Core.Common;
using Switchyard.Core.Model;
namespace Switchyard.Core.Ledger;

/// <summary>The storage conventions both stores share (one concept, one place).</summary>
public static class LedgerCodec
{
    /// <summary>The last day key formatted (records arrive in time order: nearly every row reuses it).</summary>
    private static DayKey _lastDay = new(-1, "");

    /// <summary>Costs are stored as integer nano-dollars so sums are exact.</summary>
    public static long ToNanoUsd(decimal usd) => (long)Math.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);

    public static decimal FromNanoUsd(long nano) => nano / 1_000_000_000m;

    public static string Day(DateTimeOffset timestamp)
    {
        // Every record of a day has the same key: format it once per day, not once per row.
        var day = timestamp.UtcTicks / TimeSpan.TicksPerDay;
        var last = _lastDay;
        if (last.Number == day)
        {
            return last.Text;
        }

        var text = timestamp.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        _lastDay = new DayKey(day, text);
        return text;
    }

    /// <summary>
    /// The first whole UTC day that starts at or after <paramref name="t"/>: daily roll-ups count in a window [from, to)
    /// when their day starts in it. Past the last representable day, a key after every real day.
    /// </summary>
    public static string DayAtOrAfter(DateTimeOffset t)
    {
        var day = t.UtcDateTime.Date;
        if (day == t.UtcDateTime)
        {
            return Day(t);
        }

        return day == DateTime.MaxValue.Date ? "9999-12-32" : Day(new DateTimeOffset(day.AddDays(1), TimeSpan.Zero));
    }

    public static string EncodeAttempts(IReadOnlyList<AttemptRecord> attempts) =>
        JsonText.Write(attempts as List<AttemptRecord> ?? [.. attempts], static (w, list) => JsonSerializer.Serialize(w, list, LedgerJsonContext.Default.ListAttemptRecord));

    public static IReadOnlyList<AttemptRecord> DecodeAttempts(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, LedgerJsonContext.Default.ListAttemptRecord) ?? [];

    public static string Name(ApiFormat format) => format == ApiFormat.OpenAI ? "openai" : "anthropic";

    public static ApiFormat ParseFormat(string text) => text == "anthropic" ? ApiFormat.Anthropic : ApiFormat.OpenAI;

    public static string Name(Operation operation) => operation == Operation.Embeddings ? "embeddings" : "chat";

    public static Operation ParseOperation(string text) => text == "embeddings" ? Operation.Embeddings : Operation.ChatCompletion;

    /// <summary>The ledger columns in the order <see cref="ReadRecord"/> reads them (both stores select this list).</summary>
    public const string Columns =
        "request_id, ts_unix_ms, day, key_name, key_id, team, client_format, operation, requested_model, served_model, " +
        "deployment_id, provider, simulated, outcome, http_status, error_class, input_tokens, output_tokens, cached_tokens, " +
        "cache_write_tokens, usage_estimated, cost_nusd, price_version, total_ms, upstream_ms, overhead_ms, streamed, " +
        "data_class, route_reason, attempts, baseline_model, baseline_cost_nusd, task_category, org, end_user, pii_types, " +
        "route_objective, route_candidates, fallback_extra_cost_nusd, trust_zone, route_excluded";

    /// <summary>One record from a row of <see cref="Columns"/> (booleans may be stored as 0/1 or as booleans).</summary>
    public static LedgerRecord ReadRecord(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        bool B(int i) => Convert.ToBoolean(r.GetValue(i), CultureInfo.InvariantCulture);
        return new LedgerRecord
        {
            RequestId = r.GetString(0),
            Timestamp = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)),
            KeyName = r.GetString(3),
            KeyId = r.GetString(4),
            Team = S(5),
            ClientFormat = ParseFormat(r.GetString(6)),
            Operation = ParseOperation(r.GetString(7)),
            RequestedModel = r.GetString(8),
            ServedModel = S(9),
            DeploymentId = S(10),
            Provider = S(11),
            Simulated = B(12),
            Outcome = Enum.Parse<LedgerOutcome>(r.GetString(13)),
            HttpStatus = r.GetInt32(14),
            ErrorClass = S(15),
            Usage = new Usage(r.GetInt32(16), r.GetInt32(17), r.GetInt32(18), r.GetInt32(19), B(20)),
            CostUsd = FromNanoUsd(r.GetInt64(21)),
            PriceVersion = S(22),
            TotalMs = r.GetDouble(23),
            UpstreamMs = r.GetDouble(24),
            OverheadMs = r.GetDouble(25),
            Streamed = B(26),
            DataClass = S(27),
            RouteReason = S(28),
            Attempts = DecodeAttempts(S(29)),
            BaselineModel = S(30),
            BaselineCostUsd = r.IsDBNull(31) ? null : FromNanoUsd(r.GetInt64(31)),
            TaskCategory = S(32),
            Org = S(33),
            EndUser = S(34),
            PiiTypes = S(35),
            RouteObjective = S(36),
            RouteCandidates = S(37),
            FallbackExtraCostUsd = r.IsDBNull(38) ? null : FromNanoUsd(r.GetInt64(38)),
            TrustZone = S(39),
            RouteExcluded = S(40),
        };
    }

    /// <summary>One row of the savings report's aggregate (both stores select the same 15 columns: the group, its sums, then the fallback count and extra cost).</summary>
    public static LedgerReportRow ReadReportRow(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        string? S(int i) => r.IsDBNull(i) ? null : r.GetString(i);
        return new LedgerReportRow(S(0), r.GetString(1), S(2), S(3), S(4), r.GetInt64(5),
            r.GetInt64(6), r.GetInt64(7), r.GetInt64(8), FromNanoUsd(r.GetInt64(9)),
            FromNanoUsd(r.GetInt64(10)), r.GetInt64(11), r.GetInt64(12), r.GetInt64(13), FromNanoUsd(r.GetInt64(14)));
    }

    /// <summary>One row of <c>SpendAsync</c>'s select (day, org, team, key name, key id, model, then the seven sums).</summary>
    public static SpendRow ReadSpendRow(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new SpendRow(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5), r.GetInt64(6),
            r.GetInt64(7), r.GetInt64(8), r.GetInt64(9), r.GetInt64(10), FromNanoUsd(r.GetInt64(11)), r.GetInt64(12));
    }

    private sealed record DayKey(long Number, string Text);
}
