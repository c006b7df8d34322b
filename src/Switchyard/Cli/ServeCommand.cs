using System.CommandLine;
using Switchyard.Composition;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;

namespace Switchyard.Cli;

/// <summary><c>switchyard serve [--config FILE] [--urls URL] [--data-dir DIR]</c>.</summary>
internal static class ServeCommand
{
    public const string DefaultConfig = "config/switchyard.yaml";

    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = $"Configuration file (YAML or JSON). Default: {DefaultConfig}, else ./switchyard.yaml; with neither, the example is written to ./switchyard.yaml (first run)." };
        var urls = new Option<string>("--urls") { Description = "Addresses to listen on, as in ASP.NET Core (semicolon-separated).", DefaultValueFactory = _ => "http://127.0.0.1:8080" };
        var dataDir = new Option<string>("--data-dir") { Description = "Directory of the embedded SQLite store (created on first run).", DefaultValueFactory = _ => "data" };
        var noDashboard = new Option<bool>("--no-dashboard") { Description = "Do not serve the console at /ui (the admin API stays)." };
        var command = new Command("serve", "Run the gateway.") { config, urls, dataDir, noDashboard };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var configPath = FirstRun.ResolveConfig(parse.GetValue(config), DefaultConfig, out var wroteConfig);
            var options = new GatewayOptions
            {
                ConfigPath = configPath,
                Urls = parse.GetValue(urls)!,
                DataDir = parse.GetValue(dataDir)!,
                NoDashboard = parse.GetValue(noDashboard),
            };
            WebApplication app;
            try
            {
                app = await GatewayHost.BuildAsync(options, cancellationToken);
            }
            catch (ConfigException ex)
            {
                await Console.Error.WriteLineAsync(ex.Message);
                return 2;
            }

            await app.StartAsync(cancellationToken);
            await Console.Out.WriteLineAsync(await FirstRun.BannerAsync(app, options, wroteConfig, cancellationToken));
            await app.WaitForShutdownAsync(CancellationToken.None);
            await app.DisposeAsync();
            return 0;
        });
        return command;
    }
}
