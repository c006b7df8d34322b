using System.Buffers;

namespace Switchyard.Providers.Sse;

/// <summary>One server-sent event: its <c>data</c> (lines joined by \n) and its <c>event</c> name, if any.</summary>
public readonly record struct SseEvent(ReadOnlyMemory<byte> Data, ReadOnlyMemory<byte> EventName);

/// <summary>Why a reader stopped.</summary>
public enum SseEnd
{
    None,
    Clean,

    /// <summary>The stream ended in the middle of an event.</summary>
    Truncated,

    /// <summary>One event exceeded the size limit.</summary>
    TooLarge,

    /// <summary>A binary frame failed its checksum or was malformed (Bedrock's event stream).</summary>
    Corrupt,
}

/// <summary>
/// Splits a byte stream into server-sent events with one pooled buffer, whatever the chunking: events split
/// across reads, mid-line or mid-UTF-8 sequence, come out whole. The returned memory is valid until the next
/// read; nothing is buffered beyond the current event.
/// </summary>
public sealed class SseEventReader : IEventReader
{
    private const int InitialBufferSize = 16 * 1024;
    private readonly Stream _stream;
    private readonly int _maxEventBytes;
    private byte[] _buffer;
    private byte[]? _scratch;
    private int _start;
    private int _end;
    private bool _eof;

    public SseEventReader(Stream stream, int maxEventBytes = 8 * 1024 * 1024)
    {
        _stream = stream;
        _maxEventBytes = maxEventBytes;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    public SseEnd End { get; private set; }

    /// <summary>Reads the next event that carries data (comments and keep-alives are skipped); null at the end.</summary>
    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var (found, eventEnd, next) = FindEventEnd(_buffer.AsSpan(_start, _end - _start));
            if (found)
            {
                // The same limit whatever the chunking: an event that arrived in one read is held to it too.
                if (next > _maxEventBytes)
                {
                    End = SseEnd.TooLarge;
                    return null;
                }

                var evt = Parse(_start, _start + eventEnd);
                _start += next;
                if (evt is { } e && (!e.Data.IsEmpty || !e.EventName.IsEmpty))
                {
                    return e;
                }

                continue;
            }

            if (_eof)
            {
                var rest = _buffer.AsSpan(_start, _end - _start);
                if (rest.Trim("\r\n "u8).IsEmpty)
                {
                    End = SseEnd.Clean;
                    return null;
                }

                // A last event without its blank line: accepted if it is complete lines, flagged otherwise.
                var evt = Parse(_start, _end);
                _start = _end;
                if (rest[^1] == (byte)'\n' && evt is { } e && !e.Data.IsEmpty)
                {
                    return e;
                }

                End = SseEnd.Truncated;
                return null;
            }

            if (_end - _start >= _maxEventBytes)
            {
                End = SseEnd.TooLarge;
                return null;
            }

            Compact();
            var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
            if (read == 0)
            {
                _eof = true;
            }

            _end += read;
        }
    }

    /// <summary>Finds the blank line ending an event: \n\n, \r\n\r\n, or \r\r.</summary>
    private static (bool Found, int EventEnd, int Next) FindEventEnd(ReadOnlySpan<byte> span)
    {
        for (var i = 0; i < span.Length; i++)
        {
            var c = span[i];
            if (c == (byte)'\n')
            {
                if (i + 1 < span.Length && span[i + 1] == (byte)'\n')
                {
                    return (true, i, i + 2);
                }

                if (i + 2 < span.Length && span[i + 1] == (byte)'\r' && span[i + 2] == (byte)'\n')
                {
                    return (true, i, i + 3);
                }
            }
            else if (c == (byte)'\r' && i + 1 < span.Length && span[i + 1] == (byte)'\r')
            {
                return (true, i, i + 2);
            }
        }

        return (false, 0, 0);
    }

    private SseEvent? Parse(int from, int to)
    {
        var span = _buffer.AsSpan(from, to - from);
        ReadOnlyMemory<byte> data = default;
        ReadOnlyMemory<byte> name = default;
        var dataLines = 0;
        var scratchLength = 0;
        var offset = 0;
        while (offset < span.Length)
        {
            var lineEnd = span[offset..].IndexOfAny((byte)'\n', (byte)'\r');
            var line = lineEnd < 0 ? span[offset..] : span.Slice(offset, lineEnd);
            var lineStart = from + offset;
            offset = lineEnd < 0 ? span.Length : offset + lineEnd + 1;
            if (lineEnd >= 0 && span[offset - 1] == (byte)'\r' && offset < span.Length && span[offset] == (byte)'\n')
            {
                offset++;
            }

            if (line.IsEmpty || line[0] == (byte)':')
            {
                continue;
            }

            var colon = line.IndexOf((byte)':');
            var field = colon < 0 ? line : line[..colon];
            var valueStart = colon < 0 ? line.Length : colon + 1;
            if (valueStart < line.Length && line[valueStart] == (byte)' ')
            {
                valueStart++;
            }

            var value = _buffer.AsMemory(lineStart + valueStart, line.Length - valueStart);
            if (field.SequenceEqual("data"u8))
            {
                dataLines++;
                if (dataLines == 1)
                {
                    data = value;
                }
                else
                {
                    // Several data lines: join them with \n in a scratch buffer (rare; OpenAI and Anthropic send one).
                    if (dataLines == 2)
                    {
                        scratchLength = 0;
                        EnsureScratch(data.Length);
                        data.Span.CopyTo(_scratch);
                        scratchLength = data.Length;
                    }

                    EnsureScratch(scratchLength + 1 + value.Length);
                    _scratch![scratchLength++] = (byte)'\n';
                    value.Span.CopyTo(_scratch.AsSpan(scratchLength));
                    scratchLength += value.Length;
                    data = _scratch.AsMemory(0, scratchLength);
                }
            }
            else if (field.SequenceEqual("event"u8))
            {
                name = value;
            }
        }

        return new SseEvent(data, name);
    }

    private void EnsureScratch(int size)
    {
        if (_scratch is null || _scratch.Length < size)
        {
            var next = ArrayPool<byte>.Shared.Rent(Math.Max(size, 4096));
            if (_scratch is not null)
            {
                _scratch.AsSpan().CopyTo(next);
                ArrayPool<byte>.Shared.Return(_scratch);
            }

            _scratch = next;
        }
    }

    private void Compact()
    {
        if (_start > 0)
        {
            _buffer.AsSpan(_start, _end - _start).CopyTo(_buffer);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            var bigger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
            _buffer.AsSpan(0, _end).CopyTo(bigger);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        if (_scratch is not null)
        {
            ArrayPool<byte>.Shared.Return(_scratch);
            _scratch = null;
        }
    }
}
