using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Execution;

/// <summary>A paid provider's stand-in: answers each call with the next scripted step (the last one repeats).</summary>
internal sealed class ScriptedAdapter(params Func<CancellationToken, Task<UpstreamResult>>[] steps) : IProviderAdapter
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public CancellationToken LastToken { get; private set; }

    public string ProviderName => "scripted";
    public ApiFormat WireFormat => ApiFormat.OpenAI;
    public bool IsSimulated => false;

    public async ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        LastToken = cancellationToken;
        var n = Interlocked.Increment(ref _calls) - 1;
        return await steps[Math.Min(n, steps.Length - 1)](cancellationToken);
    }
}

/// <summary>A stream whose every event takes <paramref name="perEvent"/> on the fake clock; the last one is the terminator.</summary>
internal sealed class ScriptedStream(FakeTimeProvider time, TimeSpan perEvent, int events, Usage? usage) : IUpstreamStream
{
    private int _read;

    public StreamEvent Current { get; private set; }

    public Usage? Usage => _read == events ? usage : null;

    public int ContentChars => _read * 4;

    public DispatchStatus? Failure => null;

    public bool Disposed { get; private set; }

    public ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_read == events)
        {
            return ValueTask.FromResult(false);
        }

        time.Advance(perEvent);
        _read++;
        Current = new StreamEvent("{}"u8.ToArray(), IsDone: _read == events, IsUsageOnly: false, ContentChars: 4);
        return ValueTask.FromResult(true);
    }

    public ValueTask DisposeAsync()
    {
        Disposed = true;
        return ValueTask.CompletedTask;
    }
}

/// <summary>The steps a <see cref="ScriptedAdapter"/> plays (answers, failures, hangs), and waiting for what they cause.</summary>
internal static class Steps
{
    /// <summary>Polls <paramref name="condition"/> until it holds, failing after a generous 10 s (never races the clock).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "condition not reached in time");
            await Task.Delay(5, TestContext.Current.CancellationToken);
        }
    }

    public static Func<CancellationToken, Task<UpstreamResult>> Ok() =>
        _ => Task.FromResult(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = 200, Body = "{}"u8.ToArray() });

    /// <summary>A reply that took <paramref name="took"/> (on the fake clock) and reported <paramref name="outputTokens"/>.</summary>
    public static Func<CancellationToken, Task<UpstreamResult>> OkAfter(FakeTimeProvider time, TimeSpan took, int outputTokens) => _ =>
    {
        time.Advance(took);
        return Task.FromResult(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = 200, Body = "{}"u8.ToArray(), Usage = new Usage(10, outputTokens) });
    };

    public static Func<CancellationToken, Task<UpstreamResult>> Fails(DispatchStatus status, int code, TimeSpan? retryAfter = null) =>
        _ => Task.FromResult(UpstreamResult.Failure(status, code, "failed", TimeSpan.Zero, retryAfter));

    /// <summary>Like the real adapter: waits for its token and reports a cancelled call as ClientCanceled.</summary>
    public static Func<CancellationToken, Task<UpstreamResult>> Hangs() => async token =>
    {
        try
        {
            await Task.Delay(Timeout.Infinite, token);
        }
        catch (OperationCanceledException)
        {
        }

        return UpstreamResult.Failure(DispatchStatus.ClientCanceled, 0, "cancelled", TimeSpan.Zero);
    };
}
