using System.Globalization;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Admin;

/// <summary>One effective setting and where its value comes from: <c>file:LINE</c>, <c>default</c>, <c>cli</c> or <c>env:NAME</c>.</summary>
internal sealed record SettingDto(string Path, string Value, string Source);

/// <summary>How long what is kept: metadata (ledger rows) and content (prompts and completions).</summary>
internal sealed record RetentionDto(int? MetadataDays, string Metadata, string Content, string Aggregates);

/// <summary><c>GET /admin/api/v1/settings</c>: the running configuration with sources, the file's validation now, retention, store size.</summary>
internal sealed record SettingsDto(string ConfigPath, int Generation, DateTimeOffset LoadedAt, IReadOnlyList<SettingDto> Settings, IReadOnlyList<string> FileErrors,
    IReadOnlyList<string> Warnings, RetentionDto Retention, string StorageKind, long? DatabaseBytes, long? DatabaseCapBytes, bool DatabaseWarning);

/// <summary>Reads Settings. Secrets are never shown: a key is named by its variable or file, with whether it is set.</summary>
internal sealed class SettingsReader
{
    private readonly RouteTableHolder _routes;
    private readonly GatewayOptions _options;
    private readonly ConsoleSettings _console;
    private readonly ILedgerAnalytics _analytics;

    public SettingsReader(RouteTableHolder routes, GatewayOptions options, ConsoleSettings console, ILedgerAnalytics analytics)
    {
        _routes = routes;
        _options = options;
        _console = console;
        _analytics = analytics;
    }

    public async Task<SettingsDto> ReadAsync(CancellationToken cancellationToken)
    {
        var table = _routes.Current;
        var (config, errors) = ConfigLoader.LoadFile(_options.ConfigPath);
        var lines = FileLines(_options.ConfigPath);
        var settings = new List<SettingDto>();
        var inv = CultureInfo.InvariantCulture;
        void Add(string path, object? value) =>
            settings.Add(new SettingDto(path, Format(value), lines.TryGetValue(path, out var line) ? $"file:{line}" : "default"));

        settings.Add(new SettingDto("--config", _options.ConfigPath, "cli"));
        settings.Add(new SettingDto("--urls", _options.Urls, "cli"));
        settings.Add(new SettingDto("--data-dir", _options.DataDir, "cli"));
        settings.Add(new SettingDto("--no-dashboard", (!_console.DashboardEnabled).ToString().ToLowerInvariant(), "cli"));
        Add("server.max_request_body_bytes", table.Server.MaxRequestBodyBytes);
        Add("server.drain_timeout", table.Server.DrainTimeout);
        Add("server.ledger_flush_interval", table.Server.LedgerFlushInterval);
        Add("server.ledger_queue_capacity", table.Server.LedgerQueueCapacity);
        Add("server.admin_key_env", table.Server.AdminKeyEnv is { } adminEnv ? $"{adminEnv} ({(_options.Environment(adminEnv) is { Length: > 0 } ? "set" : "unset")})" : null);
        Add("storage.kind", table.Storage.Kind);
        Add("storage.connection_string_env", table.Storage.ConnectionStringEnv);
        Add("storage.retention_days", table.Storage.RetentionDays);
        Add("storage.key_poll_interval", table.Storage.KeyPollInterval);
        Add("storage.rate_limit_sync_interval", table.Storage.RateLimitSyncInterval);
        Add("storage.default_reserved_output_tokens", table.Storage.DefaultReservedOutputTokens);
        Add("console.enabled", _console.Config.Enabled);
        Add("console.reporting_timezone", _console.Config.ReportingTimezone);
        Add("console.session_lifetime", _console.Config.SessionLifetime);
        Add("console.secure_cookies", _console.Config.SecureCookies);
        Add("console.database_size_cap_mb", _console.Config.DatabaseSizeCapBytes / (1024 * 1024));
        Add("privacy.on_restricted", config.Privacy.OnRestricted);
        foreach (var p in config.Providers)
        {
            Add($"providers.{p.Name}.type", p.Type);
            Add($"providers.{p.Name}.base_url", p.BaseUrl);
            Add($"providers.{p.Name}.zone", RouteRefusals.ZoneName(p.Zone));
            Add($"providers.{p.Name}.region", p.Region);
            if (p.ApiKeyEnv is { } env)
            {
                settings.Add(new SettingDto($"providers.{p.Name}.api_key_env", $"{env} ({(_options.Environment(env) is { Length: > 0 } ? "set" : "unset")})", $"env:{env}"));
            }

            if (p.ApiKeyFile is { } file)
            {
                settings.Add(new SettingDto($"providers.{p.Name}.api_key_file", $"{file} ({(File.Exists(file) ? "present" : "missing")})", $"file:{lines.GetValueOrDefault($"providers.{p.Name}.api_key_file")}"));
            }
        }

        foreach (var m in table.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            settings.Add(new SettingDto($"models.{m.Name}.price", string.Create(inv, $"in {m.Price.InputPerMillion} / out {m.Price.OutputPerMillion} per M"),
                lines.ContainsKey($"models.{m.Name}.price") ? $"file:{lines[$"models.{m.Name}.price"]}" : m.CatalogId is { } id ? $"catalog:{id}" : "default"));
        }

        foreach (var a in table.Aliases.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            Add($"aliases.{a.Name}.objective", RouteObjectives.Name(a.Objective));
        }

        var size = await _analytics.SizeBytesAsync(cancellationToken);
        var cap = _console.Config.DatabaseSizeCapBytes;
        var days = table.Storage.RetentionDays;
        return new SettingsDto(_options.ConfigPath, table.Generation, DateTimeOffset.FromUnixTimeSeconds(table.CreatedUnixSeconds), settings,
            [.. errors.Select(e => e.ToString())], [.. table.Warnings, .. table.SkippedProviders.Select(p => $"provider {p.Key} skipped: {p.Value}")],
            new RetentionDto(days, days is { } d ? $"ledger rows kept {d} days, then rolled up into daily totals (storage.retention_days)" : "ledger rows kept forever (set storage.retention_days; 90 is a common choice)",
                "off: the gateway keeps no prompt or completion", "hourly and daily aggregates are kept with no limit (a few rows per hour)"),
            table.Storage.Kind, size, cap, size is { } s && cap is { } c && s >= c * 0.8);
    }

    private static string Format(object? value) => value switch
    {
        null => "(not set)",
        TimeSpan t => t.TotalSeconds >= 1 && t.TotalSeconds % 1 == 0 ? string.Create(CultureInfo.InvariantCulture, $"{t.TotalSeconds}s") : string.Create(CultureInfo.InvariantCulture, $"{t.TotalMilliseconds}ms"),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    /// <summary>Every mapping path in the file with the line it starts on (<c>server.drain_timeout</c> → 10).</summary>
    private static Dictionary<string, int> FileLines(string path)
    {
        var lines = new Dictionary<string, int>(StringComparer.Ordinal);
        try
        {
            var stream = new YamlStream();
            using var reader = new StreamReader(path);
            stream.Load(reader);
            if (stream.Documents.Count > 0 && stream.Documents[0].RootNode is YamlMappingNode root)
            {
                Walk(root, "", lines);
            }
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or YamlDotNet.Core.YamlException)
        {
            // The file's own errors are reported by the loader; no lines then.
        }

        return lines;
    }

    private static void Walk(YamlMappingNode node, string prefix, Dictionary<string, int> lines)
    {
        foreach (var (key, value) in node.Children)
        {
            if (key is not YamlScalarNode { Value: { } name })
            {
                continue;
            }

            var path = prefix.Length == 0 ? name : prefix + "." + name;
            lines[path] = (int)key.Start.Line;
            if (value is YamlMappingNode child)
            {
                Walk(child, path, lines);
            }
        }
    }
}
