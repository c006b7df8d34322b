using System.Buffers;
using System.Text;
using System.Text.Json;

namespace Switchyard.Core.Common;

/// <summary>
/// Small JSON documents written straight to a string (ledger columns such as the route candidates and the attempts):
/// one reusable buffer and writer per thread instead of a stream, its array copy and a writer per document.
/// </summary>
public static class JsonText
{
    /// <summary>A buffer that grew past this (an unusually large document) is not kept for the next one.</summary>
    private const int KeepCapacity = 16 * 1024;

    [ThreadStatic]
    private static ArrayBufferWriter<byte>? _buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? _writer;

    [ThreadStatic]
    private static bool _busy;

    /// <summary>The UTF-16 text of what <paramref name="write"/> writes for <paramref name="state"/>.</summary>
    public static string Write<TState>(TState state, Action<Utf8JsonWriter, TState> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        if (_busy)
        {
            // Called from inside another document's callback on this thread: the shared pair is in use.
            var own = new ArrayBufferWriter<byte>();
            using (var w = new Utf8JsonWriter(own))
            {
                write(w, state);
            }

            return Encoding.UTF8.GetString(own.WrittenSpan);
        }

        var buffer = _buffer ??= new ArrayBufferWriter<byte>(1024);
        var writer = _writer ??= new Utf8JsonWriter(buffer);
        _busy = true;
        try
        {
            buffer.ResetWrittenCount();
            writer.Reset(buffer);
            write(writer, state);
            writer.Flush();
            return Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
        finally
        {
            _busy = false;
            if (buffer.Capacity > KeepCapacity)
            {
                _buffer = null;
                _writer = null;
            }
        }
    }
}
