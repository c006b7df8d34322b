using System.Globalization;
using Switchyard.Core.Catalog;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Reports;

/// <summary>The time window of a report, half-open: [From, To).</summary>
public sealed record ReportWindow(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>Days back when neither <c>from</c> nor <c>days</c> is given.</summary>
    public const int DefaultDays = 30;

    /// <summary>The longest window <c>days</c> may ask for (a century).</summary>
    public const int MaxDays = 36_500;

    /// <summary>As <see cref="Parse"/>, with <paramref name="days"/> as given in a query string.</summary>
    public static (ReportWindow? Window, string? Error) ParseQuery(string? from, string? to, string? days, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(days))
        {
            return Parse(from, to, null, now);
        }

        return int.TryParse(days, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? Parse(from, to, value, now)
            : (null, $"days must be a whole number between 1 and {MaxDays}, not '{(days.Length > 32 ? days[..32] + "…" : days)}'");
    }

    /// <summary>
    /// Resolves the window: <paramref name="to"/> defaults to now; <paramref name="from"/> defaults to the start (UTC)
    /// of the day <paramref name="days"/> − 1 days before today. Dates (<c>yyyy-MM-dd</c>) mean midnight UTC; full
    /// ISO 8601 timestamps are accepted too (without an offset, UTC).
    /// </summary>
    public static (ReportWindow? Window, string? Error) Parse(string? from, string? to, int? days, DateTimeOffset now)
    {
        if (days is < 1 or > MaxDays)
        {
            return (null, $"days must be between 1 and {MaxDays}");
        }

        var end = now;
        if (!string.IsNullOrWhiteSpace(to) && !TryParseInstant(to, out end))
        {
            return (null, $"'{to}' is not a date (yyyy-MM-dd) or an ISO 8601 timestamp");
        }

        DateTimeOffset start;
        if (!string.IsNullOrWhiteSpace(from))
        {
            if (!TryParseInstant(from, out start))
            {
                return (null, $"'{from}' is not a date (yyyy-MM-dd) or an ISO 8601 timestamp");
            }
        }
        else
        {
            start = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - (days ?? DefaultDays));
        }

        return start < end ? (new ReportWindow(start, end), null) : (null, "the window is empty: from must be before to");
    }

    /// <summary>Reads the store's aggregate and builds the report against the route table's models and the built-in data.</summary>
    public async Task<SavingsReport> BuildAsync(ILedgerStore store, RouteTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(table);
        var rows = await store.AggregateForReportAsync(From, To, cancellationToken);
        var catalog = PriceCatalog.BuiltIn;
        return SavingsReportBuilder.Build(rows, From, To, SavingsReportBuilder.ModelsOf(table, catalog), catalog, PlanningData.BuiltIn,
            DateOnly.FromDateTime(To.UtcDateTime));
    }

    private static bool TryParseInstant(string text, out DateTimeOffset value)
    {
        if (DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            value = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
            return true;
        }

        return DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out value);
    }
}
