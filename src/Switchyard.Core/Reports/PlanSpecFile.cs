using Switchyard.Core.Planning;
using Switchyard.Core.Snapshot;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Core.Reports;

/// <summary>
/// Reads a plan from a YAML or JSON file (JSON is YAML) with the flags' names in snake_case, e.g.
/// <c>tokens_per_day: 50000000</c>, <c>api: [gpt-4o, claude-sonnet-4]</c>,
/// <c>api_prices: { my-model: "0.5/1.5" }</c>. Unknown keys are errors, with line and column.
/// </summary>
public static class PlanSpecFile
{
    /// <summary>Parses file text; returns the spec and every error found.</summary>
    public static (PlanSpec Spec, IReadOnlyList<ConfigError> Errors) Parse(string text, string file)
    {
        var errors = new List<ConfigError>();
        var r = YamlNodeReader.OpenRoot(text, file, errors, "a mapping of plan fields (tokens_per_day, input_output_ratio, api, ...)");
        if (r is null)
        {
            return (new PlanSpec(), errors);
        }

        var spec = new PlanSpec
        {
            TokensPerDay = r.Decimal("tokens_per_day"),
            InputOutputRatio = r.Decimal("input_output_ratio"),
            PeakFactor = r.Decimal("peak_factor"),
            CachedInputFraction = r.Decimal("cached_input_fraction"),
            Latency = Enum<LatencyNeed>(r, "latency", PlanEnums.TryParseLatency),
            Apis = Names(r, "api"),
            HostedOpen = Names(r, "hosted_open"),
            ApiPrices = Prices(r),
            Gpu = r.String("gpu"),
            GpuPriceTier = Enum<GpuPriceTier>(r, "gpu_price_tier", PlanEnums.TryParseTier),
            Model = r.String("model"),
            GpusPerReplica = r.Int("gpus_per_replica", 1, 1024),
            GpuHourUsd = r.Decimal("gpu_hour_usd"),
            ReplicaTokensPerSecond = r.Decimal("replica_tokens_per_second"),
            Utilization = r.Decimal("utilization"),
            MinReplicas = r.Int("min_replicas", 1, 100_000),
            StaffUsdPerMonth = r.Decimal("staff_usd_month"),
            FixedUsdPerMonth = r.Decimal("fixed_usd_month"),
            Source = "file " + Path.GetFileName(file),
        };
        r.RejectUnknownKeys();
        return (spec, errors);
    }

    /// <summary>Reads and parses a file.</summary>
    public static (PlanSpec Spec, IReadOnlyList<ConfigError> Errors) Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            return Parse(File.ReadAllText(path), path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return (new PlanSpec(), [new ConfigError(path, 0, 0, "(file)", ex.Message)]);
        }
    }

    private delegate bool TryParser<T>(string text, out T value);

    private static T? Enum<T>(YamlNodeReader r, string key, TryParser<T> parse)
        where T : struct
    {
        var text = r.String(key);
        if (text is null)
        {
            return null;
        }

        if (parse(text, out var value))
        {
            return value;
        }

        r.Error(key, $"unknown value '{text}'");
        return null;
    }

    private static IReadOnlyList<string> Names(YamlNodeReader r, string key)
    {
        if (r.Get(key) is YamlScalarNode { Value: { } single })
        {
            return [single];
        }

        return r.StringList(key) ?? [];
    }

    private static Dictionary<string, ApiPriceSpec> Prices(YamlNodeReader r)
    {
        var prices = new Dictionary<string, ApiPriceSpec>(StringComparer.OrdinalIgnoreCase);
        var map = r.Mapping("api_prices");
        if (map is null)
        {
            return prices;
        }

        foreach (var (keyNode, valueNode) in map.Node.Children)
        {
            var name = (keyNode as YamlScalarNode)?.Value ?? "";
            if (valueNode is YamlScalarNode { Value: { } text })
            {
                if (ApiPriceSpec.TryParse(text, out var price))
                {
                    prices[name] = price;
                }
                else
                {
                    map.Error(valueNode, map.Child(name), $"must be IN/OUT or IN/OUT/CACHED in USD per million tokens, not '{text}'");
                }
            }
            else if (valueNode is YamlMappingNode priceMap)
            {
                var input = Field(map, priceMap, name, "input");
                var output = Field(map, priceMap, name, "output");
                var cached = Field(map, priceMap, name, "cached_input");
                if (input is not null && output is not null)
                {
                    prices[name] = new ApiPriceSpec(input.Value, output.Value, cached);
                }
                else
                {
                    map.Error(valueNode, map.Child(name), "needs input and output (USD per million tokens)");
                }

            }
            else
            {
                map.Error(valueNode, map.Child(name), "must be IN/OUT[/CACHED] or a mapping with input, output, cached_input");
            }
        }

        return prices;
    }

    private static decimal? Field(YamlNodeReader parent, YamlMappingNode priceMap, string name, string key)
    {
        if (!priceMap.Children.TryGetValue(new YamlScalarNode(key), out var node))
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } text }
            && decimal.TryParse(text, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var value)
            && value >= 0m)
        {
            return value;
        }

        parent.Error(node, parent.Child(name) + "." + key, "must be a non-negative number");
        return null;
    }
}

/// <summary>Names of the planner's enums on the command line and in files.</summary>
public static class PlanEnums
{
    /// <summary><c>interactive</c> or <c>batch</c>.</summary>
    public static bool TryParseLatency(string text, out LatencyNeed value)
    {
        ArgumentNullException.ThrowIfNull(text);
        (var ok, value) = text.Trim().ToLowerInvariant() switch
        {
            "interactive" => (true, LatencyNeed.Interactive),
            "batch" => (true, LatencyNeed.Batch),
            _ => (false, LatencyNeed.Interactive),
        };
        return ok;
    }

    /// <summary><c>low</c>, <c>typical</c> or <c>hyperscaler</c>.</summary>
    public static bool TryParseTier(string text, out GpuPriceTier value)
    {
        ArgumentNullException.ThrowIfNull(text);
        (var ok, value) = text.Trim().ToLowerInvariant() switch
        {
            "low" => (true, GpuPriceTier.Low),
            "typical" => (true, GpuPriceTier.Typical),
            "hyperscaler" => (true, GpuPriceTier.Hyperscaler),
            _ => (false, GpuPriceTier.Typical),
        };
        return ok;
    }

    /// <summary>The lower-case name used in output.</summary>
    public static string Name(LatencyNeed value) => value == LatencyNeed.Batch ? "batch" : "interactive";

    /// <summary>The lower-case name used in output.</summary>
    public static string Name(ApiKind value) => value == ApiKind.HostedOpen ? "hosted-open" : "api";
}
