using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using Xunit;

namespace Switchyard.Core.Tests.Tenancy;

public sealed class RateLimiterTests
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 21, 10, 0, 5, TimeSpan.Zero);
    private static readonly RateLimit[] _rpm100 = [new RateLimit("team:t", "team 't'", 100, null, null)];

    [Fact]
    public void Check_CountsNothing_SaysWhichLimitRefusesAndTheWaitUntilTheMinuteTurns()
    {
        var limiter = new RateLimiter();
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 15, TimeSpan.Zero);
        var limit = new RateLimit("deployment:d", "d", 2, 100, null);

        Assert.Equal(RateRefusal.None, limiter.Check(limit, now, out _));
        Assert.Equal(RateRefusal.None, limiter.Check(limit, now, out _));
        Assert.Equal(0, limiter.Usage("deployment:d", now).Requests);
        Assert.True(limiter.TryAcquire([limit], 60, now).Allowed);
        Assert.True(limiter.TryAcquire([limit], 60, now).Allowed);

        Assert.Equal(RateRefusal.Requests, limiter.Check(limit, now, out var wait));
        Assert.Equal(TimeSpan.FromSeconds(45), wait);
        Assert.Equal(RateRefusal.Tokens, limiter.Check(limit with { RequestsPerMinute = null }, now, out _));
        var refused = limiter.TryAcquire([limit with { RequestsPerMinute = null }], 1, now);
        Assert.Equal(RateRefusal.Tokens, refused.Refusal);
        // No concurrency cap on this scope: the limiter leaves in-flight to whoever counts it (a deployment's own state).
        Assert.Equal(new RateCounter("deployment:d", 0, 2, 120, 0) with { WindowStartUnixSeconds = now.ToUnixTimeSeconds() - 15 },
            limiter.Usage("deployment:d", now));
        var capped = new RateLimit("key:k", "k", null, null, 5);
        Assert.True(limiter.TryAcquire([capped], 1, now).Allowed);
        Assert.Equal(1, limiter.Usage("key:k", now).InFlight);
        limiter.Release([capped], now, 1, 1);
        Assert.Equal(0, limiter.Usage("key:k", now).InFlight);
    }

    [Fact]
    public void TryAcquire_OneReplica_AdmitsExactlyTheLimitThenRefusesUntilTheNextMinute()
    {
        var limiter = new RateLimiter();

        var admitted = Enumerable.Range(0, 150).Count(_ => limiter.TryAcquire(_rpm100, 10, _t0).Allowed);
        var refused = limiter.TryAcquire(_rpm100, 10, _t0);
        var nextMinute = limiter.TryAcquire(_rpm100, 10, _t0.AddSeconds(55));

        Assert.Equal(100, admitted);
        Assert.Equal(("team 't'", "requests per minute", TimeSpan.FromSeconds(55)), (refused.RefusedLabel, refused.RefusedKind, refused.RetryAfter));
        Assert.True(nextMinute.Allowed);
        Assert.Equal(99, nextMinute.RemainingRequests);
    }

    [Fact]
    public void TryAcquire_ConcurrencyLimit_ReleasedSlotIsReused()
    {
        var limiter = new RateLimiter();
        RateLimit[] two = [new RateLimit("key:k", "key 'k'", null, null, 2)];

        Assert.True(limiter.TryAcquire(two, 1, _t0).Allowed);
        Assert.True(limiter.TryAcquire(two, 1, _t0).Allowed);
        Assert.False(limiter.TryAcquire(two, 1, _t0).Allowed);
        limiter.Release(two, _t0, 1, 1);
        Assert.True(limiter.TryAcquire(two, 1, _t0).Allowed);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 3)]
    [InlineData(4, 11)]
    public void TryAcquire_ReplicasExchangingWithStaleCounts_AdmittedStayWithinTolerance(int replicas, int seed)
    {
        var limiters = Enumerable.Range(0, replicas).Select(_ => new RateLimiter()).ToArray();
        var pushed = new RateCounter[replicas];
        var random = new Random(seed);
        var admitted = 0;
        // A replica exchanges once at start-up, before it serves: it knows how many replicas share the limit.
        foreach (var limiter in limiters)
        {
            limiter.ApplyRemote([], replicas, _t0);
        }

        for (var step = 0; step < 4000; step++)
        {
            var r = random.Next(replicas);
            if (random.Next(20) == 0)
            {
                // An exchange: publish this replica's counters, read the others' last published ones.
                pushed[r] = limiters[r].Snapshot(_t0).SingleOrDefault(c => c.Scope == "team:t");
                var others = pushed.Where((_, i) => i != r && pushed[i].Scope is not null).ToList();
                var sum = new RateCounter("team:t", others.FirstOrDefault().WindowStartUnixSeconds, others.Sum(o => o.Requests), 0, 0);
                limiters[r].ApplyRemote(others.Count == 0 ? [] : [sum], replicas, _t0);
            }
            else if (limiters[r].TryAcquire(_rpm100, 1, _t0).Allowed)
            {
                admitted++;
            }
        }

        Assert.InRange(admitted, 80, 100 + 10 + replicas);
    }

    [Theory]
    [InlineData(2, 1)]
    [InlineData(2, 7)]
    [InlineData(3, 3)]
    [InlineData(4, 11)]
    public void TryAcquire_TokensAcrossReplicasExchangingWithStaleCounts_ReservedStayWithinTolerance(int replicas, int seed)
    {
        RateLimit[] tpm = [new RateLimit("deployment:d", "d", null, 10_000, null)];
        var limiters = Enumerable.Range(0, replicas).Select(_ => new RateLimiter()).ToArray();
        var pushed = new RateCounter[replicas];
        var random = new Random(seed);
        long reserved = 0;
        var largest = 0;
        foreach (var limiter in limiters)
        {
            limiter.ApplyRemote([], replicas, _t0);
        }

        for (var step = 0; step < 4000; step++)
        {
            var r = random.Next(replicas);
            var tokens = 50 + random.Next(300);
            if (random.Next(20) == 0)
            {
                pushed[r] = limiters[r].Snapshot(_t0).SingleOrDefault(c => c.Scope == "deployment:d");
                var others = pushed.Where((_, i) => i != r && pushed[i].Scope is not null).ToList();
                var sum = new RateCounter("deployment:d", others.FirstOrDefault().WindowStartUnixSeconds, 0, others.Sum(o => o.Tokens), 0);
                limiters[r].ApplyRemote(others.Count == 0 ? [] : [sum], replicas, _t0);
            }
            else if (limiters[r].TryAcquire(tpm, tokens, _t0).Allowed)
            {
                reserved += tokens;
                largest = Math.Max(largest, tokens);
            }
        }

        // docs/tenancy.md: the limit + 10 % + one reservation per replica.
        Assert.InRange(reserved, 8_000, 10_000 + 1_000 + (replicas * largest));
    }
}
