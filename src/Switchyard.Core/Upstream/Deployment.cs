using Switchyard.Core.Model;
using Switchyard.Core.Pricing;
using Switchyard.Core.Snapshot;

namespace Switchyard.Core.Upstream;

/// <summary>A model as compiled: what it can do, what it costs, where it runs.</summary>
public sealed class ModelInfo
{
    public required string Name { get; init; }
    public required RequestFeatures Supports { get; init; }
    public required bool SupportsEmbeddings { get; init; }
    public required bool SupportsChat { get; init; }
    public int? ContextWindow { get; init; }
    public int? MaxOutputTokens { get; init; }

    /// <summary>Output tokens reserved for a request that sets no maximum (<c>models.NAME.reserved_output_tokens</c>); null leaves it to the caller's policy and the storage default.</summary>
    public int? ReservedOutputTokens { get; init; }

    public required ModelPrice Price { get; init; }
    public bool OpenWeights { get; init; }
    public string? CatalogId { get; init; }

    /// <summary>The model's quality profile (<see cref="Inspect.Classification.QualityCatalog"/>), or null when unknown.</summary>
    public string? QualityProfile { get; init; }

    /// <summary>Index of <see cref="QualityProfile"/> among the learned model's outputs, or -1.</summary>
    public int QualityIndex { get; init; } = -1;

    /// <summary>Prior quality per task category (enum order), or null.</summary>
    public double[]? QualityPriors { get; init; }

    /// <summary>Typical answer length of the model in tokens (from its quality profile), for cost and latency estimates; null when unknown.</summary>
    public int? TypicalOutputTokens { get; init; }
    public IReadOnlyList<Deployment> Deployments { get; init; } = [];

    /// <summary>How its deployments share traffic (<c>resilience.models.NAME.load_balancing</c>).</summary>
    public LoadBalancing LoadBalancing { get; init; }
}

/// <summary>A deployment as compiled, with its adapter resolved.</summary>
public sealed class Deployment
{
    public required string Id { get; init; }
    public required string ProviderName { get; init; }
    public required string ProviderType { get; init; }
    public required string UpstreamModel { get; init; }
    public required TrustZone Zone { get; init; }
    public string? Region { get; init; }
    public required int Weight { get; init; }
    public required IProviderAdapter Adapter { get; init; }
    public SimulationConfig? Simulation { get; init; }
    public required ModelInfo Model { get; init; }

    /// <summary>Retries, timeouts, breaker, cool-down, cap and probe of this deployment (defaults + overrides).</summary>
    public ResiliencePolicy Resilience { get; init; } = _defaultPolicy;

    private static readonly ResiliencePolicy _defaultPolicy = new();
}
