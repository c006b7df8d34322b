namespace Switchyard.Testing;

/// <summary>
/// A wall clock that only moves when the test says so, for the whole gateway (<c>configureServices</c>): key expiry,
/// rotation overlaps and rate-limit minute windows read <see cref="GetUtcNow"/>, so a test about them does not race
/// the real clock. Timers, delays and timestamps stay real (the base <see cref="TimeProvider"/>), so background
/// services (ledger writer, key poll, config watch) run as in production. Starts at the beginning of a minute.
/// </summary>
public sealed class ManualClock : TimeProvider
{
    private readonly Lock _lock = new();
    private DateTimeOffset _now;

    public ManualClock(DateTimeOffset? start = null) => _now = start ?? new DateTimeOffset(2026, 6, 1, 12, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow()
    {
        lock (_lock)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan delta)
    {
        lock (_lock)
        {
            _now += delta;
        }
    }
}
