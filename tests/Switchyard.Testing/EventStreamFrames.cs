using System.Buffers.Binary;
using System.IO.Hashing;
using System.Text;

namespace Switchyard.Testing;

/// <summary>
/// Writes AWS event-stream messages (<c>application/vnd.amazon.eventstream</c>) as Bedrock's ConverseStream sends
/// them: prelude (total length, headers length, CRC-32 of both), string headers (<c>:event-type</c>,
/// <c>:content-type</c>, <c>:message-type</c>), the JSON payload, and the message CRC-32.
/// </summary>
public static class EventStreamFrames
{
    /// <summary>An <c>event</c> message of the given type.</summary>
    public static byte[] Event(string eventType, string json) =>
        Message([(":event-type", eventType), (":content-type", "application/json"), (":message-type", "event")], json);

    /// <summary>An <c>exception</c> message (e.g. <c>throttlingException</c>).</summary>
    public static byte[] Exception(string exceptionType, string json) =>
        Message([(":exception-type", exceptionType), (":content-type", "application/json"), (":message-type", "exception")], json);

    public static byte[] Message(IEnumerable<(string Name, string Value)> headers, string json)
    {
        using var head = new MemoryStream();
        foreach (var (name, value) in headers)
        {
            var n = Encoding.UTF8.GetBytes(name);
            var v = Encoding.UTF8.GetBytes(value);
            head.WriteByte((byte)n.Length);
            head.Write(n);
            head.WriteByte(7);
            head.WriteByte((byte)(v.Length >> 8));
            head.WriteByte((byte)v.Length);
            head.Write(v);
        }

        var payload = Encoding.UTF8.GetBytes(json);
        var headerBytes = head.ToArray();
        var total = 12 + headerBytes.Length + payload.Length + 4;
        var message = new byte[total];
        BinaryPrimitives.WriteInt32BigEndian(message, total);
        BinaryPrimitives.WriteInt32BigEndian(message.AsSpan(4), headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(8), Crc32.HashToUInt32(message.AsSpan(0, 8)));
        headerBytes.CopyTo(message, 12);
        payload.CopyTo(message, 12 + headerBytes.Length);
        BinaryPrimitives.WriteUInt32BigEndian(message.AsSpan(total - 4), Crc32.HashToUInt32(message.AsSpan(0, total - 4)));
        return message;
    }
}
