using System.Text;
using Switchyard.Providers.Sse;
using Xunit;

namespace Switchyard.Providers.Tests.Sse;

public sealed class SseEventReaderTests
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(10);

    private const string Wire =
        ": keep-alive\n\n" +
        "event: message_start\ndata: {\"type\":\"message_start\"}\n\n" +
        "data: first line\ndata: second line\n\n" +
        "data: crlf one\r\ndata: crlf two\r\n\r\n" +
        ":comment\r\n\r\n" +
        "data: {\"content\":\"héllo ✓ 😀 日本\"}\n\n" +
        "data:no-space\n\n" +
        "event: ping\n\n" +
        ": another keep-alive\n" +
        "data: after comment line\n\n" +
        "data: [DONE]\n\n";

    private static readonly (string Name, string Data)[] _expected =
    [
        ("message_start", "{\"type\":\"message_start\"}"),
        ("", "first line\nsecond line"),
        ("", "crlf one\ncrlf two"),
        ("", "{\"content\":\"héllo ✓ 😀 日本\"}"),
        ("", "no-space"),
        ("ping", ""),
        ("", "after comment line"),
        ("", "[DONE]"),
    ];

    /// <summary>Returns its bytes in the given chunk sizes (the last size repeats), never more than asked.</summary>
    private sealed class ChunkedStream(byte[] data, IReadOnlyList<int> sizes) : Stream
    {
        private int _position;
        private int _read;

        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => data.Length;
        public override long Position { get => _position; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            var size = sizes[Math.Min(_read++, sizes.Count - 1)];
            var n = Math.Min(Math.Min(size, buffer.Length), data.Length - _position);
            data.AsSpan(_position, n).CopyTo(buffer);
            _position += n;
            return n;
        }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Read(buffer.Span));

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            Task.FromResult(Read(buffer.AsSpan(offset, count)));

        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static async Task<(List<(string Name, string Data)> Events, SseEnd End)> ReadAllAsync(byte[] bytes, IReadOnlyList<int> sizes, int maxEventBytes = 8 * 1024 * 1024)
    {
        using var reader = new SseEventReader(new ChunkedStream(bytes, sizes), maxEventBytes);
        var events = new List<(string, string)>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken).AsTask().WaitAsync(_timeout, TestContext.Current.CancellationToken) is { } e)
        {
            events.Add((Encoding.UTF8.GetString(e.EventName.Span), Encoding.UTF8.GetString(e.Data.Span)));
        }

        return (events, reader.End);
    }

    [Fact]
    public async Task ReadAsync_WholeStreamInOneRead_ParsesEveryEvent()
    {
        var (events, end) = await ReadAllAsync(Encoding.UTF8.GetBytes(Wire), [int.MaxValue]);

        Assert.Equal(_expected, events);
        Assert.Equal(SseEnd.Clean, end);
    }

    [Fact]
    public async Task ReadAsync_SplitAtEveryBoundary_SameEvents()
    {
        var bytes = Encoding.UTF8.GetBytes(Wire);
        for (var split = 1; split < bytes.Length; split++)
        {
            var (events, end) = await ReadAllAsync(bytes, [split, int.MaxValue]);

            Assert.True(_expected.SequenceEqual(events), $"split at byte {split}");
            Assert.Equal(SseEnd.Clean, end);
        }
    }

    [Fact]
    public async Task ReadAsync_OneByteAtATime_SameEvents()
    {
        var (events, end) = await ReadAllAsync(Encoding.UTF8.GetBytes(Wire), [1]);

        Assert.Equal(_expected, events);
        Assert.Equal(SseEnd.Clean, end);
    }

    [Fact]
    public async Task ReadAsync_RandomChunkSizes_SameEvents()
    {
        var bytes = Encoding.UTF8.GetBytes(Wire);
        for (var seed = 0; seed < 200; seed++)
        {
            var random = new Random(seed);
            var sizes = Enumerable.Range(0, bytes.Length).Select(_ => random.Next(1, 24)).ToList();

            var (events, end) = await ReadAllAsync(bytes, sizes);

            Assert.True(_expected.SequenceEqual(events), $"seed {seed}");
            Assert.Equal(SseEnd.Clean, end);
        }
    }

    [Fact]
    public async Task ReadAsync_EventsLargerThanInitialBuffer_ComeOutWhole()
    {
        var big = new string('x', 40_000) + "é";
        var bytes = Encoding.UTF8.GetBytes($"data: {big}\n\ndata: {big}\ndata: tail\n\ndata: [DONE]\n\n");

        var (events, end) = await ReadAllAsync(bytes, [4093]);

        Assert.Equal([("", big), ("", big + "\ntail"), ("", "[DONE]")], events);
        Assert.Equal(SseEnd.Clean, end);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(5)]
    public async Task ReadAsync_FinalEventCutMidLine_EndsTruncated(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes("data: {\"a\":1}\n\ndata: {\"choices\":[{\"delta\":{\"content\":\"hal");

        var (events, end) = await ReadAllAsync(bytes, [chunk]);

        Assert.Equal([("", "{\"a\":1}")], events);
        Assert.Equal(SseEnd.Truncated, end);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    public async Task ReadAsync_FinalEventWithNewlineButNoBlankLine_Accepted(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes("data: one\n\ndata: [DONE]\n");

        var (events, end) = await ReadAllAsync(bytes, [chunk]);

        Assert.Equal([("", "one"), ("", "[DONE]")], events);
        Assert.Equal(SseEnd.Clean, end);
    }

    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(1)]
    [InlineData(7)]
    public async Task ReadAsync_EventLargerThanLimit_EndsTooLargeWhateverTheChunking(int chunk)
    {
        var bytes = Encoding.UTF8.GetBytes("data: small\n\ndata: " + new string('a', 500) + "\n\ndata: never\n\n");

        var (events, end) = await ReadAllAsync(bytes, [chunk], maxEventBytes: 128);

        Assert.Equal([("", "small")], events);
        Assert.Equal(SseEnd.TooLarge, end);
    }

    [Fact]
    public async Task ReadAsync_EmptyStream_EndsClean()
    {
        var (events, end) = await ReadAllAsync([], [1]);

        Assert.Empty(events);
        Assert.Equal(SseEnd.Clean, end);
    }

    [Fact]
    public async Task ReadAsync_OnlyKeepAlives_NoEventsAndClean()
    {
        var (events, end) = await ReadAllAsync(Encoding.UTF8.GetBytes(": ping\n\n: ping\r\n\r\n\n"), [3]);

        Assert.Empty(events);
        Assert.Equal(SseEnd.Clean, end);
    }
}
