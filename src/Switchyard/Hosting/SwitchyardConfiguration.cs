using System.Security.Cryptography;
using Switchyard.Configuration;
using Switchyard.Routing;
using Switchyard.Telemetry;

namespace Switchyard.Hosting;

/// <summary>
/// Loads, validates, compiles and publishes the configuration; then watches the file and reloads it. A
/// changed file that does not validate is refused with every error logged, and the running table stays
/// (invariant 5). Requests in flight keep the table they started with.
/// </summary>
internal sealed partial class SwitchyardConfiguration : BackgroundService
{
    private readonly GatewayOptions _options;
    private readonly RouteTableHolder _holder;
    private readonly RouteTableCompiler _compiler;
    private readonly TimeProvider _time;
    private readonly ILogger<SwitchyardConfiguration> _logger;
    private byte[] _lastHash = [];

    public SwitchyardConfiguration(GatewayOptions options, RouteTableHolder holder, RouteTableCompiler compiler, TimeProvider time, ILogger<SwitchyardConfiguration> logger)
    {
        _options = options;
        _holder = holder;
        _compiler = compiler;
        _time = time;
        _logger = logger;
    }

    /// <summary>First load, at startup: throws <see cref="ConfigException"/> with every error.</summary>
    public RouteTable LoadInitial()
    {
        var table = Load(out var errors) ?? throw new ConfigException(errors);
        _holder.Publish(table);
        Log.Loaded(_logger, table.SourcePath, table.Models.Count, table.Aliases.Count, table.Keys.Count);
        ReportWarnings(table);
        return table;
    }

    private RouteTable? Load(out IReadOnlyList<ConfigError> errors)
    {
        var bytes = File.Exists(_options.ConfigPath) ? File.ReadAllBytes(_options.ConfigPath) : null;
        _lastHash = bytes is null ? [] : SHA256.HashData(bytes);
        var (config, loadErrors) = ConfigLoader.LoadFile(_options.ConfigPath);
        errors = loadErrors;
        if (loadErrors.Count > 0)
        {
            return null;
        }

        try
        {
            return _compiler.Compile(config);
        }
        catch (ConfigException ex)
        {
            errors = ex.Errors;
            return null;
        }
    }

    private void ReportWarnings(RouteTable table)
    {
        foreach (var warning in table.Warnings)
        {
            Log.Warning(_logger, warning);
        }

        foreach (var provider in table.Models.Values.SelectMany(m => m.Deployments).Where(d => d.Adapter.IsSimulated).Select(d => d.ProviderName).Distinct())
        {
            Log.Simulated(_logger, provider);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReloadPollInterval, _time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                TryReload();
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    /// <summary>Reloads when the file's content changed; returns true when a new table was published.</summary>
    public bool TryReload()
    {
        byte[] hash;
        try
        {
            hash = SHA256.HashData(File.ReadAllBytes(_options.ConfigPath));
        }
        catch (IOException)
        {
            return false;
        }

        if (hash.AsSpan().SequenceEqual(_lastHash))
        {
            return false;
        }

        var table = Load(out var errors);
        if (table is null)
        {
            Log.ReloadFailed(_logger, _options.ConfigPath, errors.Count, string.Join(Environment.NewLine, errors));
            return false;
        }

        _holder.Publish(table);
        Log.Reloaded(_logger, table.SourcePath, table.Generation);
        ReportWarnings(table);
        return true;
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ConfigLoaded, LogLevel.Information, "Configuration {Path} loaded: {Models} models, {Aliases} aliases, {Keys} client keys.")]
        public static partial void Loaded(ILogger logger, string path, int models, int aliases, int keys);

        [LoggerMessage(EventIds.ConfigWarning, LogLevel.Warning, "Configuration: {Warning}")]
        public static partial void Warning(ILogger logger, string warning);

        [LoggerMessage(EventIds.SimulatedProvider, LogLevel.Warning, "Provider '{Provider}' is SIMULATED: its replies are generated locally, not by a model.")]
        public static partial void Simulated(ILogger logger, string provider);

        [LoggerMessage(EventIds.ConfigReloadFailed, LogLevel.Error, "Configuration {Path} changed but has {Count} error(s); keeping the running configuration:\n{Errors}")]
        public static partial void ReloadFailed(ILogger logger, string path, int count, string errors);

        [LoggerMessage(EventIds.ConfigReloaded, LogLevel.Information, "Configuration {Path} reloaded (generation {Generation}).")]
        public static partial void Reloaded(ILogger logger, string path, int generation);
    }
}
