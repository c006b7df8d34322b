using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Switchyard.Composition;
using Switchyard.Core.Ledger;
using Switchyard.Hosting;
using Switchyard.Ledger;
namespace Switchyard.Testing.Host;

/// <summary>
/// The real gateway (the same <c>GatewayHost</c> as <c>switchyard serve</c>) on real Kestrel, loopback port 0,
/// with its own temporary config file and SQLite data directory. Dispose stops it gracefully.
/// </summary>
public sealed class SwitchyardAppFactory : IAsyncDisposable
{
    public const string TestKey = "sk-test-key-0123456789";

    private readonly WebApplication _app;
    private readonly string _directory;
    private bool _stopped;

    private SwitchyardAppFactory(WebApplication app, string directory, string configPath, string baseAddress)
    {
        _app = app;
        _directory = directory;
        ConfigPath = configPath;
        BaseAddress = new Uri(baseAddress);
    }

    public Uri BaseAddress { get; }

    public string ConfigPath { get; }

    public string DataDir => Path.Combine(_directory, "data");

    public IServiceProvider Services => _app.Services;

    public ILedgerStore Ledger => _app.Services.GetRequiredService<ILedgerStore>();

    public static async Task<SwitchyardAppFactory> StartAsync(string configYaml, IReadOnlyDictionary<string, string>? environment = null,
        Action<IServiceCollection>? configureServices = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "switchyard-test-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var configPath = Path.Combine(directory, "switchyard.yaml");
        await File.WriteAllTextAsync(configPath, configYaml);
        var env = environment ?? new Dictionary<string, string>();
        var options = new GatewayOptions
        {
            ConfigPath = configPath,
            Urls = "http://127.0.0.1:0",
            DataDir = Path.Combine(directory, "data"),
            Environment = name => env.TryGetValue(name, out var value) ? value : null,
            ReloadPollInterval = TimeSpan.FromMilliseconds(100),
            ConfigureServices = configureServices,
        };
        var app = await GatewayHost.BuildAsync(options);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new SwitchyardAppFactory(app, directory, configPath, address);
    }

    public HttpClient CreateClient(string? key = TestKey)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (key is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        return client;
    }

    public T Service<T>()
        where T : notnull => _app.Services.GetRequiredService<T>();

    /// <summary>Stops gracefully: in-flight requests finish and the ledger is drained.</summary>
    public async Task StopAsync()
    {
        if (!_stopped)
        {
            _stopped = true;
            await _app.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        await _app.DisposeAsync();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // SQLite may still hold the file briefly; the temp directory is cleaned by the OS.
        }
    }
}
