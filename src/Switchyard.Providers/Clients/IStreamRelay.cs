using System.IO.Pipelines;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Clients;

/// <summary>Writes the events of one upstream stream to the client in its format, each flushed as it is written.</summary>
public interface IStreamRelay
{
    /// <summary>Writes one upstream event (possibly nothing) and flushes.</summary>
    ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken);

    /// <summary>The upstream ended cleanly without its terminator: end the client's stream properly.</summary>
    ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken);

    /// <summary>The upstream broke after bytes reached the client: end with an error event.</summary>
    ValueTask WriteInterruptedAsync(PipeWriter writer, string message);
}
