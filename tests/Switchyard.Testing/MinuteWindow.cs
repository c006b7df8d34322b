namespace Switchyard.Testing;

/// <summary>
/// Rate limits count in clock-aligned minutes (docs/tenancy.md): a test that counts against one through a real clock waits
/// for the next minute when too little of this one is left, so its requests all fall in one window.
/// </summary>
public static class MinuteWindow
{
    /// <summary>Returns at once when at least <paramref name="needed"/> of the current minute is left, else at the start of the next.</summary>
    public static Task EnsureAsync(TimeSpan needed, CancellationToken cancellationToken)
    {
        var now = DateTimeOffset.UtcNow;
        var left = TimeSpan.FromSeconds(60) - TimeSpan.FromTicks(now.Ticks % TimeSpan.TicksPerMinute);
        return left >= needed ? Task.CompletedTask : Task.Delay(left + TimeSpan.FromMilliseconds(100), cancellationToken);
    }
}
