using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// Cross-reference checks of a loaded configuration (names exist, ids unique, types known); each error is located at
/// the node its path names (<see cref="ConfigSource.Find"/>).
/// </summary>
internal static class ConfigValidator
{
    public static readonly string[] ProviderTypes = ["openai", "anthropic", "gemini", "azure-openai", "bedrock", "vertex", "vertex-anthropic", "simulated"];

    public static void Validate(GatewayConfig config, YamlNodeReader root, List<ConfigError> errors)
    {
        var providers = config.Providers.ToDictionary(p => p.Name, StringComparer.Ordinal);
        var models = config.Models.Select(m => m.Name).ToHashSet(StringComparer.Ordinal);
        var aliases = config.Aliases.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        void Add(string path, string message) => root.Error(null, path, message);

        foreach (var p in config.Providers)
        {
            var path = $"providers.{p.Name}";
            if (p.Type.Length > 0 && !ProviderTypes.Contains(p.Type))
            {
                Add(path + ".type", $"unknown provider type '{p.Type}' (known: {string.Join(", ", ProviderTypes)})");
            }

            // Anthropic and Gemini have one public endpoint each, their adapters' default; Bedrock's and Vertex's follow
            // from the region. An Azure OpenAI resource has its own host (https://NAME.openai.azure.com).
            if (p.Type is "openai" or "azure-openai" && p.BaseUrl is null)
            {
                Add(path + ".base_url", "is required for this provider type");
            }

            if (p.ApiKeyEnv is not null && p.ApiKeyFile is not null)
            {
                Add(path, "set api_key_env or api_key_file, not both");
            }
        }

        var deploymentIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Deployments.Count; i++)
        {
            var d = config.Deployments[i];
            var path = $"deployments[{i}]";
            if (!deploymentIds.Add(d.Id))
            {
                Add(path + ".id", $"duplicate deployment id '{d.Id}'");
            }

            if (!providers.TryGetValue(d.Provider, out var provider))
            {
                Add(path + ".provider", $"no provider named '{d.Provider}' (defined: {List(providers.Keys)})");
            }
            else if (d.Simulate is not null && provider.Type != "simulated")
            {
                Add(path + ".simulate", "only deployments of a simulated provider take simulate settings");
            }

            if (!models.Contains(d.Model))
            {
                Add(path + ".model", $"no model named '{d.Model}' (defined: {List(models)})");
            }
        }

        foreach (var m in config.Models)
        {
            if (aliases.Contains(m.Name))
            {
                Add($"aliases.{m.Name}", "an alias cannot have the name of a model");
            }

            if (m.Catalog is { } id && !Catalog.PriceCatalog.BuiltIn.TryGet(id, out _))
            {
                Add($"models.{m.Name}.catalog", $"'{id}' is not in the built-in catalog (use provider/model ids as in Catalog/Data/catalog.csv)");
            }
        }

        foreach (var a in config.Aliases)
        {
            for (var i = 0; i < a.Targets.Count; i++)
            {
                if (!models.Contains(a.Targets[i].Model))
                {
                    Add($"aliases.{a.Name}.targets[{i}].model", $"no model named '{a.Targets[i].Model}'");
                }
            }

            if (a.Targets.Count > 0 && a.Targets.All(t => t.Weight == 0))
            {
                Add($"aliases.{a.Name}.targets", "at least one target needs a weight above 0");
            }
        }

        var keyNames = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < config.Keys.Count; i++)
        {
            var k = config.Keys[i];
            if (!keyNames.Add(k.Name))
            {
                Add($"keys[{i}].name", $"duplicate key name '{k.Name}'");
            }

            for (var j = 0; j < k.AllowedModels.Count; j++)
            {
                var allowed = k.AllowedModels[j];
                if (allowed != "*" && !models.Contains(allowed) && !aliases.Contains(allowed))
                {
                    Add($"keys[{i}].allowed_models[{j}]", $"no model or alias named '{allowed}'");
                }
            }
        }
    }

    private static string List(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count == 0 ? "none" : string.Join(", ", list);
    }
}
