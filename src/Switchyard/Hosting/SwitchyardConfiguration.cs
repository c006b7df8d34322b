using System.Security.Cryptography;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Telemetry;

namespace Switchyard.Hosting;

/// <summary>
/// Loads, validates, compiles and publishes the configuration; then watches the file and reloads it. A
/// changed file that does not validate is refused with every error logged (each as <c>file:line:column: path:
/// reason</c>), and the running table stays (invariant 5); so does a deleted or unreadable file. A change is
/// loaded once two polls in a row read the same bytes, so a file caught half-written is not. Requests in flight
/// keep the table they started with. What is in force and what was last refused is in <see cref="Status"/>.
/// </summary>
internal sealed partial class SwitchyardConfiguration : SupervisedService
{
    /// <summary>The task's name in health documents.</summary>
    public const string Name = "config-reload";

    private readonly GatewayOptions _options;
    private readonly RouteTableHolder _holder;
    private readonly RouteTableCompiler _compiler;
    private readonly TimeProvider _time;
    private readonly ILogger<SwitchyardConfiguration> _logger;
    private ConfigStatus _status = new("", 0, null, null, null, null);

    // The last bytes seen that differ from those processed: loaded when the next poll reads them unchanged.
    private string? _pending;

    public SwitchyardConfiguration(GatewayOptions options, RouteTableHolder holder, RouteTableCompiler compiler, TimeProvider time, BackgroundTasks tasks,
        ILogger<SwitchyardConfiguration> logger)
        : base(Name, tasks, time, logger)
    {
        _options = options;
        _holder = holder;
        _compiler = compiler;
        _time = time;
        _logger = logger;
    }

    /// <summary>The configuration in force and the last change refused, for health documents.</summary>
    public ConfigStatus Status => Volatile.Read(ref _status);

    protected override TimeSpan Interval => _options.ReloadPollInterval ?? _holder.Current.Server.ConfigPollInterval;

    protected override string WhileFailing => "the running configuration stays in force";

    /// <summary>First load, at startup: throws <see cref="ConfigException"/> with every error.</summary>
    public RouteTable LoadInitial()
    {
        var bytes = ReadFile();
        var table = Load(bytes, out var errors) ?? throw new ConfigException(errors);
        Publish(table, Hash(bytes!));
        Log.Loaded(_logger, table.SourcePath, table.Models.Count, table.Aliases.Count, table.Keys.Count);
        ReportWarnings(table);
        return table;
    }

    protected override Task RunOnceAsync(CancellationToken cancellationToken)
    {
        TryReload();
        return Task.CompletedTask;
    }

    /// <summary>
    /// One poll: reloads when the file's content changed and has stayed so since the previous poll; returns true when a
    /// new table was published.
    /// </summary>
    public bool TryReload()
    {
        var bytes = ReadFile();
        var hash = bytes is null ? null : Hash(bytes);
        var status = Status;
        if (hash == status.FileSha256)
        {
            _pending = null;
            return false;
        }

        if (hash != _pending)
        {
            // Changed since the last poll: wait one more poll in case the writer is not done.
            _pending = hash;
            return false;
        }

        _pending = null;
        if (bytes is null)
        {
            Refuse(null, [new ConfigError(_options.ConfigPath, 0, 0, "(file)", "the file is missing or unreadable")]);
            return false;
        }

        if (hash == status.Sha256)
        {
            // Back to the content in force (an edit undone): nothing to compile.
            Volatile.Write(ref _status, status with { FileSha256 = hash, Rejection = null });
            return false;
        }

        RouteTable? table;
        IReadOnlyList<ConfigError> errors;
        try
        {
            table = Load(bytes, out errors);
        }
        catch (Exception ex)
        {
            // A bug, not the file's fault: refuse the content (so it is not retried in a loop) and let the supervisor count it.
            Refuse(hash, [new ConfigError(_options.ConfigPath, 0, 0, "(internal)", "loading failed: " + BackgroundTasks.Describe(ex))]);
            throw;
        }

        if (table is null)
        {
            Refuse(hash, errors);
            return false;
        }

        Publish(table, hash!);
        Log.Reloaded(_logger, table.SourcePath, table.Generation, hash![..12]);
        ReportWarnings(table);
        return true;
    }

    private byte[]? ReadFile()
    {
        try
        {
            return File.ReadAllBytes(_options.ConfigPath);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private RouteTable? Load(byte[]? bytes, out IReadOnlyList<ConfigError> errors)
    {
        var (config, loadErrors) = bytes is null ? ConfigLoader.LoadFile(_options.ConfigPath) : ConfigLoader.Load(Text(bytes), _options.ConfigPath);
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

    private void Publish(RouteTable table, string hash)
    {
        _holder.Publish(table);
        Volatile.Write(ref _status, new ConfigStatus(table.SourcePath, table.Generation, _time.GetUtcNow(), hash, hash, null));
    }

    private void Refuse(string? hash, IReadOnlyList<ConfigError> errors)
    {
        var lines = errors.Select(e => e.ToString()).ToList();
        Volatile.Write(ref _status, Status with { FileSha256 = hash, Rejection = new ConfigRejection(_time.GetUtcNow(), hash, lines) });
        if (hash is null)
        {
            Log.FileMissing(_logger, _options.ConfigPath);
        }
        else
        {
            Log.ReloadFailed(_logger, _options.ConfigPath, hash[..12], errors.Count, string.Join(Environment.NewLine, lines));
        }
    }

    /// <summary>The bytes that were hashed, decoded as <see cref="File.ReadAllText(string)"/> would (UTF-8 unless a byte order mark says otherwise).</summary>
    private static string Text(byte[] bytes)
    {
        using var reader = new StreamReader(new MemoryStream(bytes), System.Text.Encoding.UTF8, detectEncodingFromByteOrderMarks: true);
        return reader.ReadToEnd();
    }

    private static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

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

    private static partial class Log
    {
        [LoggerMessage(EventIds.ConfigLoaded, LogLevel.Information, "Configuration {Path} loaded: {Models} models, {Aliases} aliases, {Keys} client keys.")]
        public static partial void Loaded(ILogger logger, string path, int models, int aliases, int keys);

        [LoggerMessage(EventIds.ConfigWarning, LogLevel.Warning, "Configuration: {Warning}")]
        public static partial void Warning(ILogger logger, string warning);

        [LoggerMessage(EventIds.SimulatedProvider, LogLevel.Warning, "Provider '{Provider}' is SIMULATED: its replies are generated locally, not by a model.")]
        public static partial void Simulated(ILogger logger, string provider);

        [LoggerMessage(EventIds.ConfigReloadFailed, LogLevel.Error,
            "Configuration {Path} changed (sha256 {Sha256}) but has {Count} error(s); keeping the running configuration:\n{Errors}")]
        public static partial void ReloadFailed(ILogger logger, string path, string sha256, int count, string errors);

        [LoggerMessage(EventIds.ConfigFileMissing, LogLevel.Error, "Configuration {Path} is missing or unreadable; keeping the running configuration.")]
        public static partial void FileMissing(ILogger logger, string path);

        [LoggerMessage(EventIds.ConfigReloaded, LogLevel.Information, "Configuration {Path} reloaded (generation {Generation}, sha256 {Sha256}).")]
        public static partial void Reloaded(ILogger logger, string path, int generation, string sha256);
    }
}

/// <summary>
/// The configuration as health documents show it: the file in force (<see cref="Sha256"/>, generation, when), the
/// content last read from the file (<see cref="FileSha256"/>, null when missing), and the last change refused.
/// </summary>
internal sealed record ConfigStatus(string Path, int Generation, DateTimeOffset? LoadedAt, string? Sha256, string? FileSha256, ConfigRejection? Rejection);

/// <summary>A change of the file that was refused: when, which content (null: the file was missing), and every error located.</summary>
internal sealed record ConfigRejection(DateTimeOffset At, string? Sha256, IReadOnlyList<string> Errors);
