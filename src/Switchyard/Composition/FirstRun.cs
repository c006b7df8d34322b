using System.Reflection;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Switchyard.Admin;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
namespace Switchyard.Composition;

/// <summary>
/// The first run and the start-up banner. <c>switchyard serve</c> with no configuration anywhere writes the commented
/// example (the simulated models; no keys, no services) as <c>./switchyard.yaml</c>; every start then prints where the
/// API and the console are — with a one-time sign-in link while no console account has a password — a curl that
/// answers, the config and data paths, and the next step.
/// </summary>
internal static class FirstRun
{
    public const string ExampleFileName = "switchyard.yaml";

    /// <summary>
    /// The configuration to use: the one given; else <c>config/switchyard.yaml</c> or <c>./switchyard.yaml</c> when
    /// present; else the example written to <c>./switchyard.yaml</c> (<paramref name="written"/> says so).
    /// </summary>
    public static string ResolveConfig(string? given, string defaultPath, out bool written)
    {
        written = false;
        if (given is not null)
        {
            return given;
        }

        if (File.Exists(defaultPath))
        {
            return defaultPath;
        }

        var local = Path.GetFullPath(ExampleFileName);
        if (!File.Exists(local))
        {
            using var example = Assembly.GetExecutingAssembly().GetManifestResourceStream("first-run/switchyard.yaml")!;
            using var file = File.Create(local);
            example.CopyTo(file);
            written = true;
        }

        return local;
    }

    /// <summary>The banner, printed once the server listens.</summary>
    public static async Task<string> BannerAsync(WebApplication app, GatewayOptions options, bool wroteConfig, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(app);
        ArgumentNullException.ThrowIfNull(options);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? options.Urls;
        var url = Loopback(address);
        var (config, _) = ConfigLoader.LoadFile(options.ConfigPath);
        var key = config.Keys.FirstOrDefault(k => k.Key is not null)?.Key;
        var lines = new List<string> { "", "  Switchyard is running." };
        if (wroteConfig)
        {
            lines.Add($"  First run: wrote the example configuration {Path.GetFullPath(options.ConfigPath)} (simulated models, no keys needed).");
        }

        lines.Add($"  API          {url}/v1   (OpenAI and Anthropic formats)");
        var settings = app.Services.GetRequiredService<ConsoleSettings>();
        if (settings.DashboardEnabled)
        {
            var sessions = app.Services.GetRequiredService<ConsoleSessions>();
            if (await sessions.PasswordSetAsync(cancellationToken))
            {
                lines.Add($"  Console      {url}/ui");
            }
            else
            {
                lines.Add($"  Console      {url}/ui/login?token={sessions.IssueOneTimeToken()}");
                lines.Add("               one-time admin sign-in link (loopback only until you set a password under Settings)");
            }
        }

        lines.Add($"  Admin API    {url}/admin/api/v1");
        lines.Add($"  Config       {Path.GetFullPath(options.ConfigPath)}");
        lines.Add($"  Data         {Path.GetFullPath(options.DataDir)}");
        lines.Add("");
        lines.Add("  Try it:");
        lines.Add($"    curl -s {url}/v1/chat/completions -H \"Authorization: Bearer {key ?? "$SWITCHYARD_KEY"}\" -H \"Content-Type: application/json\" \\");
        lines.Add("      -d '{\"model\": \"auto\", \"messages\": [{\"role\": \"user\", \"content\": \"Hello!\"}]}'");
        lines.Add("");
        lines.Add("  Next: add a real provider — export OPENAI_API_KEY, uncomment the openai provider, its deployment and its model");
        lines.Add($"  in {Path.GetFileName(options.ConfigPath)}; the running gateway reloads it.");
        lines.Add("");
        return string.Join(Environment.NewLine, lines);
    }

    /// <summary>A listening address as a URL a local client can open (a wildcard host becomes 127.0.0.1).</summary>
    public static string Loopback(string address)
    {
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return $"{uri.Scheme}://{(host.Contains(':', StringComparison.Ordinal) && !host.StartsWith('[') ? "[" + host + "]" : host)}:{uri.Port}";
    }
}
