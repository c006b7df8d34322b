using Switchyard.Core.Catalog;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Route;
namespace Switchyard.Core.Snapshot;

/// <summary>Providers, deployments and models: what can serve, where, at what price.</summary>
internal static class CatalogConfigReader
{
    public static ProviderConfig ReadProvider(string name, YamlNodeReader r)
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
            Zone = ConfigLoader.Zone(r, "zone") ?? (type == "simulated" ? TrustZone.SelfHosted : defaults.Zone),
            Region = r.String("region"),
            StreamUsage = r.Bool("stream_usage") ?? defaults.StreamUsage,
        };
        if (r.Has("api_key"))
        {
            r.Error("api_key", "upstream keys never go in the configuration file: use api_key_env or api_key_file");
        }

        provider = CloudConfigReader.Read(provider, r);
        r.RejectUnknownKeys();
        return provider;
    }

    public static DeploymentConfig? ReadDeployment(YamlNodeReader r)
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
                Zone = ConfigLoader.Zone(r, "zone"),
                Region = r.String("region"),
                Weight = r.Int("weight", 0, 1_000_000) ?? 1,
                Simulate = simulate,
            };
        r.RejectUnknownKeys();
        return deployment;
    }

    public static ModelConfig ReadModel(string name, YamlNodeReader r)
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
            foreach (var c in capabilities.Where(c => !ConfigLoader.KnownCapabilities.Contains(c)))
            {
                r.Error("capabilities", $"unknown capability '{c}' (known: {string.Join(", ", ConfigLoader.KnownCapabilities)})");
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
            ReservedOutputTokens = r.Int("reserved_output_tokens", 1, 10_000_000),
            Capabilities = capabilities,
            OpenWeights = r.Bool("open_weights"),
            Price = price,
            QualityProfile = profile,
        };
        r.RejectUnknownKeys();
        return model;
    }
}
