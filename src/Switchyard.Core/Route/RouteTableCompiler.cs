using System.Collections.Frozen;
using Switchyard.Core.Catalog;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Pricing;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Route;

/// <summary>
/// Compiles a validated <see cref="GatewayConfig"/> into a <see cref="RouteTable"/>: resolves secrets, builds
/// one adapter per provider, joins models with catalog prices and configured overrides. A provider whose key
/// variable is unset is skipped with a warning, not fatal.
/// </summary>
public sealed class RouteTableCompiler
{
    /// <summary>What an unset admin key means, in the startup warning (docs/configuration.md, <c>admin_key_env</c>).</summary>
    private const string AdminOffConsequence =
        "admin URLs answer 404, except the health documents /admin/health and /admin/health/deployments, which loopback clients may read";

    private static readonly string[] _defaultChatCapabilities = ["streaming", "tools", "parallel_tool_calls", "json_object", "json_schema"];

    private readonly FrozenDictionary<string, IProviderAdapterFactory> _factories;
    private readonly Func<string, string?> _environment;
    private readonly PriceCatalog _catalog;
    private readonly TimeProvider _time;
    private int _generation;

    public RouteTableCompiler(IEnumerable<IProviderAdapterFactory> factories, TimeProvider time, Func<string, string?>? environment = null, PriceCatalog? catalog = null)
    {
        _time = time;
        _factories = factories.ToFrozenDictionary(f => f.Type, StringComparer.Ordinal);
        _environment = environment ?? Environment.GetEnvironmentVariable;
        _catalog = catalog ?? PriceCatalog.BuiltIn;
    }

    /// <summary>Compiles; throws <see cref="ConfigException"/> with every error when the config cannot be used.</summary>
    public RouteTable Compile(GatewayConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
        var errors = new List<ConfigError>();
        var warnings = new List<string>();
        var skipped = new Dictionary<string, string>(StringComparer.Ordinal);
        var file = config.SourcePath;
        var source = config.Source;

        var adapters = new Dictionary<string, (ProviderConfig Config, IProviderAdapter Adapter)>(StringComparer.Ordinal);
        foreach (var provider in config.Providers)
        {
            if (!_factories.TryGetValue(provider.Type, out var factory))
            {
                errors.Add(Located(source, file, $"providers.{provider.Name}.type", $"no adapter is registered for type '{provider.Type}'"));
                continue;
            }

            Secret? key = null;
            if (provider.ApiKeyEnv is { } variable)
            {
                var value = _environment(variable);
                if (string.IsNullOrWhiteSpace(value))
                {
                    var reason = $"environment variable {variable} is not set";
                    skipped[provider.Name] = reason;
                    warnings.Add($"provider '{provider.Name}' skipped: {reason}");
                    continue;
                }

                key = new Secret(value.Trim());
            }
            else if (provider.ApiKeyFile is { } path)
            {
                var resolved = Path.IsPathRooted(path) || string.IsNullOrEmpty(file) ? path : Path.Combine(Path.GetDirectoryName(Path.GetFullPath(file)) ?? "", path);
                try
                {
                    key = new Secret(File.ReadAllText(resolved).Trim());
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    var reason = $"key file {resolved} cannot be read ({ex.GetType().Name})";
                    skipped[provider.Name] = reason;
                    warnings.Add($"provider '{provider.Name}' skipped: {reason}");
                    continue;
                }
            }

            try
            {
                var directory = string.IsNullOrEmpty(file) ? null : Path.GetDirectoryName(Path.GetFullPath(file));
                adapters[provider.Name] = (provider, factory.Create(new ProviderSettings(provider, key) { Environment = _environment, ConfigDirectory = directory }));
            }
            catch (ProviderUnavailableException ex)
            {
                skipped[provider.Name] = ex.Message;
                warnings.Add($"provider '{provider.Name}' skipped: {ex.Message}");
            }
        }

        // A model and its deployments point at each other: the model gets its list at construction, filled below.
        var models = new Dictionary<string, ModelInfo>(StringComparer.Ordinal);
        var deploymentsByModel = new Dictionary<string, List<Deployment>>(StringComparer.Ordinal);
        foreach (var m in config.Models)
        {
            models[m.Name] = CompileModel(m, source, file, errors, config.Resilience.LoadBalancingFor(m.Name), deploymentsByModel[m.Name] = []);
        }

        foreach (var d in config.Deployments)
        {
            if (!models.TryGetValue(d.Model, out var model) || !adapters.TryGetValue(d.Provider, out var provider))
            {
                continue;
            }

            var deployment = new Deployment
            {
                Id = d.Id,
                ProviderName = d.Provider,
                ProviderType = provider.Config.Type,
                UpstreamModel = d.UpstreamModel ?? d.Model,
                Zone = d.Zone ?? provider.Config.Zone,
                Region = d.Region ?? provider.Config.Region,
                Weight = d.Weight,
                Adapter = provider.Adapter,
                Simulation = d.Simulate ?? (provider.Config.Type == "simulated" ? new SimulationConfig() : null),
                Model = model,
                Resilience = config.Resilience.PolicyFor(d.Id),
            };
            deploymentsByModel[d.Model].Add(deployment);
        }

        foreach (var model in models.Values.Where(m => m.Deployments.Count == 0))
        {
            warnings.Add($"model '{model.Name}' has no usable deployment");
        }

        var aliases = config.Aliases.ToDictionary(
            a => a.Name,
            a => new AliasInfo
            {
                Name = a.Name,
                Targets = [.. a.Targets.Where(t => models.ContainsKey(t.Model)).Select(t => (models[t.Model], t.Weight))],
                Objective = a.Objective ?? RouteObjective.Weighted,
                Thresholds = a.Thresholds,
            },
            StringComparer.Ordinal);

        var keys = new List<KeyValuePair<string, Caller>>();
        foreach (var k in config.Keys)
        {
            string? hash = k.KeySha256?.ToLowerInvariant();
            if (k.Key is { } clear)
            {
                hash = KeyRing.Hash(clear);
            }
            else if (k.KeyEnv is { } variable)
            {
                var value = _environment(variable);
                if (string.IsNullOrWhiteSpace(value))
                {
                    warnings.Add($"client key '{k.Name}' skipped: environment variable {variable} is not set");
                    continue;
                }

                hash = KeyRing.Hash(value.Trim());
            }

            if (hash is null)
            {
                continue;
            }

            var allowed = k.AllowedModels.Count == 0 || k.AllowedModels.Contains("*") ? null : k.AllowedModels.ToFrozenSet(StringComparer.Ordinal);
            keys.Add(new(hash, new Caller
            {
                KeyName = k.Name,
                KeyId = hash[..12],
                Team = k.Team,
                AllowedModels = allowed,
                OnRestricted = k.OnRestricted is { } action ? RestrictedActionNames.Parse(action) : null,
                Objective = k.Objective,
                Thresholds = k.Thresholds,
                AllowedObjectives = k.AllowedObjectives?.ToFrozenSet(),
            }));
        }

        byte[]? adminKey = null;
        if (config.Server.AdminKeyEnv is { } adminVariable)
        {
            var value = _environment(adminVariable);
            if (string.IsNullOrWhiteSpace(value))
            {
                warnings.Add($"admin API disabled: environment variable {adminVariable} is not set; {AdminOffConsequence}");
            }
            else
            {
                adminKey = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(value.Trim()));
            }
        }
        else
        {
            warnings.Add($"admin API disabled: server.admin_key_env is not set; {AdminOffConsequence}");
        }

        if (keys.Select(k => k.Key).Distinct(StringComparer.OrdinalIgnoreCase).Count() != keys.Count)
        {
            errors.Add(Located(source, file, "keys", "two client keys have the same value"));
        }

        if (errors.Count > 0)
        {
            // The adapters built for a table that will not be used release their connections now.
            RouteTable.Retire(adapters.Values.Select(a => a.Adapter));
            throw new ConfigException(errors);
        }

        return new RouteTable
        {
            Adapters = [.. adapters.Values.Select(a => a.Adapter)],
            Models = models.ToFrozenDictionary(StringComparer.Ordinal),
            Aliases = aliases.ToFrozenDictionary(StringComparer.Ordinal),
            Keys = new KeyRing(keys),
            Server = config.Server,
            Storage = config.Storage,
            Warnings = warnings,
            SkippedProviders = skipped.ToFrozenDictionary(StringComparer.Ordinal),
            AdminKeySha256 = adminKey,
            Generation = Interlocked.Increment(ref _generation),
            CreatedUnixSeconds = _time.GetUtcNow().ToUnixTimeSeconds(),
            SourcePath = file,
            RetryBudget = config.Resilience.RetryBudget,
            Privacy = CompilePrivacy(config.Privacy),
        };
    }

    /// <summary>An error at the node <paramref name="path"/> names in the file the configuration was read from.</summary>
    private static ConfigError Located(ConfigSource source, string file, string path, string message) => source.Error(path, message) with { File = file };

    private static PrivacyPolicy CompilePrivacy(PrivacyConfig config)
    {
        if (config.Classes.Count == 0 && config.Patterns.Count == 0 && config.OnRestricted == "refuse")
        {
            return PrivacyPolicy.Default;
        }

        var classes = config.Classes.ToDictionary(c => PiiTypeNames.TryParse(c.Key, out var t) ? t : default, c => ParseClass(c.Value));
        var custom = config.Patterns.Select(p => p.Regex is { } regex
            ? CustomDetector.Pattern(p.Name, regex, ParseClass(p.DataClass))
            : CustomDetector.Keywords(p.Name, p.Keywords ?? [], ParseClass(p.DataClass))).ToList();
        var scanner = custom.Count == 0 ? PrivacyScanner.Default : new PrivacyScanner(NameGazetteer.BuiltIn, custom);
        return new PrivacyPolicy(scanner, classes, RestrictedActionNames.Parse(config.OnRestricted));
    }

    private static Model.DataClass ParseClass(string name) => name switch
    {
        "public" => Model.DataClass.Public,
        "internal" => Model.DataClass.Internal,
        "restricted" => Model.DataClass.Restricted,
        _ => Model.DataClass.Confidential,
    };

    private ModelInfo CompileModel(ModelConfig m, ConfigSource source, string file, List<ConfigError> errors, LoadBalancing loadBalancing, IReadOnlyList<Deployment> deployments)
    {
        CatalogEntry? entry = null;
        if (m.Catalog is { } id)
        {
            _catalog.TryGet(id, out entry);
        }
        else if (_catalog.TryGet(m.Name, out var byName))
        {
            entry = byName;
        }

        var basePrice = entry is null ? null : PriceCatalog.PriceOf(entry);
        var o = m.Price;
        ModelPrice price;
        if (basePrice is null && o is null)
        {
            price = ModelPrice.Free with { Version = "unpriced" };
        }
        else if (o is null)
        {
            price = basePrice!;
        }
        else
        {
            if (basePrice is null && (o.Input is null || o.Output is null))
            {
                errors.Add(Located(source, file, $"models.{m.Name}.price", "a model without a catalog entry needs both input and output prices"));
            }

            price = new ModelPrice(
                o.Input ?? basePrice?.InputPerMillion ?? 0m,
                o.Output ?? basePrice?.OutputPerMillion ?? 0m,
                o.CachedInput ?? basePrice?.CachedInputPerMillion,
                o.CacheWrite ?? basePrice?.CacheWritePerMillion,
                "config:" + m.Name + (basePrice is null ? "" : "+" + basePrice.Version))
            {
                Tiers = o.Tiers.Count > 0 ? o.Tiers : basePrice?.Tiers ?? [],
            };
        }

        var caps = m.Capabilities ?? _defaultChatCapabilities;
        var supports = RequestFeatures.None;
        foreach (var c in caps)
        {
            supports |= c switch
            {
                "streaming" => RequestFeatures.Streaming,
                "tools" => RequestFeatures.Tools,
                "parallel_tool_calls" => RequestFeatures.ParallelToolCalls,
                "vision" => RequestFeatures.Vision,
                "json_object" => RequestFeatures.JsonObject,
                "json_schema" => RequestFeatures.JsonSchema | RequestFeatures.JsonObject,
                "audio" => RequestFeatures.Audio,
                "files" => RequestFeatures.Files,
                _ => RequestFeatures.None,
            };
        }

        var embeddings = caps.Contains("embeddings");
        var quality = QualityCatalog.BuiltIn;
        var profile = m.QualityProfile ?? (entry is null ? null : quality.ProfileOf(entry.Id)) ?? (quality.IsKnown(m.Name) ? m.Name : null);
        if (profile is not null && !quality.IsKnown(profile))
        {
            errors.Add(Located(source, file, $"models.{m.Name}.quality_profile", $"unknown quality profile '{profile}' (known: {string.Join(", ", quality.Profiles)})"));
            profile = null;
        }

        return new ModelInfo
        {
            Deployments = deployments,
            Name = m.Name,
            Supports = supports,
            SupportsEmbeddings = embeddings,
            // A model declared only for embeddings does not chat.
            SupportsChat = !embeddings || caps.Count > 1,
            ContextWindow = m.ContextWindow ?? entry?.ContextTokens,
            MaxOutputTokens = m.MaxOutputTokens,
            ReservedOutputTokens = m.ReservedOutputTokens,
            Price = price,
            OpenWeights = m.OpenWeights ?? entry?.OpenWeights ?? false,
            CatalogId = entry?.Id,
            LoadBalancing = loadBalancing,
            QualityProfile = profile,
            QualityIndex = profile is not null && quality.Analyzer.ProfileIndex.TryGetValue(profile, out var index) ? index : -1,
            QualityPriors = profile is null ? null : quality.Priors(profile),
            TypicalOutputTokens = profile is null ? null : quality.OutputTokens(profile),
        };
    }
}
