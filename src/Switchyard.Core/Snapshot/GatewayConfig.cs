using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Snapshot;

/// <summary>Trust zone of a deployment: how far outside the organisation's perimeter the data goes.</summary>
public enum TrustZone
{
    /// <summary>Inside the perimeter (our own GPUs).</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("self-hosted")]
    SelfHosted,

    /// <summary>Contracted and region-bound.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("private")]
    Private,

    /// <summary>A public API.</summary>
    [System.Text.Json.Serialization.JsonStringEnumMemberName("external")]
    External,
}

/// <summary>The whole configuration file, as read (before compilation).</summary>
public sealed record GatewayConfig
{
    public string SourcePath { get; init; } = "";

    /// <summary>The file's YAML tree, to locate errors found after reading (<see cref="ConfigSource.Error"/>).</summary>
    public ConfigSource Source { get; init; } = ConfigSource.None;

    public ServerConfig Server { get; init; } = new();
    public IReadOnlyList<ProviderConfig> Providers { get; init; } = [];
    public IReadOnlyList<DeploymentConfig> Deployments { get; init; } = [];
    public IReadOnlyList<ModelConfig> Models { get; init; } = [];
    public IReadOnlyList<AliasConfig> Aliases { get; init; } = [];
    public IReadOnlyList<ClientKeyConfig> Keys { get; init; } = [];
    public PrivacyConfig Privacy { get; init; } = new();
    public ResilienceConfig Resilience { get; init; } = new();
    public StorageConfig Storage { get; init; } = new();
    public ConsoleConfig Console { get; init; } = new();
}

/// <summary>Which store holds keys, budgets, limits and the ledger (read at start-up; a reload does not switch stores).</summary>
public sealed record StorageConfig
{
    /// <summary><c>sqlite</c> (embedded, the default: one file under the data directory) or <c>postgres</c> (shared by replicas).</summary>
    public string Kind { get; init; } = "sqlite";

    /// <summary>Environment variable holding the PostgreSQL connection string (required for <c>postgres</c>).</summary>
    public string? ConnectionStringEnv { get; init; }

    /// <summary>Days of ledger rows kept in full; older rows are rolled up into daily aggregates. Null keeps everything.</summary>
    public int? RetentionDays { get; init; }

    /// <summary>How often a replica checks the store's change counter for new, rotated or revoked keys.</summary>
    public TimeSpan KeyPollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often a replica exchanges its rate-limit counters with the others (PostgreSQL only).</summary>
    public TimeSpan RateLimitSyncInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The default of <see cref="DefaultReservedOutputTokens"/>: a long chat reply; less than a model's whole output limit, so small budgets still admit requests (docs/tenancy.md).</summary>
    public const int DefaultReservedOutputTokensDefault = 1024;

    /// <summary>
    /// Output tokens reserved (budgets, deployment tokens per minute) for a request that sets no maximum, unless the
    /// model's or the caller's policy sets its own; never more than the model's <c>max_output_tokens</c>.
    /// </summary>
    public int DefaultReservedOutputTokens { get; init; } = DefaultReservedOutputTokensDefault;
}

/// <summary>The <c>privacy</c> section: entity type → data class overrides, custom detectors, the restricted-data action.</summary>
public sealed record PrivacyConfig
{
    /// <summary>Overrides of the default class per built-in entity type name (<c>EMAIL: restricted</c>).</summary>
    public IReadOnlyDictionary<string, string> Classes { get; init; } = new Dictionary<string, string>();

    public IReadOnlyList<CustomDetectorConfig> Patterns { get; init; } = [];

    /// <summary><c>refuse</c> (default) or <c>redact</c>; a key may override it.</summary>
    public string OnRestricted { get; init; } = "refuse";
}

/// <summary>A tenant's own detector: exactly one of a regular expression or a keyword list.</summary>
public sealed record CustomDetectorConfig(string Name, string? Regex, IReadOnlyList<string>? Keywords, string DataClass);

/// <summary>Process-wide settings.</summary>
public sealed record ServerConfig
{
    /// <summary>Largest request body accepted; larger ones get 413.</summary>
    public long MaxRequestBodyBytes { get; init; } = 8 * 1024 * 1024;

    /// <summary>How long a graceful shutdown waits for in-flight requests and streams.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Ledger batches are written at least this often; it bounds what a crash can lose.</summary>
    public TimeSpan LedgerFlushInterval { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Capacity of the in-memory ledger queue.</summary>
    public int LedgerQueueCapacity { get; init; } = 65_536;

    /// <summary>
    /// Environment variable holding the admin API key (<c>Authorization: Bearer</c>). When unset, or when the
    /// variable is empty, the admin API answers 404 to everything.
    /// </summary>
    public string? AdminKeyEnv { get; init; }

    /// <summary>How often the running gateway checks its configuration file for a change.</summary>
    public TimeSpan ConfigPollInterval { get; init; } = TimeSpan.FromSeconds(1);
}

/// <summary>A provider: one company or server speaking one wire format.</summary>
public sealed record ProviderConfig
{
    public required string Name { get; init; }
    public required string Type { get; init; }
    public Uri? BaseUrl { get; init; }
    public string? ApiKeyEnv { get; init; }
    public string? ApiKeyFile { get; init; }
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new Dictionary<string, string>();
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(120);
    public int MaxConnections { get; init; } = 256;
    public TrustZone Zone { get; init; } = TrustZone.External;
    public string? Region { get; init; }

    /// <summary>Ask the upstream for a usage chunk on streams (<c>stream_options.include_usage</c>).</summary>
    public bool StreamUsage { get; init; } = true;

    /// <summary>Azure OpenAI: the <c>api-version</c> of deployment-style URLs; null uses the <c>/openai/v1</c> surface.</summary>
    public string? ApiVersion { get; init; }

    /// <summary>Vertex AI: the Google Cloud project id.</summary>
    public string? Project { get; init; }

    /// <summary>How a cloud provider authenticates, when not by an API key.</summary>
    public CloudAuthConfig? Auth { get; init; }

    /// <summary>Bedrock: the guardrail applied to every call (its identifier and version).</summary>
    public GuardrailConfig? Guardrail { get; init; }
}

/// <summary>A Bedrock guardrail: identifier (id or ARN) and version (a number or <c>DRAFT</c>).</summary>
public sealed record GuardrailConfig(string Id, string Version);

/// <summary>Behaviour of a <c>simulated</c> deployment.</summary>
public sealed record SimulationConfig
{
    public TimeSpan TimeToFirstToken { get; init; } = TimeSpan.FromMilliseconds(50);
    public double TokensPerSecond { get; init; } = 200;
    public int ReplyTokens { get; init; } = 40;
    public double ErrorRate { get; init; }
}

/// <summary>One reachable endpoint of a model at a provider.</summary>
public sealed record DeploymentConfig
{
    public required string Id { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }

    /// <summary>The name the upstream knows the model by; defaults to <see cref="Model"/>.</summary>
    public string? UpstreamModel { get; init; }

    public TrustZone? Zone { get; init; }
    public string? Region { get; init; }
    public int Weight { get; init; } = 1;
    public SimulationConfig? Simulate { get; init; }
}

/// <summary>A model of the catalog, as configured.</summary>
public sealed record ModelConfig
{
    public required string Name { get; init; }

    /// <summary>Catalog id whose prices and context window are the defaults.</summary>
    public string? Catalog { get; init; }

    public int? ContextWindow { get; init; }
    public int? MaxOutputTokens { get; init; }

    /// <summary>Output tokens reserved for a request to this model that sets no maximum (before the caller's policy and the storage default).</summary>
    public int? ReservedOutputTokens { get; init; }

    public IReadOnlyList<string>? Capabilities { get; init; }
    public bool? OpenWeights { get; init; }
    public PriceOverride? Price { get; init; }

    /// <summary>Quality profile (a model of the routing datasets) whose predictions this model uses; defaults to the catalog id's mapping.</summary>
    public string? QualityProfile { get; init; }
}

/// <summary>Prices set in configuration, overriding the catalog's (USD per million tokens).</summary>
public sealed record PriceOverride(decimal? Input, decimal? Output, decimal? CachedInput, decimal? CacheWrite)
{
    /// <summary>Long-context tiers: prices that apply when a request's prompt exceeds a threshold.</summary>
    public IReadOnlyList<Pricing.PriceTier> Tiers { get; init; } = [];
}

/// <summary>A stable name that resolves to one or more weighted models.</summary>
public sealed record AliasConfig
{
    public required string Name { get; init; }
    public IReadOnlyList<AliasTarget> Targets { get; init; } = [];

    /// <summary>How the targets are ordered; null keeps the weighted split.</summary>
    public RouteObjective? Objective { get; init; }

    public QualityThresholds? Thresholds { get; init; }
}

public sealed record AliasTarget(string Model, int Weight);

/// <summary>A client key of the static key list.</summary>
public sealed record ClientKeyConfig
{
    public required string Name { get; init; }

    /// <summary>The key in clear: for local development only.</summary>
    public string? Key { get; init; }

    public string? KeyEnv { get; init; }

    /// <summary>Hex SHA-256 of the key: the way to put a production key in a file.</summary>
    public string? KeySha256 { get; init; }

    public string? Team { get; init; }

    /// <summary>Model and alias names the key may use; <c>*</c> or empty means all.</summary>
    public IReadOnlyList<string> AllowedModels { get; init; } = [];

    /// <summary><c>refuse</c> or <c>redact</c>: overrides <c>privacy.on_restricted</c> for this key.</summary>
    public string? OnRestricted { get; init; }
    /// <summary>The key's routing objective for aliases (overrides the alias's).</summary>
    public RouteObjective? Objective { get; init; }

    /// <summary>The key's quality thresholds (override the alias's).</summary>
    public QualityThresholds? Thresholds { get; init; }

    /// <summary>Objectives the key's requests may ask for with <c>x-switchyard-objective</c>; null means any.</summary>
    public IReadOnlyList<RouteObjective>? AllowedObjectives { get; init; }
}
