namespace Switchyard.Providers.Sse;

/// <summary>
/// Splits an upstream byte stream into events, whatever the chunking: server-sent events (<see cref="SseEventReader"/>)
/// or a binary framing carrying the same (Bedrock's <c>application/vnd.amazon.eventstream</c>). The returned memory is
/// valid until the next read.
/// </summary>
public interface IEventReader : IDisposable
{
    /// <summary>Why the reader stopped, once <see cref="ReadAsync"/> returned null.</summary>
    SseEnd End { get; }

    /// <summary>The next event; null at the end of the stream (see <see cref="End"/>).</summary>
    ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken);
}
