using Switchyard.Core.Snapshot;
namespace Switchyard.Admin;

/// <summary>The console's start-up settings (<c>console</c> section and <c>--no-dashboard</c>), resolved once.</summary>
internal sealed class ConsoleSettings
{
    public ConsoleSettings(ConsoleConfig config, bool dashboardEnabled)
    {
        ArgumentNullException.ThrowIfNull(config);
        Config = config;
        DashboardEnabled = dashboardEnabled && config.Enabled;
        TimeZone = ConsoleConfig.TryFindZone(config.ReportingTimezone) ?? TimeZoneInfo.Utc;
    }

    public ConsoleConfig Config { get; }

    /// <summary>Whether <c>/ui</c> is served.</summary>
    public bool DashboardEnabled { get; }

    public TimeZoneInfo TimeZone { get; }

    /// <summary>Start (Unix ms) of the local day of the reporting zone that contains <paramref name="unixMs"/>.</summary>
    public long LocalDayStart(long unixMs)
    {
        var local = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(unixMs), TimeZone);
        var midnight = new DateTime(local.Year, local.Month, local.Day, 0, 0, 0, DateTimeKind.Unspecified);
        return new DateTimeOffset(midnight, TimeZone.GetUtcOffset(midnight)).ToUnixTimeMilliseconds();
    }

    /// <summary>An instant as the reporting zone shows it.</summary>
    public DateTimeOffset Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, TimeZone);
}
