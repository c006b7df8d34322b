using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using Xunit;

namespace Switchyard.Smoke.Tests;

/// <summary>
/// Malformed input against the published executable (issue 13): <see cref="Count"/> generated bad requests
/// (<see cref="MalformedRequests"/>, seed <see cref="Seed"/>) on every endpoint, four at a time. Passes when no response
/// is a 500, every error is in its surface's format, the process is alive and answering at the end, and its peak
/// resident memory stayed under <see cref="PeakRssLimit"/>. The figures are written to the test output and to
/// <c>artifacts/smoke/fuzz-figures.txt</c>.
/// </summary>
public sealed class FuzzTests(SmokeGateway fixture) : IClassFixture<SmokeGateway>
{
    public const int Count = 11_000;
    public const int Seed = 13;
    private const int Workers = 4;

    /// <summary>Generous: the gateway idles near 100 MB; a leak or an unbounded buffer of the 1 MiB bodies would pass it.</summary>
    private const long PeakRssLimit = 768L * 1024 * 1024;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task MalformedRequests_No500NoCrashBoundedMemory()
    {
        var gateway = fixture.Gateway;
        var statuses = new ConcurrentDictionary<int, int>();
        var byCategory = new ConcurrentDictionary<string, int>();
        var problems = new ConcurrentQueue<string>();
        var serverErrors = new ConcurrentQueue<string>();
        var fivehundreds = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var clientErrors = 0;
        var next = -1;
        var started = DateTime.UtcNow;
        var (_, startPeak) = gateway.Memory();

        async Task WorkAsync()
        {
            using var handler = new SocketsHttpHandler { RequestHeaderEncodingSelector = static (_, _) => Encoding.Latin1, PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
            using var client = new HttpClient(handler) { BaseAddress = gateway.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
            int index;
            while ((index = Interlocked.Increment(ref next)) < Count)
            {
                var request = MalformedRequests.Create(Seed, index);
                try
                {
                    var (status, problem) = await SendAsync(client, request);
                    statuses.AddOrUpdate(status, 1, static (_, n) => n + 1);
                    byCategory.AddOrUpdate(request.Category, 1, static (_, n) => n + 1);
                    if (status > 500 && status != KestrelRefusal)
                    {
                        serverErrors.Enqueue($"#{index} {request.Category} {request.Method} {Clip(request.Path)} -> {status}");
                    }

                    if (status == 500)
                    {
                        fivehundreds.AddOrUpdate($"{request.Category} {request.Method} {Clip(PathOnly(request.Path))}", 1, static (_, n) => n + 1);
                    }

                    if (problem is not null)
                    {
                        problems.Enqueue($"#{index} {request.Category} {request.Method} {Clip(request.Path)}: {problem}");
                    }
                }
                catch (HttpRequestException ex)
                {
                    // Kestrel may close a connection on a request it refuses at the HTTP level; the process must still be alive.
                    Interlocked.Increment(ref clientErrors);
                    if (gateway.HasExited)
                    {
                        problems.Enqueue($"#{index} {request.Category}: the gateway exited ({ex.Message})");
                        return;
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, Workers).Select(_ => Task.Run(WorkAsync, Ct)));
        var elapsed = DateTime.UtcNow - started;
        var (rss, peak) = gateway.Memory();
        using var probe = gateway.CreateClient();
        using var live = await probe.GetAsync("/health/live", Ct);

        var figures = new StringBuilder()
            .AppendLine(CultureInfo.InvariantCulture, $"fuzz: {Count} requests, seed {Seed}, {Workers} workers, {elapsed.TotalSeconds:F1} s ({Count / elapsed.TotalSeconds:F0} req/s)")
            .AppendLine(CultureInfo.InvariantCulture, $"statuses: {string.Join(", ", statuses.OrderBy(p => p.Key).Select(p => $"{p.Key}×{p.Value}"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"categories: {string.Join(", ", byCategory.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}×{p.Value}"))}")
            .AppendLine(CultureInfo.InvariantCulture, $"500s by kind: {(fivehundreds.IsEmpty ? "none" : string.Join("; ", fivehundreds.OrderByDescending(p => p.Value).Select(p => $"{p.Key}×{p.Value}")))}")
            .AppendLine(CultureInfo.InvariantCulture, $"5xx (upstream failures relayed): {string.Join("; ", serverErrors.Take(10))}")
            .AppendLine(CultureInfo.InvariantCulture, $"refused by Kestrel before the gateway (counted as {KestrelRefusal}); connections closed by the server: {clientErrors}")
            .AppendLine(CultureInfo.InvariantCulture, $"gateway RSS: peak before {startPeak / 1048576} MB, after {rss / 1048576} MB, peak {peak / 1048576} MB (limit {PeakRssLimit / 1048576} MB)")
            .ToString();
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        await File.WriteAllTextAsync(Path.Combine(PublishedBuild.RepoRoot, "artifacts", "smoke", "fuzz-figures.txt"), figures, Ct);

        Assert.True(problems.IsEmpty, $"{problems.Count} problems, first ones:\n{string.Join('\n', problems.Take(20))}\n{figures}");
        Assert.False(statuses.ContainsKey(500), figures);
        Assert.False(gateway.HasExited);
        Assert.Equal(200, (int)live.StatusCode);
        Assert.True(peak < PeakRssLimit, figures);
        Assert.DoesNotContain(gateway.Log, line => line.Contains("Unhandled error", StringComparison.Ordinal));
    }

    /// <summary>Sends one request; returns its status and, when the answer breaks a rule, what is wrong.</summary>
    private static async Task<(int Status, string? Problem)> SendAsync(HttpClient client, FuzzRequest fuzz)
    {
        using var request = new HttpRequestMessage(new HttpMethod(fuzz.Method), fuzz.Path);
        if (fuzz.Body is not null)
        {
            request.Content = new ByteArrayContent(fuzz.Body);
            if (fuzz.ContentType is not null && MediaTypeHeaderValue.TryParse(fuzz.ContentType, out var type))
            {
                request.Content.Headers.ContentType = type;
            }
            else if (fuzz.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", fuzz.ContentType);
            }
        }

        foreach (var (name, value) in fuzz.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var response = await client.SendAsync(request, Ct);
        var body = await response.Content.ReadAsStringAsync(Ct);
        var status = (int)response.StatusCode;
        if (status == 500)
        {
            return (status, $"500: {Clip(body)}");
        }

        if (status == 400 && body.Length == 0 && response.Headers.ConnectionClose == true)
        {
            // Kestrel refused the request at the HTTP level (e.g. a NUL in the path) before the gateway saw it: no body can be
            // written there, and the connection is closed. Counted apart.
            return (KestrelRefusal, null);
        }

        // A 5xx other than 500 is an upstream's failure relayed (a fuzzed request that reached a fake); its format is still checked.
        if (status >= 400 && fuzz.Method != "HEAD" && ErrorFormats.CheckAny(PathOnly(fuzz.Path), status, response.Content.Headers.ContentType?.MediaType, body) is { } wrong)
        {
            return (status, $"{status} in the wrong format: {wrong}");
        }

        return (status, null);
    }

    /// <summary>The pseudo-status under which Kestrel's own refusals are counted.</summary>
    private const int KestrelRefusal = 1400;

    private static string PathOnly(string path) => path.Split('?')[0];

    private static string Clip(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
