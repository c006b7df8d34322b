using Switchyard.Canonical;

namespace Switchyard.Pricing;

/// <summary>
/// List price of a model in USD per million tokens. Cached reads and cache writes are priced separately
/// when the provider prices them; otherwise they cost the input price. <see cref="Version"/> names where the
/// figure came from (catalog row and date, or the configuration) and is stored with every ledger record.
/// </summary>
public sealed record ModelPrice(
    decimal InputPerMillion,
    decimal OutputPerMillion,
    decimal? CachedInputPerMillion,
    decimal? CacheWritePerMillion,
    string Version)
{
    public static readonly ModelPrice Free = new(0m, 0m, null, null, "free");

    /// <summary>Cost in USD of the given usage. Input tokens include cached ones (OpenAI's convention).</summary>
    public decimal Cost(in Usage usage)
    {
        var cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        var uncached = usage.InputTokens - cached;
        var cost = uncached * InputPerMillion
            + cached * (CachedInputPerMillion ?? InputPerMillion)
            + usage.CacheWriteTokens * (CacheWritePerMillion ?? InputPerMillion)
            + usage.OutputTokens * OutputPerMillion;
        return cost / 1_000_000m;
    }
}
