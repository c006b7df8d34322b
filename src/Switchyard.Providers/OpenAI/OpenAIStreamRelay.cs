using System.Buffers;
using System.IO.Pipelines;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Clients;
namespace Switchyard.Providers.OpenAI;

/// <summary>
/// OpenAI's stream to the client: same-format events are relayed as their bytes (<c>data: …</c>, each flushed so the
/// client sees each token as it arrives); translated ones (with canonical deltas) are written as OpenAI chunks.
/// </summary>
internal sealed class OpenAIStreamRelay(bool includeUsage, OpenAIChunkWriter? chunks) : IStreamRelay
{
    private static readonly OpenAIStreamRelay _withUsage = new(includeUsage: true, null);
    private static readonly OpenAIStreamRelay _withoutUsage = new(includeUsage: false, null);
    private static readonly byte[] _dataPrefix = "data: "u8.ToArray();
    private static readonly byte[] _eventEnd = "\n\n"u8.ToArray();
    private static readonly byte[] _done = "data: [DONE]\n\n"u8.ToArray();

    /// <summary>The relay of one stream; a same-format one (no <paramref name="chunks"/>) is shared, it holds no state.</summary>
    public static OpenAIStreamRelay For(bool includeUsage, OpenAIChunkWriter? chunks) =>
        chunks is not null ? new OpenAIStreamRelay(includeUsage, chunks) : includeUsage ? _withUsage : _withoutUsage;

    public ValueTask<FlushResult> WriteEventAsync(PipeWriter writer, StreamEvent evt, CancellationToken cancellationToken)
    {
        if (chunks is null || evt.Deltas is not { } deltas)
        {
            // The usage chunk the gateway asked for on the client's behalf is not the client's to see.
            return evt.IsUsageOnly && !includeUsage ? default : WriteBytesAsync(writer, evt, cancellationToken);
        }

        foreach (var delta in deltas)
        {
            chunks.Write(delta, writer);
        }

        if (evt.IsDone)
        {
            chunks.Finish(writer);
        }

        return writer.FlushAsync(cancellationToken);
    }

    public ValueTask<FlushResult> WriteEndAsync(PipeWriter writer, CancellationToken cancellationToken)
    {
        if (chunks is null)
        {
            writer.Write(_done);
            return writer.FlushAsync(cancellationToken);
        }

        if (chunks.Finished)
        {
            return default;
        }

        chunks.Finish(writer);
        return writer.FlushAsync(cancellationToken);
    }

    /// <summary>A stream that broke after bytes reached the client can only end with an error event (SDKs raise it).</summary>
    public async ValueTask WriteInterruptedAsync(PipeWriter writer, string message)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        OpenAIClientFormat.WriteEnvelope(buffer, message, "server_error", null, "stream_interrupted");
        await WriteBytesAsync(writer, new StreamEvent(buffer.WrittenMemory, false, false, 0), CancellationToken.None);
    }

    /// <summary>Writes one event as its bytes and flushes it.</summary>
    private static ValueTask<FlushResult> WriteBytesAsync(PipeWriter writer, in StreamEvent evt, CancellationToken cancellationToken)
    {
        if (evt.IsDone)
        {
            writer.Write(_done);
        }
        else
        {
            var data = evt.Data.Span;
            var span = writer.GetSpan(data.Length + 8);
            _dataPrefix.CopyTo(span);
            data.CopyTo(span[6..]);
            _eventEnd.CopyTo(span[(6 + data.Length)..]);
            writer.Advance(data.Length + 8);
        }

        return writer.FlushAsync(cancellationToken);
    }
}
