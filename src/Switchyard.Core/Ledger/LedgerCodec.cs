using System.Text.Json;
using Switchyard.Canonical;

namespace Switchyard.Ledger;

/// <summary>The storage conventions both stores share (one concept, one place).</summary>
public static class LedgerCodec
{
    /// <summary>Costs are stored as integer nano-dollars so sums are exact.</summary>
    public static long ToNanoUsd(decimal usd) => (long)Math.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);

    public static decimal FromNanoUsd(long nano) => nano / 1_000_000_000m;

    public static string Day(DateTimeOffset timestamp) => timestamp.UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

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
        JsonSerializer.Serialize(attempts as List<AttemptRecord> ?? [.. attempts], LedgerJsonContext.Default.ListAttemptRecord);

    public static IReadOnlyList<AttemptRecord> DecodeAttempts(string? json) =>
        string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize(json, LedgerJsonContext.Default.ListAttemptRecord) ?? [];

    public static string Name(ApiFormat format) => format == ApiFormat.OpenAI ? "openai" : "anthropic";

    public static ApiFormat ParseFormat(string text) => text == "anthropic" ? ApiFormat.Anthropic : ApiFormat.OpenAI;

    public static string Name(Operation operation) => operation == Operation.Embeddings ? "embeddings" : "chat";

    public static Operation ParseOperation(string text) => text == "embeddings" ? Operation.Embeddings : Operation.ChatCompletion;
}
