using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;

// Fixed-rate, open-loop load generator (Debian has wrk but not wrk2). Request i is due at t0 + i/rate and is
// sent then (a dedicated pacing thread, late_sends counts sends > 0.5 ms late) whether or not earlier ones have answered, so a stall cannot
// silently lower the rate (coordinated omission). p50/p99 are measured from the actual send; due_p50/due_p99
// from the due time, which adds the scheduler's tick jitter but also counts any queueing.
// Usage: Switchyard.Bench.Load URL BODY_FILE RATE SECONDS [BEARER_KEY] [WARMUP_SECONDS=3]
// The warm-up runs at the same rate and is not recorded (JIT, connection pool growth).
// Prints one line: "rate=… sent=… ok=… errors=… p50_us=… p90_us=… p99_us=… p999_us=… max_us=… late_sends=…"
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: Switchyard.Bench.Load URL BODY_FILE RATE SECONDS [BEARER_KEY] [WARMUP_SECONDS]");
    return 2;
}

var url = new Uri(args[0]);
var body = await File.ReadAllBytesAsync(args[1]);
var rate = double.Parse(args[2], CultureInfo.InvariantCulture);
var seconds = double.Parse(args[3], CultureInfo.InvariantCulture);
var key = args.Length > 4 && args[4].Length > 0 ? args[4] : null;
var warmupSeconds = args.Length > 5 ? double.Parse(args[5], CultureInfo.InvariantCulture) : 3;
var total = (int)(rate * seconds);

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
var latencies = new long[total];
var fromDue = new long[total];
var ok = 0;
var errors = 0;
var lateSends = 0;
var contentType = new MediaTypeHeaderValue("application/json");

async Task SendAsync(int index, long dueTicks)
{
    var sentAt = Stopwatch.GetTimestamp();
    try
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = contentType;
        if (key is not null)
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
        latencies[index] = end - sentAt;
        fromDue[index] = end - dueTicks;
        if (response.IsSuccessStatusCode)
        {
            Interlocked.Increment(ref ok);
        }
        else
        {
            Interlocked.Increment(ref errors);
        }
    }
    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or IOException)
    {
        latencies[index] = fromDue[index] = Stopwatch.GetTimestamp() - dueTicks;
        Interlocked.Increment(ref errors);
    }
}

await RunAsync((int)(rate * warmupSeconds));
Array.Clear(latencies);
Array.Clear(fromDue);
ok = errors = lateSends = 0;
var t0 = await RunAsync(total);

async Task<long> RunAsync(int count)
{
    // Pacing runs on its own thread and sleeps until each slot with clock_nanosleep(TIMER_ABSTIME): hrtimer
    // precision (tens of µs) without burning the core the load tools share. The earlier
    // Task.Delay(1) pacing woke every ~2 ms and sent 2-3 requests at once, which measured burst queueing, not
    // per-request latency.
    var pending = new Task[count];
    var ticksPerRequest = Stopwatch.Frequency / rate;
    var late = Stopwatch.Frequency / 2_000;
    long start = 0;
    var pacer = new Thread(() =>
    {
        start = Stopwatch.GetTimestamp();
        for (var i = 0; i < count; i++)
        {
            var dueTicks = start + (long)(i * ticksPerRequest);
            PreciseClock.SleepUntil(dueTicks);
            if (Stopwatch.GetTimestamp() - dueTicks > late)
            {
                lateSends++;
            }

            var index = i;
            pending[i] = Task.Run(() => SendAsync(index % total, dueTicks));
        }
    })
    { IsBackground = true };
    pacer.Start();
    pacer.Join();
    await Task.WhenAll(pending);
    return start;
}

var elapsed = (Stopwatch.GetTimestamp() - t0) / (double)Stopwatch.Frequency;
Array.Sort(latencies);
Array.Sort(fromDue);
double Us(double q) => At(latencies, q);
double At(long[] sorted, double q) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(q * sorted.Length) - 1)] * 1_000_000.0 / Stopwatch.Frequency;
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"rate={total / seconds:F0} sent={total} elapsed_s={elapsed:F2} ok={ok} errors={errors} p50_us={Us(0.50):F0} p90_us={Us(0.90):F0} p99_us={Us(0.99):F0} p999_us={Us(0.999):F0} max_us={Us(1.0):F0} due_p50_us={At(fromDue, 0.5):F0} due_p99_us={At(fromDue, 0.99):F0} late_sends={lateSends}"));
return errors == 0 ? 0 : 1;

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
