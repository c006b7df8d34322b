namespace Switchyard.Testing;

/// <summary>A stream that returns its bytes cut at the given offsets (each read ends at the next cut).</summary>
public sealed class ChunkedStream(byte[] data, IEnumerable<int> cuts) : Stream
{
    private readonly Queue<int> _cuts = new(cuts.Order());
    private int _position;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        while (_cuts.Count > 0 && _cuts.Peek() <= _position)
        {
            _cuts.Dequeue();
        }

        var end = _cuts.Count > 0 ? _cuts.Peek() : data.Length;
        var n = Math.Min(buffer.Length, end - _position);
        data.AsSpan(_position, n).CopyTo(buffer);
        _position += n;
        return n;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) => new(Read(buffer.Span));

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => data.Length;
    public override long Position { get => _position; set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}
