namespace Switchyard.Testing;

/// <summary>
/// Waits on a condition instead of a fixed delay: no assertion may race the wall clock on a loaded 2-core CI machine.
/// The deadline is generous (it is only reached when something is wrong) and the failure names what was awaited.
/// </summary>
public static class Until
{
    /// <summary>Long enough for any stall of a shared CI box; short enough that a broken test still ends.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan _poll = TimeSpan.FromMilliseconds(20);

    /// <summary>Polls <paramref name="condition"/> until it holds; fails the test naming <paramref name="what"/> at the deadline.</summary>
    public static async Task TrueAsync(Func<Task<bool>> condition, string what, CancellationToken cancellationToken, TimeSpan? deadline = null)
    {
        var limit = deadline ?? DefaultDeadline;
        var start = TimeProvider.System.GetTimestamp();
        while (!await condition())
        {
            if (TimeProvider.System.GetElapsedTime(start) > limit)
            {
                throw new TimeoutException($"Not reached within {limit.TotalSeconds:0} s: {what}");
            }

            await Task.Delay(_poll, cancellationToken);
        }
    }

    /// <summary>Synchronous-condition overload of <see cref="TrueAsync(Func{Task{bool}}, string, CancellationToken, TimeSpan?)"/>.</summary>
    public static Task TrueAsync(Func<bool> condition, string what, CancellationToken cancellationToken, TimeSpan? deadline = null) =>
        TrueAsync(() => Task.FromResult(condition()), what, cancellationToken, deadline);
}
