using System.Collections.Frozen;
using Switchyard.Inspection.Classification;
using Switchyard.Routing;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Configuration;

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
            Server = ReadServer(reader.Mapping("server")),
            Providers = [.. reader.NamedMappings("providers").Select(p => ReadProvider(p.Name, p.Reader))],
            Deployments = [.. reader.MappingList("deployments").Select(ReadDeployment).OfType<DeploymentConfig>()],
            Models = [.. reader.NamedMappings("models").Select(m => ReadModel(m.Name, m.Reader))],
            Aliases = [.. reader.NamedMappings("aliases").Select(a => ReadAlias(a.Name, a.Reader))],
            Keys = [.. reader.MappingList("keys").Select(ReadKey).OfType<ClientKeyConfig>()],
            Storage = ReadStorage(reader.Mapping("storage")),
            Privacy = ReadPrivacy(reader.Mapping("privacy")),
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

    private static ProviderConfig ReadProvider(string name, YamlNodeReader r)
    {
        var type = r.String("type", required: true) ?? "";
        Uri? baseUrl = null;
        if (r.String("base_url") is { } url)
        {
            if (!Uri.TryCreate(url, UriKind.Absolute, out baseUrl) || (baseUrl.Scheme != Uri.UriSchemeHttp && baseUrl.Scheme != Uri.UriSchemeHttps))
            {
                r.Error("base_url", $"must be an absolute http(s) URL, not '{url}'");
                baseUrl = null;
            }
        }

        var defaults = new ProviderConfig { Name = name, Type = type };
        var provider = defaults with
        {
            BaseUrl = baseUrl,
            ApiKeyEnv = r.String("api_key_env"),
            ApiKeyFile = r.String("api_key_file"),
            Headers = r.StringMap("headers") ?? defaults.Headers,
            ConnectTimeout = r.Duration("connect_timeout", TimeSpan.FromMilliseconds(50), TimeSpan.FromMinutes(2)) ?? defaults.ConnectTimeout,
            RequestTimeout = r.Duration("timeout", TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(60)) ?? defaults.RequestTimeout,
            MaxConnections = r.Int("max_connections", 1, 65_536) ?? defaults.MaxConnections,
            Zone = Zone(r, "zone") ?? (type == "simulated" ? TrustZone.SelfHosted : defaults.Zone),
            Region = r.String("region"),
            StreamUsage = r.Bool("stream_usage") ?? defaults.StreamUsage,
        };
        if (r.Has("api_key"))
        {
            r.Error("api_key", "upstream keys never go in the configuration file: use api_key_env or api_key_file");
        }

        r.RejectUnknownKeys();
        return provider;
    }

    private static DeploymentConfig? ReadDeployment(YamlNodeReader r)
    {
        var id = r.String("id", required: true);
        var provider = r.String("provider", required: true);
        var model = r.String("model", required: true);
        SimulationConfig? simulate = null;
        if (r.Mapping("simulate") is { } s)
        {
            var d = new SimulationConfig();
            simulate = new SimulationConfig
            {
                TimeToFirstToken = s.Duration("time_to_first_token", TimeSpan.Zero, TimeSpan.FromMinutes(5)) ?? d.TimeToFirstToken,
                TokensPerSecond = s.Double("tokens_per_second", 0.1, 1_000_000) ?? d.TokensPerSecond,
                ReplyTokens = s.Int("reply_tokens", 1, 1_000_000) ?? d.ReplyTokens,
                ErrorRate = s.Double("error_rate", 0, 1) ?? d.ErrorRate,
            };
            s.RejectUnknownKeys();
        }

        var deployment = id is null || provider is null || model is null
            ? null
            : new DeploymentConfig
            {
                Id = id,
                Provider = provider,
                Model = model,
                UpstreamModel = r.String("upstream_model"),
                Zone = Zone(r, "zone"),
                Region = r.String("region"),
                Weight = r.Int("weight", 0, 1_000_000) ?? 1,
                Simulate = simulate,
            };
        r.RejectUnknownKeys();
        return deployment;
    }

    private static ModelConfig ReadModel(string name, YamlNodeReader r)
    {
        PriceOverride? price = null;
        if (r.Mapping("price") is { } p)
        {
            var tiers = new List<Pricing.PriceTier>();
            foreach (var t in p.MappingList("tiers"))
            {
                var above = t.Int("above_input_tokens", 1, int.MaxValue);
                var input = t.Decimal("input");
                var output = t.Decimal("output");
                if (above is null || input is null || output is null)
                {
                    t.Error(t.Node, t.Path, "a price tier needs above_input_tokens, input and output");
                }
                else
                {
                    tiers.Add(new Pricing.PriceTier(above.Value, input.Value, output.Value, t.Decimal("cached_input"), t.Decimal("cache_write")));
                }

                t.RejectUnknownKeys();
            }

            price = new PriceOverride(p.Decimal("input"), p.Decimal("output"), p.Decimal("cached_input"), p.Decimal("cache_write"))
            {
                Tiers = tiers.Count == 0 ? [] : [.. tiers.OrderBy(t => t.AboveInputTokens)],
            };
            p.RejectUnknownKeys();
        }

        var capabilities = r.StringList("capabilities");
        if (capabilities is not null)
        {
            foreach (var c in capabilities.Where(c => !KnownCapabilities.Contains(c)))
            {
                r.Error("capabilities", $"unknown capability '{c}' (known: {string.Join(", ", KnownCapabilities)})");
            }
        }

        var profile = r.String("quality_profile");
        if (profile is not null && !QualityCatalog.BuiltIn.IsKnown(profile))
        {
            r.Error("quality_profile", $"unknown quality profile '{profile}' (known: {string.Join(", ", QualityCatalog.BuiltIn.Profiles)})");
        }

        var model = new ModelConfig
        {
            Name = name,
            Catalog = r.String("catalog"),
            ContextWindow = r.Int("context_window", 1, 100_000_000),
            MaxOutputTokens = r.Int("max_output_tokens", 1, 100_000_000),
            Capabilities = capabilities,
            OpenWeights = r.Bool("open_weights"),
            Price = price,
            QualityProfile = profile,
        };
        r.RejectUnknownKeys();
        return model;
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
            OnRestricted = ReadKeyPrivacy(r),
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

    private static readonly string[] _dataClasses = ["public", "internal", "confidential", "restricted"];

    private static PrivacyConfig ReadPrivacy(YamlNodeReader? r)
    {
        if (r is null)
        {
            return new PrivacyConfig();
        }

        var classes = r.StringMap("classes") ?? new Dictionary<string, string>();
        foreach (var (type, value) in classes)
        {
            if (!Inspection.Privacy.PiiTypeNames.TryParse(type, out _))
            {
                r.Error("classes", $"unknown entity type '{type}' (known: {string.Join(", ", Inspection.Privacy.PiiTypeNames.BuiltIn.Select(Inspection.Privacy.PiiTypeNames.Name))})");
            }

            if (!_dataClasses.Contains(value))
            {
                r.Error("classes", $"'{type}' must map to public, internal, confidential or restricted, not '{value}'");
            }
        }

        var patterns = new List<CustomDetectorConfig>();
        foreach (var p in r.MappingList("patterns"))
        {
            var name = p.String("name", required: true);
            var regex = p.String("regex");
            var keywords = p.StringList("keywords");
            var dataClass = p.String("class") ?? "confidential";
            if ((regex is null) == (keywords is null))
            {
                p.Error(p.Node, p.Path, "a pattern needs exactly one of regex or keywords");
            }

            if (!_dataClasses.Contains(dataClass))
            {
                p.Error("class", $"must be public, internal, confidential or restricted, not '{dataClass}'");
            }

            if (regex is not null)
            {
                try
                {
                    _ = new System.Text.RegularExpressions.Regex(regex, System.Text.RegularExpressions.RegexOptions.NonBacktracking);
                }
                catch (ArgumentException ex)
                {
                    p.Error("regex", "is not a valid regular expression for the non-backtracking engine: " + ex.Message);
                }
            }

            if (name is not null && (name.Length == 0 || !name.All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')))
            {
                p.Error("name", "must be upper-case letters, digits and underscores (it is reported as an entity type)");
            }

            p.RejectUnknownKeys();
            if (name is not null)
            {
                patterns.Add(new CustomDetectorConfig(name, regex, keywords, dataClass));
            }
        }

        var config = new PrivacyConfig
        {
            Classes = classes,
            Patterns = patterns,
            OnRestricted = ReadAction(r) ?? "refuse",
        };
        r.RejectUnknownKeys();
        return config;
    }

    private static string? ReadKeyPrivacy(YamlNodeReader key)
    {
        if (key.Mapping("privacy") is not { } r)
        {
            return null;
        }

        var action = ReadAction(r);
        r.RejectUnknownKeys();
        return action;
    }

    private static string? ReadAction(YamlNodeReader r)
    {
        var action = r.String("on_restricted");
        if (action is not null && !Inspection.Privacy.RestrictedActionNames.All.Contains(action))
        {
            r.Error("on_restricted", $"must be refuse or redact, not '{action}'");
            return null;
        }

        return action;
    }

    private static RouteObjective? Objective(YamlNodeReader r, string key) => r.String(key) is { } text ? ObjectiveName(r, key, text) : null;

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
    private static QualityThresholds? Thresholds(YamlNodeReader r, string key)
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

    private static TrustZone? Zone(YamlNodeReader r, string key) => r.String(key) switch
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
