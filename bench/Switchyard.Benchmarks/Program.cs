using System.Diagnostics;
using System.Globalization;
using BenchmarkDotNet.Running;

namespace Switchyard.Benchmarks;

public static class BenchmarkProgram
{
    public static async Task Main(string[] args)
    {
        if (args is ["--profile-request", var seconds])
        {
            // Not a measurement: a steady loop of RequestPathBenchmarks.WholeRequest to attach a profiler to
            // (bench/README.md, "Profiling the request path").
            await ProfileRequestAsync(TimeSpan.FromSeconds(int.Parse(seconds, CultureInfo.InvariantCulture)));
            return;
        }

        BenchmarkSwitcher.FromAssembly(typeof(BenchmarkProgram).Assembly).Run(args);
    }

    private static async Task ProfileRequestAsync(TimeSpan duration)
    {
        var benchmarks = new RequestPathBenchmarks();
        await benchmarks.Setup();
        var clock = Stopwatch.StartNew();
        var requests = 0;
        while (clock.Elapsed < duration)
        {
            await benchmarks.WholeRequest();
            requests++;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{requests} requests, {clock.Elapsed.TotalMicroseconds / requests:0.0} µs each"));
        await benchmarks.Cleanup();
    }
}
