using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// The <c>console</c> section: the operator console at <c>/ui</c> and its login (docs/console.md). Read at start-up;
/// a reload does not change it.
/// </summary>
public sealed record ConsoleConfig
{
    /// <summary>Serve the console at <c>/ui</c> (<c>--no-dashboard</c> turns it off too). The admin API stays.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>IANA time zone the console's days and hours are shown in; aggregates are stored in UTC.</summary>
    public string ReportingTimezone { get; init; } = "UTC";

    /// <summary>How long a login lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; init; } = TimeSpan.FromHours(12);

    /// <summary><c>auto</c> (Secure cookies over HTTPS), <c>always</c>, or <c>never</c>.</summary>
    public string SecureCookies { get; init; } = "auto";

    /// <summary>Size the store may reach before Settings warns (at 80 %); null for no cap.</summary>
    public long? DatabaseSizeCapBytes { get; init; }

    /// <summary>The time zone of an IANA (or Windows) id; null when unknown.</summary>
    public static TimeZoneInfo? TryFindZone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            return null;
        }
        catch (InvalidTimeZoneException)
        {
            return null;
        }
    }
}

/// <summary>Reads the <c>console</c> section.</summary>
internal static class ConsoleConfigReader
{
    public static ConsoleConfig Read(YamlNodeReader? r)
    {
        var defaults = new ConsoleConfig();
        if (r is null)
        {
            return defaults;
        }

        var zone = r.String("reporting_timezone") ?? defaults.ReportingTimezone;
        if (ConsoleConfig.TryFindZone(zone) is null)
        {
            r.Error("reporting_timezone", $"'{zone}' is not a known IANA time zone (e.g. UTC, Europe/Berlin, America/New_York)");
        }

        var secure = r.String("secure_cookies") ?? defaults.SecureCookies;
        if (secure is not ("auto" or "always" or "never"))
        {
            r.Error("secure_cookies", $"must be auto, always or never, not '{secure}'");
        }

        var capMb = r.Long("database_size_cap_mb", 1, 100_000_000);
        var console = new ConsoleConfig
        {
            Enabled = r.Bool("enabled") ?? defaults.Enabled,
            ReportingTimezone = zone,
            SessionLifetime = r.Duration("session_lifetime", TimeSpan.FromMinutes(5), TimeSpan.FromDays(30)) ?? defaults.SessionLifetime,
            SecureCookies = secure,
            DatabaseSizeCapBytes = capMb * 1024 * 1024,
        };
        r.RejectUnknownKeys();
        return console;
    }
}
