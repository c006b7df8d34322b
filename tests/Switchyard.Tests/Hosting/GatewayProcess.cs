using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Xunit;

namespace Switchyard.Tests.Hosting;

/// <summary>
/// The real executable (<c>switchyard serve</c>) in a child process on a free loopback port, its console captured to a
/// file. Several may share one directory's configuration (replicas on one PostgreSQL) or one is restarted on it.
/// </summary>
internal sealed class GatewayProcess : IAsyncDisposable
{
    private readonly bool _ownsDirectory;

    private GatewayProcess(Process process, string directory, int port, bool ownsDirectory, string log)
    {
        Process = process;
        Directory = directory;
        Port = port;
        _ownsDirectory = ownsDirectory;
        LogPath = log;
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public Process Process { get; }

    public string Directory { get; }

    public int Port { get; }

    public string LogPath { get; }

    public string DatabasePath => Path.Combine(Directory, "data", "switchyard.db");

    /// <summary>Starts a gateway on <paramref name="configYaml"/> in a new temp directory (deleted on dispose).</summary>
    public static Task<GatewayProcess> StartAsync(string configYaml, IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = System.IO.Directory.CreateTempSubdirectory("switchyard-proc-").FullName;
        File.WriteAllText(Path.Combine(directory, "switchyard.yaml"), configYaml);
        return StartInAsync(directory, environment, ownsDirectory: true);
    }

    /// <summary>Starts another gateway on the configuration already in <paramref name="directory"/> (a replica or a restart).</summary>
    public static async Task<GatewayProcess> StartInAsync(string directory, IReadOnlyDictionary<string, string>? environment = null, bool ownsDirectory = false)
    {
        var port = FreePort();
        var log = Path.Combine(directory, $"gateway-{port}.log");
        var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" \"$@\" > \"$LOG\" 2>&1", Path.Combine(AppContext.BaseDirectory, "switchyard.dll"),
            "serve", "--config", Path.Combine(directory, "switchyard.yaml"), "--urls", $"http://127.0.0.1:{port}", "--data-dir", Path.Combine(directory, "data")]);
        start.Environment["LOG"] = log;
        foreach (var (name, value) in TestConfig.Keys)
        {
            start.Environment[name] = value;
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var gateway = new GatewayProcess(Process.Start(start)!, directory, port, ownsDirectory, log);
        using var client = gateway.CreateClient();
        await WaitUntilReadyAsync(client, gateway.Process, log);
        return gateway;
    }

    public HttpClient CreateClient(string key = SwitchyardAppFactory.TestKey)
    {
        var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{Port}"), Timeout = TimeSpan.FromSeconds(30) };
        client.DefaultRequestHeaders.Authorization = new("Bearer", key);
        return client;
    }

    /// <summary>kill -9: no drain, no flush.</summary>
    public async Task KillAsync()
    {
        Process.Kill(entireProcessTree: true);
        await Process.WaitForExitAsync(Ct).WaitAsync(TimeSpan.FromSeconds(10), Ct);
    }

    public async ValueTask DisposeAsync()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            await Process.WaitForExitAsync(CancellationToken.None);
        }

        Process.Dispose();
        if (_ownsDirectory)
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
    }

    public static async Task WaitUntilReadyAsync(HttpClient client, Process process, string log)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(process.HasExited, "the gateway exited: " + (File.Exists(log) ? await File.ReadAllTextAsync(log, Ct) : ""));
            try
            {
                using var ready = await client.GetAsync("/health/ready", Ct);
                if (ready.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100, Ct);
        }

        Assert.Fail("the gateway did not become ready within 30 s");
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
