using System.Diagnostics;
using System.Net;
using System.Text;
using Switchyard.Storage.Sqlite;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Hosting;

/// <summary>Invariant 2: one ledger record per accepted request; graceful stop loses none; kill -9 loses nothing already flushed.</summary>
public sealed class LedgerDurabilityTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Chat(bool stream) => new(
        $$"""{"model":"auto","stream":{{(stream ? "true" : "false")}},"messages":[{"role":"user","content":"count me"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task GracefulStop_AfterConcurrentMixedRequests_LedgerHoldsExactlyOneRecordEach()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(upstream.BaseUrl).Replace("ledger_flush_interval: 50ms", "ledger_flush_interval: 5s", StringComparison.Ordinal), TestConfig.Keys);
        using var client = app.CreateClient();
        var ids = new System.Collections.Concurrent.ConcurrentBag<string>();

        await Parallel.ForEachAsync(Enumerable.Range(0, 60), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = Ct }, async (i, ct) =>
        {
            using var response = await client.PostAsync("/v1/chat/completions", Chat(stream: i % 2 == 0), ct);
            await response.Content.ReadAsStringAsync(ct);
            ids.Add(response.Headers.GetValues("x-request-id").Single());
        });

        // The flush interval is 5 s, so nothing has been written yet: the stop itself must drain the queue.
        await app.StopAsync();
        Assert.Equal(60, await app.Ledger.CountAsync(Ct));
        foreach (var id in ids)
        {
            Assert.NotNull(await app.Ledger.FindAsync(id, Ct));
        }
    }

    [Fact]
    public async Task GracefulStop_WithStreamInFlight_LetsItFinishAndRecordsIt()
    {
        await using var upstream = await FakeUpstream.StartAsync((context, _) =>
            FakeUpstream.WriteSseAsync(context, OpenAIWire.TextChunks("gpt-4o-mini", "a slow but complete answer", includeUsage: true), TimeSpan.FromMilliseconds(40)));
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(stream: true) };
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        var stop = app.StopAsync();
        var body = await response.Content.ReadAsStringAsync(Ct);
        await stop.WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.EndsWith("data: [DONE]", body.Trim(), StringComparison.Ordinal);
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(Core.Ledger.LedgerOutcome.Success, record!.Outcome);
    }

    [Fact]
    public async Task Kill9_AfterTheWriterHasFlushed_LosesNoCompletedRequest()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var directory = Directory.CreateTempSubdirectory("switchyard-kill-").FullName;
        var config = Path.Combine(directory, "switchyard.yaml");
        await File.WriteAllTextAsync(config, TestConfig.OpenAI(upstream.BaseUrl), Ct);
        var port = FreePort();
        var dataDir = Path.Combine(directory, "data");
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" \"$@\" > \"$LOG\" 2>&1", Path.Combine(AppContext.BaseDirectory, "switchyard.dll"), "serve", "--config", config, "--urls", $"http://127.0.0.1:{port}", "--data-dir", dataDir])
        {
            // The child's console goes to a file: an unread redirected pipe would fill and block its logging.
            RedirectStandardOutput = false,
            RedirectStandardError = false,
        };
        var log = Path.Combine(directory, "gateway.log");
        start.Environment["LOG"] = log;
        foreach (var (name, value) in TestConfig.Keys)
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start)!;
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", SwitchyardAppFactory.TestKey);
            await WaitUntilReadyAsync(client, process, log);

            const int Requests = 40;
            for (var i = 0; i < Requests; i++)
            {
                using var response = await client.PostAsync("/v1/chat/completions", Chat(stream: i % 3 == 0), Ct);
                Assert.Equal(HttpStatusCode.OK, response.StatusCode);
                await response.Content.ReadAsStringAsync(Ct);
            }

            // The writer flushes every 50 ms (the config's interval); wait until it has written every record (a reader
            // beside the live process: WAL), however long a loaded box takes, then kill -9: what was written survives.
            using var store = new SqliteLedgerStore(Path.Combine(dataDir, "switchyard.db"));
            var flushing = Stopwatch.StartNew();
            await Until.TrueAsync(async () => await store.CountAsync(Ct) == Requests, $"the writer flushes all {Requests} records", Ct);
            TestContext.Current.TestOutputHelper?.WriteLine($"all {Requests} records written {flushing.ElapsedMilliseconds} ms after the last response");
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

            Assert.Equal(Requests, await store.CountAsync(Ct));
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task Sigterm_WithStreamInFlight_DrainsItThenExitsWithLedgerComplete()
    {
        await using var upstream = await FakeUpstream.StartAsync((context, _) =>
            FakeUpstream.WriteSseAsync(context, OpenAIWire.TextChunks("gpt-4o-mini", "a slow answer that must not be cut", includeUsage: true), TimeSpan.FromMilliseconds(50)));
        await using var gateway = await GatewayProcess.StartAsync(TestConfig.OpenAI(upstream.BaseUrl));
        using var client = gateway.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Chat(stream: true) };
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);

        using (var term = Process.Start("kill", ["-TERM", gateway.Process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(Ct);
        }

        var body = await response.Content.ReadAsStringAsync(Ct);
        await gateway.Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(20), Ct);

        Assert.EndsWith("data: [DONE]", body.Trim(), StringComparison.Ordinal);
        Assert.Contains(gateway.Process.ExitCode, new[] { 0, 143 }); // 143 = 128 + SIGTERM, what orchestrators expect
        using var store = new SqliteLedgerStore(gateway.DatabasePath);
        var record = await store.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal(Core.Ledger.LedgerOutcome.Success, record!.Outcome);
    }

    private static Task WaitUntilReadyAsync(HttpClient client, Process process, string log) => GatewayProcess.WaitUntilReadyAsync(client, process, log);

    private static int FreePort() => GatewayProcess.FreePort();
}
