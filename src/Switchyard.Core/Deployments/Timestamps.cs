namespace Switchyard.Core.Deployments;

/// <summary>Spans and deadlines in a <see cref="TimeProvider"/>'s timestamp ticks, as the parts of a deployment's state keep them.</summary>
internal static class Timestamps
{
    public static long Ticks(TimeProvider time, TimeSpan span) => (long)(span.TotalSeconds * time.TimestampFrequency);

    public static TimeSpan Remaining(TimeProvider time, long until, long now) =>
        until > now ? TimeSpan.FromSeconds((until - now) / (double)time.TimestampFrequency) : TimeSpan.Zero;
}
