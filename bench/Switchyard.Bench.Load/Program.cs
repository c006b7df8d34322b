using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

// Fixed-rate, open-loop load generator (Debian has wrk but not wrk2). Each target gets RATE requests per second.
// With several targets they take turns: blocks of BLOCK seconds (--block, default 1) at RATE, target after target
// (A B A B …), SECONDS of blocks each, so every target is measured across the same minute of a shared host, at the
// same load as alone ("added" latency is then not the difference between two different minutes). --block 0
// interleaves request by request instead (k·RATE per second in all, which loads the machine more). A slot is due at
// t0 + i/rate and is
// sent then (a dedicated pacing thread; late_sends counts sends > 0.5 ms late) whether or not earlier ones have
// answered, so a stall cannot silently lower the rate (coordinated omission). p50/p99 are measured from the
// actual send; due_p50/due_p99 from the due time, which adds the scheduler's tick jitter but also counts queueing.
// Usage: Switchyard.Bench.Load [--block SECONDS] BODY_FILE RATE SECONDS WARMUP_SECONDS TARGET [TARGET…]
//        TARGET = NAME,URL[,BEARER_KEY]
// The warm-up runs at the same rate and is not recorded (JIT, connection pool growth).
// Prints one line per target: "target=NAME rate=… sent=… ok=… errors=… p50_us=… p90_us=… p99_us=… … late_sends=…"
var blockSeconds = 1.0;
if (args.Length > 1 && args[0] == "--block")
{
    blockSeconds = double.Parse(args[1], CultureInfo.InvariantCulture);
    args = args[2..];
}

if (args.Length < 5)
{
    Console.Error.WriteLine("usage: Switchyard.Bench.Load [--block SECONDS] BODY_FILE RATE SECONDS WARMUP_SECONDS NAME,URL[,KEY] [NAME,URL[,KEY]…]");
    return 2;
}

var body = await File.ReadAllBytesAsync(args[0]);
var rate = double.Parse(args[1], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[2], CultureInfo.InvariantCulture);
var warmupSeconds = double.Parse(args[3], CultureInfo.InvariantCulture);
var targets = args[4..].Select(Target.Parse).ToArray();
var k = targets.Length;
var perTarget = (int)(rate * seconds);

// Pinned to one CPU (load.sh), the runtime would start with one pool thread and inject more only after stalls of
// a second or more; give it enough up front.
ThreadPool.SetMinThreads(32, 32);

using var handler = new SocketsHttpHandler
{
    MaxConnectionsPerServer = 256,
    PooledConnectionLifetime = TimeSpan.FromMinutes(10),
    UseProxy = false,
    AutomaticDecompression = System.Net.DecompressionMethods.None,
};
using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(10) };
var latencies = new long[k][];
var fromDue = new long[k][];
var ok = new int[k];
var errors = new int[k];
var lateSends = new int[k];
for (var t = 0; t < k; t++)
{
    latencies[t] = new long[perTarget];
    fromDue[t] = new long[perTarget];
}

var contentType = new MediaTypeHeaderValue("application/json");

async Task SendAsync(int target, int index, long dueTicks)
{
    var sentAt = Stopwatch.GetTimestamp();
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, targets[target].Url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = contentType;
        if (targets[target].Key is { } key)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        await using var stream = await response.Content.ReadAsStreamAsync();
        var buffer = new byte[4096];
        while (await stream.ReadAsync(buffer) > 0)
        {
        }

        var end = Stopwatch.GetTimestamp();
        latencies[target][index] = end - sentAt;
        fromDue[target][index] = end - dueTicks;
        Interlocked.Increment(ref response.IsSuccessStatusCode ? ref ok[target] : ref errors[target]);
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
    {
        latencies[target][index] = fromDue[target][index] = Stopwatch.GetTimestamp() - dueTicks;
        Interlocked.Increment(ref errors[target]);
    }
}

await RunAsync((int)(rate * warmupSeconds));
for (var t = 0; t < k; t++)
{
    Array.Clear(latencies[t]);
    Array.Clear(fromDue[t]);
    ok[t] = errors[t] = lateSends[t] = 0;
}

var t0 = await RunAsync(perTarget);

async Task<long> RunAsync(int perTargetCount)
{
    // Pacing runs on its own thread and sleeps until each slot with clock_nanosleep(TIMER_ABSTIME): hrtimer
    // precision (tens of µs) without burning the core the load tools share. The earlier
    // Task.Delay(1) pacing woke every ~2 ms and sent 2-3 requests at once, which measured burst queueing, not
    // per-request latency.
    var count = perTargetCount * k;
    var pending = new Task[count];
    var blocks = k > 1 && blockSeconds > 0;
    var ticksPerSlot = Stopwatch.Frequency / (blocks ? rate : rate * k);
    var slotsPerBlock = Math.Max(1, (int)(rate * blockSeconds));
    var late = Stopwatch.Frequency / 2_000;
    var sent = new int[k];
    long start = 0;
    var pacer = new Thread(() =>
    {
        start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var dueTicks = start + (long)(i * ticksPerSlot);
            PreciseClock.SleepUntil(dueTicks);
            var target = blocks ? i / slotsPerBlock % k : i % k;
            if (sent[target] == perTargetCount)
            {
                // The last round of blocks: a target that already has its share yields to the next.
                target = Array.FindIndex(sent, n => n < perTargetCount);
            }

            if (Stopwatch.GetTimestamp() - dueTicks > late)
            {
                lateSends[target]++;
            }

            var index = sent[target]++ % perTarget;
            pending[i] = Task.Run(() => SendAsync(target, index, dueTicks));
        }
    })
    { IsBackground = true };
    pacer.Start();
    pacer.Join();
    await Task.WhenAll(pending);
    return start;
}

var elapsed = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
static double At(long[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)] * 1_000_000.0 / Stopwatch.Frequency;
for (var t = 0; t < k; t++)
{
    var l = latencies[t];
    var d = fromDue[t];
    Array.Sort(l);
    Array.Sort(d);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"target={targets[t].Name} rate={perTarget / seconds:F0} sent={perTarget} elapsed_s={elapsed:F2} ok={ok[t]} errors={errors[t]} p50_us={At(l, 0.50):F0} p90_us={At(l, 0.90):F0} p99_us={At(l, 0.99):F0} p999_us={At(l, 0.999):F0} max_us={At(l, 1.0):F0} due_p50_us={At(d, 0.5):F0} due_p99_us={At(d, 0.99):F0} late_sends={lateSends[t]}"));
}

return errors.All(e => e == 0) ? 0 : 1;

/// <summary>One place requests go: a name for the output, the URL, and the bearer key if it needs one.</summary>
internal sealed record Target(string Name, Uri Url, string? Key)
{
    public static Target Parse(string text)
    {
        var parts = text.Split(',');
        if (parts.Length is < 2 or > 3 || parts[0].Length == 0)
        {
            throw new ArgumentException($"a target is NAME,URL[,KEY], not '{text}'");
        }

        return new Target(parts[0], new Uri(parts[1]), parts.Length == 3 && parts[2].Length > 0 ? parts[2] : null);
    }
}

/// <summary>Absolute sleeps on CLOCK_MONOTONIC, the clock behind Stopwatch on Linux (nanosecond ticks).</summary>
internal static partial class PreciseClock
{
    private const int ClockMonotonic = 1;
    private const int TimerAbsTime = 1;

    public static void SleepUntil(long stopwatchTicks)
    {
        if (!OperatingSystem.IsLinux() || Stopwatch.Frequency != 1_000_000_000)
        {
            while (Stopwatch.GetTimestamp() < stopwatchTicks)
            {
                Thread.Sleep(0);
            }

            return;
        }

        var spec = new TimeSpec { Seconds = stopwatchTicks / 1_000_000_000, Nanoseconds = stopwatchTicks % 1_000_000_000 };
        while (ClockNanosleep(ClockMonotonic, TimerAbsTime, ref spec, IntPtr.Zero) == 4)
        {
            // EINTR: sleep again until the same absolute time.
        }
    }

    [System.Runtime.InteropServices.StructLayout(System.Runtime.InteropServices.LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [System.Runtime.InteropServices.LibraryImport("libc", EntryPoint = "clock_nanosleep")]
    private static partial int ClockNanosleep(int clock, int flags, ref TimeSpec request, IntPtr remain);
}
