using System.Text;
using Switchyard.Providers.Bedrock;
using Switchyard.Providers.Sse;
using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Providers.Tests.Bedrock;

/// <summary>The AWS event-stream decoder: whole messages whatever the chunking, both CRCs checked, names as AWS's JSON shapes give them.</summary>
public sealed class EventStreamReaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] Stream => [.. FakeBedrockUpstream.StreamFrames("get_weather", "").SelectMany(f => f)];

    private static async Task<(List<(string Name, string Data)> Events, SseEnd End)> ReadAllAsync(byte[] bytes, IEnumerable<int> cuts)
    {
        using var reader = new EventStreamReader(new ChunkedStream(bytes, cuts));
        var events = new List<(string, string)>();
        while (await reader.ReadAsync(Ct) is { } evt)
        {
            events.Add((Encoding.UTF8.GetString(evt.EventName.Span), Encoding.UTF8.GetString(evt.Data.Span)));
        }

        return (events, reader.End);
    }

    [Fact]
    public async Task Read_SplitAtEveryByte_SameEvents()
    {
        var bytes = Stream;
        var (reference, end) = await ReadAllAsync(bytes, []);

        Assert.Equal(SseEnd.Clean, end);
        Assert.Equal(["messageStart", "contentBlockStart", "contentBlockDelta", "contentBlockDelta", "contentBlockStop", "messageStop", "metadata"], reference.Select(e => e.Name));
        Assert.StartsWith("{\"contentBlockDelta\":{\"contentBlockIndex\":0,\"delta\":{\"toolUse\":{\"input\":", reference[2].Data, StringComparison.Ordinal);
        Assert.Equal(reference, (await ReadAllAsync(bytes, Enumerable.Range(1, bytes.Length - 1))).Events);
        for (var cut = 1; cut < bytes.Length; cut++)
        {
            Assert.Equal(reference, (await ReadAllAsync(bytes, [cut])).Events);
        }
    }

    [Theory]
    [InlineData(9)]
    [InlineData(40)]
    public async Task Read_CorruptedCrc_EndsCorrupt(int offset)
    {
        // Byte 9 is in the prelude's CRC; byte 40 in the first message's headers (covered by the message CRC).
        var bytes = Stream;
        bytes[offset] ^= 0x5A;

        var (events, end) = await ReadAllAsync(bytes, []);

        Assert.Empty(events);
        Assert.Equal(SseEnd.Corrupt, end);
    }

    [Fact]
    public async Task Read_CutMidMessage_EndsTruncatedAfterTheWholeOnes()
    {
        var first = FakeBedrockUpstream.StreamFrames(null, "Hi").First();
        var (events, end) = await ReadAllAsync([.. first, .. Stream.AsSpan(0, 20)], []);

        Assert.Single(events);
        Assert.Equal(SseEnd.Truncated, end);
    }

    [Fact]
    public async Task Read_ExceptionMessage_NamedByItsExceptionType()
    {
        var (events, _) = await ReadAllAsync(EventStreamFrames.Exception("throttlingException", """{"message":"Too many tokens"}"""), []);

        Assert.Equal("""{"throttlingException":{"message":"Too many tokens"}}""", Assert.Single(events).Data);
    }
}
