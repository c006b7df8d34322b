using Switchyard.Providers.Http;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Providers.Tests.Http;

public sealed class CachedCredentialTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetAsync_ValidToken_FetchedOnceThenAgainBeforeExpiry()
    {
        var time = new FakeTimeProvider();
        var issued = 0;
        using var cache = new CachedCredential<string>(_ => Task.FromResult(new ExpiringCredential<string>("token-" + ++issued, time.GetUtcNow().AddHours(1))), time);

        var first = await cache.GetAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(54));
        var stillValid = await cache.GetAsync(Ct);
        time.Advance(TimeSpan.FromMinutes(1) + TimeSpan.FromSeconds(1));
        var renewed = await cache.GetAsync(Ct);

        Assert.Equal("token-1", first.Value);
        Assert.Equal("token-1", stillValid.Value);
        // Less than the refresh margin (5 minutes) was left: fetched again before it lapsed.
        Assert.Equal("token-2", renewed.Value);
        Assert.Equal(2, cache.Fetches);
    }

    [Fact]
    public async Task GetAsync_ConcurrentCallers_OneFetch()
    {
        var time = new FakeTimeProvider();
        var gate = new TaskCompletionSource();
        var fetches = 0;
        using var cache = new CachedCredential<string>(async _ =>
        {
            Interlocked.Increment(ref fetches);
            await gate.Task;
            return new ExpiringCredential<string>("token", time.GetUtcNow().AddHours(1));
        }, time);

        var callers = Enumerable.Range(0, 8).Select(_ => cache.GetAsync(Ct).AsTask()).ToList();
        gate.SetResult();
        var results = await Task.WhenAll(callers).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.All(results, r => Assert.Equal("token", r.Value));
        Assert.Equal(1, fetches);
    }

    [Fact]
    public async Task GetAsync_FetchFails_ProblemThenRetriedNextCall()
    {
        var time = new FakeTimeProvider();
        var calls = 0;
        using var cache = new CachedCredential<string>(_ => ++calls == 1
            ? throw new HttpRequestException("token endpoint down: secret=xyz")
            : Task.FromResult(new ExpiringCredential<string>("token", time.GetUtcNow().AddHours(1))), time);

        var failed = await cache.GetAsync(Ct);
        var recovered = await cache.GetAsync(Ct);

        Assert.Null(failed.Value);
        // Only the type: an identity library's message may echo what it sent.
        Assert.Equal(nameof(HttpRequestException), failed.Problem);
        Assert.Equal("token", recovered.Value);
    }
}
