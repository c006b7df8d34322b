using System.Net;
using System.Text;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
using Switchyard.Providers.Http;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Hosting;

/// <summary>
/// Connections outlive configuration snapshots (decision 9): reloads under load reuse the provider's handler while its
/// connection settings are unchanged, dispose a handler no snapshot uses once its calls end, and lose no request.
/// It counts the process's sockets, so it runs alone (no other test opens sockets meanwhile).
/// </summary>
[Collection(nameof(ConnectionReuseTests))]
public sealed class ConnectionReuseTests
{
    private const int Reloads = 1_000;
    private const int Workers = 4;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Reload_ThousandTimesUnderLoad_NoHandlerOrSocketGrowthAndNoFailedRequest()
    {
        await using var first = await FakeUpstream.StartAsync();
        await using var second = await FakeUpstream.StartAsync();
        var environment = new Dictionary<string, string> { ["PRIMARY_KEY"] = "sk-upstream" };
        var config = TestConfig.OpenAI(first.BaseUrl);
        await using var app = await SwitchyardAppFactory.StartAsync(config, environment);
        var registry = app.Service<ProviderClientRegistry>();
        var holder = app.Service<RouteTableHolder>();
        var reloader = app.Service<SwitchyardConfiguration>();
        using var client = app.CreateClient();

        // Warm up: the handler exists and its pool holds the load's connections before the baseline is taken.
        await Task.WhenAll(Enumerable.Range(0, Workers).Select(i => SendAsync(client, stream: i % 2 == 1)));
        var socketsBefore = OpenSockets();
        Assert.Equal(1, registry.HandlerCount);

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var failures = 0;
        var served = 0;
        var load = Enumerable.Range(0, Workers).Select(worker => Task.Run(async () =>
        {
            for (var n = 0; !stop.IsCancellationRequested; n++)
            {
                var code = await SendAsync(client, stream: (worker + n) % 2 == 1);
                Interlocked.Increment(ref code == HttpStatusCode.OK ? ref served : ref failures);
            }
        }, Ct)).ToArray();

        var maxHandlers = 0;
        for (var i = 1; i <= Reloads; i++)
        {
            // Most reloads leave the provider as it is (a comment changes); every 100th moves it to the other upstream
            // and back, so a handler no snapshot uses any more must go.
            var url = i / 100 % 2 == 1 ? second.BaseUrl : first.BaseUrl;
            await File.WriteAllTextAsync(app.ConfigPath, TestConfig.OpenAI(url) + $"\n# reload {i}\n", Ct);
            var generation = holder.Current.Generation;
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (holder.Current.Generation == generation)
            {
                Assert.True(DateTime.UtcNow < deadline, $"reload {i} was not published");
                reloader.TryReload();
            }

            maxHandlers = Math.Max(maxHandlers, registry.HandlerCount);
        }

        await stop.CancelAsync();
        await Task.WhenAll(load);

        Assert.Equal(0, failures);
        Assert.True(served > Workers, $"only {served} requests were served during the reloads");
        // One handler per live connection key, plus at most one being drained by calls that started before a move.
        Assert.InRange(maxHandlers, 1, 2);
        Assert.Equal(1, registry.HandlerCount);
        // Sockets of both ends live in this process; the tolerance covers the moves' fresh pools and the fakes' pools.
        var socketsAfter = OpenSockets();
        Assert.True(socketsAfter <= socketsBefore + 40, $"open sockets grew from {socketsBefore} to {socketsAfter}");
    }

    private static async Task<HttpStatusCode> SendAsync(HttpClient client, bool stream)
    {
        var body = stream
            ? """{"model":"auto","stream":true,"messages":[{"role":"user","content":"hi"}]}"""
            : """{"model":"auto","messages":[{"role":"user","content":"hi"}]}""";
        try
        {
            using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
            var text = await response.Content.ReadAsStringAsync(Ct);
            return response.StatusCode == HttpStatusCode.OK && (!stream || text.Contains("[DONE]", StringComparison.Ordinal)) ? response.StatusCode : HttpStatusCode.BadGateway;
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.ServiceUnavailable;
        }
    }

    /// <summary>Open sockets of this process (Linux: <c>/proc/self/fd</c> links to <c>socket:[…]</c>); 0 elsewhere.</summary>
    private static int OpenSockets()
    {
        if (!Directory.Exists("/proc/self/fd"))
        {
            return 0;
        }

        var count = 0;
        foreach (var fd in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            try
            {
                if (new FileInfo(fd).LinkTarget is { } target && target.StartsWith("socket:", StringComparison.Ordinal))
                {
                    count++;
                }
            }
            catch (IOException)
            {
                // The descriptor closed while being read.
            }
        }

        return count;
    }
}

/// <summary>Runs <see cref="ConnectionReuseTests"/> apart from every other test.</summary>
[CollectionDefinition(nameof(ConnectionReuseTests), DisableParallelization = true)]
public sealed class ConnectionReuseCollection;
