using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Xunit;

namespace Switchyard.Core.Tests.Ledger;

public sealed class LedgerCodecTests
{
    [Fact]
    public void Day_AcrossMidnightAndBack_EachTimestampGetsItsOwnUtcDay()
    {
        var lateOn21 = new DateTimeOffset(2026, 11, 21, 23, 59, 59, TimeSpan.Zero);
        var earlyOn22 = new DateTimeOffset(2026, 11, 22, 0, 0, 0, TimeSpan.Zero);
        // A local offset: the key is the UTC day (this is 2026-11-21T23:30Z).
        var eveningInNewYork = new DateTimeOffset(2026, 11, 21, 18, 30, 0, TimeSpan.FromHours(-5));

        Assert.Equal("2026-11-21", LedgerCodec.Day(lateOn21));
        Assert.Equal("2026-11-21", LedgerCodec.Day(lateOn21.AddHours(-5)));
        Assert.Equal("2026-11-22", LedgerCodec.Day(earlyOn22));
        Assert.Equal("2026-11-21", LedgerCodec.Day(eveningInNewYork));
        Assert.Equal("2026-11-22", LedgerCodec.Day(earlyOn22.AddHours(12)));
        Assert.Equal("2026-11-21", LedgerCodec.Day(lateOn21));
    }

    [Fact]
    public void EncodeAttempts_RoundTripsThroughDecode()
    {
        var attempts = new List<AttemptRecord>
        {
            new("dep-a", "Timeout", 0, 1500.5),
            new("dep-b", "Success", 200, 12.25),
        };

        var json = LedgerCodec.EncodeAttempts(attempts);
        var back = LedgerCodec.DecodeAttempts(json);

        Assert.Equal(attempts, back);
        Assert.Equal("[]", LedgerCodec.EncodeAttempts([]));
    }
}
