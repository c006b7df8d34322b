using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Translation;

/// <summary>Turns the events of one upstream stream (its own wire format) into canonical deltas; one instance per stream.</summary>
public interface IStreamDecoder
{
    /// <summary>Appends the deltas of one event's <c>data</c>; false when the event is not of the format (nothing appended).</summary>
    bool Decode(ReadOnlyMemory<byte> data, List<StreamDelta> output);
}

/// <summary>
/// Wraps an upstream stream whose format is not the client's: each event keeps its bytes (for accounting) and
/// carries its canonical <see cref="StreamEvent.Deltas"/>, decoded as it passes; nothing is buffered beyond the
/// current event. An event the decoder cannot read ends the stream as <see cref="DispatchStatus.InvalidResponse"/>.
/// </summary>
public sealed class TranslatingStream : IUpstreamStream
{
    private readonly IUpstreamStream _inner;
    private readonly IStreamDecoder _decoder;
    private readonly List<StreamDelta> _deltas = [];
    private DispatchStatus? _failure;

    public TranslatingStream(IUpstreamStream inner, IStreamDecoder decoder)
    {
        _inner = inner;
        _decoder = decoder;
    }

    public StreamEvent Current { get; private set; }

    public Usage? Usage => _inner.Usage;

    public int ContentChars => _inner.ContentChars;

    public DispatchStatus? Failure => _failure ?? _inner.Failure;

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_failure is not null || !await _inner.ReadAsync(cancellationToken))
        {
            return false;
        }

        var evt = _inner.Current;
        // The delta list is reused: like the event's memory, it is valid until the next read.
        _deltas.Clear();
        if (!evt.Data.IsEmpty && !(evt.IsDone && evt.Data.Span.SequenceEqual("[DONE]"u8)) && !_decoder.Decode(evt.Data, _deltas))
        {
            _failure = DispatchStatus.InvalidResponse;
            return false;
        }

        Current = evt with { Deltas = _deltas };
        return true;
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
