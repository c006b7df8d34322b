namespace Switchyard.Core.Catalog;

/// <summary>How a model is sold.</summary>
public enum ModelKind
{
    /// <summary>A proprietary model served by its owner.</summary>
    Api,

    /// <summary>An open-weights model sold per token by a host.</summary>
    HostedOpen,

    /// <summary>An estimate for running the model on rented GPUs.</summary>
    SelfHosted,
}

/// <summary>One row of the shipped price catalog, with where its figures came from.</summary>
public sealed record CatalogEntry
{
    /// <summary><c>provider/model</c>, lower-case, e.g. <c>openai/gpt-4o</c>.</summary>
    public required string Id { get; init; }
    public required string Provider { get; init; }
    public required string Model { get; init; }
    public required ModelKind Kind { get; init; }
    public decimal? InputPerMillion { get; init; }
    public decimal OutputPerMillion { get; init; }
    public decimal? CachedInputPerMillion { get; init; }

    /// <summary>Prompt-cache writes per million tokens, where the row gives them (the cloud rows); null otherwise.</summary>
    public decimal? CacheWritePerMillion { get; init; }

    /// <summary>
    /// The cloud that bills this row in the operator's own account (<c>azure</c>, <c>bedrock</c>, <c>vertex</c>), or
    /// empty. Cloud rows are found by their full id only: a bare model name keeps the model owner's row.
    /// </summary>
    public string Cloud { get; init; } = "";
    public int? ContextTokens { get; init; }
    public bool? OpenWeights { get; init; }
    public string Licence { get; init; } = "";
    public string Source { get; init; } = "";
    public DateOnly? AsOf { get; init; }
    public string Notes { get; init; } = "";
}
