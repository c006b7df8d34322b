namespace Switchyard.Hosting;

/// <summary>What <c>switchyard serve</c> was told: where the config and the data live, and where to listen.</summary>
internal sealed record GatewayOptions
{
    public required string ConfigPath { get; init; }

    /// <summary>ASP.NET Core URLs (<c>--urls</c>); default <c>http://127.0.0.1:8080</c>.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:8080";

    /// <summary>Directory of the embedded store; created on first run.</summary>
    public string DataDir { get; init; } = "data";

    /// <summary>Reads environment variables (tests substitute their own).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>How often the configuration file is checked for changes; null: the file's <c>server.config_poll_interval</c>.</summary>
    public TimeSpan? ReloadPollInterval { get; init; }

    /// <summary><c>--no-dashboard</c>: no console at <c>/ui</c> (the admin API stays).</summary>
    public bool NoDashboard { get; init; }

    /// <summary>Extra service registrations applied last (tests swap the clock or randomness).</summary>
    public Action<IServiceCollection>? ConfigureServices { get; init; }
}
