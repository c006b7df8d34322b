using System.Buffers;
using System.IO.Pipelines;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Clients;
namespace Switchyard.Providers.Anthropic;

/// <summary>Canonical deltas (an upstream of another format) written as Anthropic events, each flushed.</summary>
internal sealed class AnthropicTranslatingRelay(AnthropicStreamWriter events, string requestId) : IStreamRelay
{
    public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
    {
        if (evt.Deltas is { } deltas)
        {
            foreach (var delta in deltas)
            {
                events.Write(delta, writer);
            }
        }

        if (evt.IsDone)
        {
            events.Finish(writer);
        }

        return writer.FlushAsync(cancellationToken);
    }

    public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        events.Finish(writer);
        return writer.FlushAsync(cancellationToken);
    }

    public async ValueTask WriteInterruptedAsync(PipeWriter writer, string message)
    {
        events.Error(writer, "api_error", message, requestId);
        await writer.FlushAsync(CancellationToken.None);
    }
}

/// <summary>An Anthropic upstream's own events, relayed as their bytes (event name and data), each flushed.</summary>
internal sealed class AnthropicPassthroughRelay(string requestId) : IStreamRelay
{
    private bool _ended;

    public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
    {
        if (!evt.EventName.IsEmpty)
        {
            writer.Write("event: "u8);
            writer.Write(evt.EventName.Span);
            writer.Write("\n"u8);
        }

        writer.Write("data: "u8);
        writer.Write(evt.Data.Span);
        writer.Write("\n\n"u8);
        _ended |= evt.IsDone;
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>The upstream ended cleanly after its last content without <c>message_stop</c>: nothing to add but the stop.</summary>
    public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        if (_ended)
        {
            return default;
        }

        _ended = true;
        writer.Write("event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n"u8);
        return writer.FlushAsync(cancellationToken);
    }

    public async ValueTask WriteInterruptedAsync(PipeWriter writer, string message)
    {
        writer.Write("event: error\ndata: "u8);
        AnthropicWire.WriteError(writer, "api_error", message, requestId);
        writer.Write("\n\n"u8);
        await writer.FlushAsync(CancellationToken.None);
    }
}
