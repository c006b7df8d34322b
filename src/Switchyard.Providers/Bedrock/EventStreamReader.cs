using System.Buffers;
using System.Buffers.Binary;
using System.IO.Hashing;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.Bedrock;

/// <summary>
/// Decodes AWS's binary event stream (<c>application/vnd.amazon.eventstream</c>), the framing of Bedrock's
/// <c>ConverseStream</c>, incrementally and whatever the chunking. A message is a 12-byte prelude (total length,
/// headers length, CRC-32 of those 8 bytes), headers (name, type, value), the payload, and a CRC-32 of everything
/// before it; both CRCs are checked, and a bad one ends the stream as <see cref="SseEnd.Corrupt"/>.
/// Each message comes out as one event whose data is the payload under its union member's name, as AWS's JSON
/// shapes name stream events — <c>{"contentBlockDelta":{…}}</c>, <c>{"throttlingException":{…}}</c> — and whose
/// name is the <c>:event-type</c>. One pooled buffer; the returned memory is valid until the next read.
/// </summary>
public sealed class EventStreamReader : IEventReader
{
    /// <summary>AWS's limit on one message (16 MiB of payload plus its prelude, headers and CRC).</summary>
    public const int MaxMessageBytes = 16 * 1024 * 1024 + 128 * 1024;

    private const int PreludeBytes = 12;
    private const int InitialBufferSize = 16 * 1024;
    private readonly Stream _stream;
    private readonly ArrayBufferWriter<byte> _event = new(1024);
    private byte[] _buffer;
    private int _start;
    private int _end;
    private bool _eof;

    public EventStreamReader(Stream stream)
    {
        _stream = stream;
        _buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
    }

    public SseEnd End { get; private set; }

    public async ValueTask<SseEvent?> ReadAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var available = _end - _start;
            var total = 0;
            if (available >= PreludeBytes)
            {
                var prelude = _buffer.AsSpan(_start, PreludeBytes);
                total = BinaryPrimitives.ReadInt32BigEndian(prelude);
                var headersLength = BinaryPrimitives.ReadInt32BigEndian(prelude[4..]);
                if (Crc32.HashToUInt32(prelude[..8]) != BinaryPrimitives.ReadUInt32BigEndian(prelude[8..]))
                {
                    return Stop(SseEnd.Corrupt);
                }

                if (total > MaxMessageBytes)
                {
                    return Stop(SseEnd.TooLarge);
                }

                if (total < PreludeBytes + 4 || headersLength < 0 || headersLength > total - PreludeBytes - 4)
                {
                    return Stop(SseEnd.Corrupt);
                }

                if (available >= total)
                {
                    var message = _buffer.AsSpan(_start, total);
                    _start += total;
                    if (Crc32.HashToUInt32(message[..^4]) != BinaryPrimitives.ReadUInt32BigEndian(message[^4..]))
                    {
                        return Stop(SseEnd.Corrupt);
                    }

                    return Decode(message[PreludeBytes..(PreludeBytes + headersLength)], message[(PreludeBytes + headersLength)..^4]) ?? Stop(SseEnd.Corrupt);
                }
            }

            if (_eof)
            {
                return Stop(available == 0 ? SseEnd.Clean : SseEnd.Truncated);
            }

            await FillAsync(Math.Max(total, PreludeBytes), cancellationToken);
        }
    }

    private SseEvent? Stop(SseEnd end)
    {
        End = end;
        return null;
    }

    /// <summary>Reads more bytes, making room for a message of <paramref name="needed"/> bytes from the current start.</summary>
    private async ValueTask FillAsync(int needed, CancellationToken cancellationToken)
    {
        if (_buffer.Length - _start < needed || _end == _buffer.Length)
        {
            var length = _end - _start;
            var target = _buffer.Length >= needed && length < _buffer.Length ? _buffer : ArrayPool<byte>.Shared.Rent(Math.Max(needed, _buffer.Length * 2));
            Buffer.BlockCopy(_buffer, _start, target, 0, length);
            if (!ReferenceEquals(target, _buffer))
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = target;
            }

            _start = 0;
            _end = length;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), cancellationToken);
        if (read == 0)
        {
            _eof = true;
        }

        _end += read;
    }

    /// <summary>The message as one event; null when its headers are malformed.</summary>
    private SseEvent? Decode(ReadOnlySpan<byte> headers, ReadOnlySpan<byte> payload)
    {
        ReadOnlySpan<byte> messageType = default, eventType = default, exceptionType = default, errorCode = default;
        while (!headers.IsEmpty)
        {
            var nameLength = headers[0];
            if (headers.Length < 2 + nameLength)
            {
                return null;
            }

            var name = headers.Slice(1, nameLength);
            var type = headers[1 + nameLength];
            headers = headers[(2 + nameLength)..];
            int size;
            switch (type)
            {
                case 0 or 1:
                    size = 0;
                    break;
                case 2:
                    size = 1;
                    break;
                case 3:
                    size = 2;
                    break;
                case 4:
                    size = 4;
                    break;
                case 5 or 8:
                    size = 8;
                    break;
                case 9:
                    size = 16;
                    break;
                case 6 or 7:
                    if (headers.Length < 2)
                    {
                        return null;
                    }

                    size = 2 + BinaryPrimitives.ReadUInt16BigEndian(headers);
                    break;
                default:
                    return null;
            }

            if (headers.Length < size)
            {
                return null;
            }

            if (type == 7)
            {
                var value = headers[2..size];
                if (name.SequenceEqual(":message-type"u8))
                {
                    messageType = value;
                }
                else if (name.SequenceEqual(":event-type"u8))
                {
                    eventType = value;
                }
                else if (name.SequenceEqual(":exception-type"u8))
                {
                    exceptionType = value;
                }
                else if (name.SequenceEqual(":error-code"u8))
                {
                    errorCode = value;
                }
            }

            headers = headers[size..];
        }

        _event.ResetWrittenCount();
        if (messageType.SequenceEqual("error"u8))
        {
            // A transport-level error carries its code (and a message, not relayed) in headers, and no payload.
            Append("{\""u8);
            Append(errorCode.IsEmpty ? "error"u8 : errorCode);
            Append("\":{}}"u8);
            return new SseEvent(_event.WrittenMemory, default);
        }

        var member = messageType.SequenceEqual("exception"u8) ? exceptionType : eventType;
        if (member.IsEmpty)
        {
            return null;
        }

        Append("{\""u8);
        Append(member);
        Append("\":"u8);
        Append(payload.IsEmpty ? "{}"u8 : payload);
        Append("}"u8);
        var data = _event.WrittenMemory;
        return new SseEvent(data, data.Slice(2, member.Length));
    }

    private void Append(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_event.GetSpan(bytes.Length));
        _event.Advance(bytes.Length);
    }

    public void Dispose()
    {
        if (_buffer.Length > 0)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = [];
        }
    }
}
