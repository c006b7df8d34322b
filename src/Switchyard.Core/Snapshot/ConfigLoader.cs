using System.Collections.Frozen;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// Reads a configuration file (YAML; JSON is valid YAML) into <see cref="GatewayConfig"/>, reporting every
/// error with file, line, column, path and reason. Cross-references are checked by <see cref="ConfigValidator"/>.
/// </summary>
public static class ConfigLoader
{
    public static readonly string[] KnownCapabilities =
        ["tools", "parallel_tool_calls", "vision", "json_object", "json_schema", "streaming", "embeddings", "audio", "files"];

    /// <summary>Loads and validates a file; returns the config and every error found (empty when valid).</summary>
    public static (GatewayConfig Config, IReadOnlyList<ConfigError> Errors) LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new GatewayConfig { SourcePath = path }, [new ConfigError(path, 0, 0, "(file)", ex.Message)]);
        }

        return Load(text, path);
    }

    /// <summary>Loads and validates configuration text.</summary>
    public static (GatewayConfig Config, IReadOnlyList<ConfigError> Errors) Load(string text, string file)
    {
        var errors = new List<ConfigError>();
        var reader = YamlNodeReader.OpenRoot(text, file, errors, "a mapping with providers, deployments, models, aliases and keys");
        if (reader is null)
        {
            return (new GatewayConfig { SourcePath = file }, errors);
        }

        var config = new GatewayConfig
        {
            SourcePath = file,
            Source = reader.Source,
            Server = ReadServer(reader.Mapping("server")),
            Providers = [.. reader.NamedMappings("providers").Select(p => CatalogConfigReader.ReadProvider(p.Name, p.Reader))],
            Deployments = [.. reader.MappingList("deployments").Select(CatalogConfigReader.ReadDeployment).OfType<DeploymentConfig>()],
            Models = [.. reader.NamedMappings("models").Select(m => CatalogConfigReader.ReadModel(m.Name, m.Reader))],
            Aliases = [.. reader.NamedMappings("aliases").Select(a => ReadAlias(a.Name, a.Reader))],
            Keys = [.. reader.MappingList("keys").Select(ReadKey).OfType<ClientKeyConfig>()],
            Storage = ReadStorage(reader.Mapping("storage")),
            Privacy = PrivacyConfigReader.ReadPrivacy(reader.Mapping("privacy")),
            Console = ConsoleConfigReader.Read(reader.Mapping("console")),
        };
        config = config with { Resilience = ResilienceConfigReader.Read(reader.Mapping("resilience"), config) };
        reader.RejectUnknownKeys();
        ConfigValidator.Validate(config, reader, errors);
        return (config, errors);
    }

    private static ServerConfig ReadServer(YamlNodeReader? r)
    {
        var defaults = new ServerConfig();
        if (r is null)
        {
            return defaults;
        }

        var server = new ServerConfig
        {
            MaxRequestBodyBytes = r.Long("max_request_body_bytes", 1024, 1L << 31) ?? defaults.MaxRequestBodyBytes,
            DrainTimeout = r.Duration("drain_timeout", TimeSpan.Zero, TimeSpan.FromMinutes(10)) ?? defaults.DrainTimeout,
            LedgerFlushInterval = r.Duration("ledger_flush_interval", TimeSpan.FromMilliseconds(10), TimeSpan.FromSeconds(60)) ?? defaults.LedgerFlushInterval,
            LedgerQueueCapacity = r.Int("ledger_queue_capacity", 1024, 10_000_000) ?? defaults.LedgerQueueCapacity,
            AdminKeyEnv = r.String("admin_key_env"),
            ConfigPollInterval = r.Duration("config_poll_interval", TimeSpan.FromMilliseconds(10), TimeSpan.FromMinutes(10)) ?? defaults.ConfigPollInterval,
        };
        r.RejectUnknownKeys();
        return server;
    }

    private static StorageConfig ReadStorage(YamlNodeReader? r)
    {
        var defaults = new StorageConfig();
        if (r is null)
        {
            return defaults;
        }

        var kind = r.String("kind") ?? defaults.Kind;
        if (kind is not ("sqlite" or "postgres"))
        {
            r.Error("kind", $"must be sqlite or postgres, not '{kind}'");
        }

        var storage = new StorageConfig
        {
            Kind = kind,
            ConnectionStringEnv = r.String("connection_string_env"),
            RetentionDays = r.Int("retention_days", 1, 36_500),
            KeyPollInterval = r.Duration("key_poll_interval", TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(10)) ?? defaults.KeyPollInterval,
            RateLimitSyncInterval = r.Duration("rate_limit_sync_interval", TimeSpan.FromMilliseconds(20), TimeSpan.FromMinutes(1)) ?? defaults.RateLimitSyncInterval,
            DefaultReservedOutputTokens = r.Int("default_reserved_output_tokens", 1, 10_000_000) ?? defaults.DefaultReservedOutputTokens,
        };
        if (kind == "postgres" && storage.ConnectionStringEnv is null)
        {
            r.Error(r.Node, r.Child("connection_string_env"), "is required when kind is postgres (the variable holding the connection string)");
        }

        r.RejectUnknownKeys();
        return storage;
    }

    private static AliasConfig ReadAlias(string name, YamlNodeReader r)
    {
        var targets = new List<AliasTarget>();
        foreach (var t in r.MappingList("targets"))
        {
            var model = t.String("model", required: true);
            var weight = t.Int("weight", 0, 1_000_000) ?? 1;
            if (model is not null)
            {
                targets.Add(new AliasTarget(model, weight));
            }

            t.RejectUnknownKeys();
        }

        if (targets.Count == 0)
        {
            r.Error(r.Node, r.Child("targets"), "an alias needs at least one target model");
        }

        var alias = new AliasConfig { Name = name, Targets = targets, Objective = Objective(r, "objective"), Thresholds = Thresholds(r, "thresholds") };
        r.RejectUnknownKeys();
        return alias;
    }

    private static ClientKeyConfig? ReadKey(YamlNodeReader r)
    {
        var name = r.String("name", required: true);
        var key = new ClientKeyConfig
        {
            Name = name ?? "",
            Key = r.String("key"),
            KeyEnv = r.String("key_env"),
            KeySha256 = r.String("key_sha256"),
            Team = r.String("team"),
            AllowedModels = r.StringList("allowed_models") ?? [],
            OnRestricted = PrivacyConfigReader.ReadKeyPrivacy(r),
            Objective = Objective(r, "objective"),
            Thresholds = Thresholds(r, "thresholds"),
            AllowedObjectives = r.StringList("allowed_objectives")?.Select(o => ObjectiveName(r, "allowed_objectives", o)).OfType<RouteObjective>().ToList(),
        };
        var sources = (key.Key is null ? 0 : 1) + (key.KeyEnv is null ? 0 : 1) + (key.KeySha256 is null ? 0 : 1);
        if (sources != 1)
        {
            r.Error(r.Node, r.Path, "a key needs exactly one of key, key_env or key_sha256");
        }

        if (key.KeySha256 is { } hash && (hash.Length != 64 || !hash.All(char.IsAsciiHexDigit)))
        {
            r.Error("key_sha256", "must be 64 hex digits (the SHA-256 of the key)");
        }

        if (key.Key is { Length: < 8 })
        {
            r.Error("key", "must be at least 8 characters");
        }

        r.RejectUnknownKeys();
        return name is null ? null : key;
    }

    internal static RouteObjective? Objective(YamlNodeReader r, string key) => r.String(key) is { } text ? ObjectiveName(r, key, text) : null;

    private static RouteObjective? ObjectiveName(YamlNodeReader r, string key, string text)
    {
        if (RouteObjectives.TryParse(text, out var objective))
        {
            return objective;
        }

        r.Error(key, $"must be one of {string.Join(", ", RouteObjectives.Names)}, not '{text}'");
        return null;
    }

    /// <summary>
    /// <c>thresholds: { default: 0.7, code: 0.85, quality_per_dollar: 200 }</c>: minimum predicted quality, by task
    /// category (cheapest-qualifying), and λ of the value objective.
    /// </summary>
    internal static QualityThresholds? Thresholds(YamlNodeReader r, string key)
    {
        if (r.Mapping(key) is not { } m)
        {
            return null;
        }

        var perCategory = new Dictionary<TaskCategory, double>();
        foreach (var category in TaskCategories.All)
        {
            if (m.Double(TaskCategories.Name(category), 0, 1) is { } value)
            {
                perCategory[category] = value;
            }
        }

        var thresholds = new QualityThresholds(m.Double("default", 0, 1) ?? QualityThresholds.Standard.Default, perCategory.ToFrozenDictionary())
        {
            QualityPerDollar = m.Double("quality_per_dollar", 0, 1e9) ?? QualityThresholds.StandardQualityPerDollar,
        };
        m.RejectUnknownKeys();
        return thresholds;
    }

    internal static TrustZone? Zone(YamlNodeReader r, string key) => r.String(key) switch
    {
        null => null,
        "self-hosted" => TrustZone.SelfHosted,
        "private" => TrustZone.Private,
        "external" => TrustZone.External,
        var other => ZoneError(r, key, other),
    };

    private static TrustZone? ZoneError(YamlNodeReader r, string key, string value)
    {
        r.Error(key, $"must be self-hosted, private or external, not '{value}'");
        return null;
    }
}
