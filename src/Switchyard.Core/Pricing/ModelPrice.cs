using Switchyard.Core.Model;
namespace Switchyard.Core.Pricing;

/// <summary>
/// Prices that replace the base ones when a request's prompt (input tokens, cached reads included, plus cache
/// writes) exceeds <see cref="AboveInputTokens"/>, as long-context tiers do (e.g. above 200k tokens). The whole
/// request is billed at the tier's prices, as the providers bill it.
/// </summary>
public sealed record PriceTier(int AboveInputTokens, decimal InputPerMillion, decimal OutputPerMillion, decimal? CachedInputPerMillion, decimal? CacheWritePerMillion);

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

    /// <summary>Long-context tiers, ascending by threshold; empty when the model has one price.</summary>
    public IReadOnlyList<PriceTier> Tiers { get; init; } = [];

    /// <summary>
    /// Cost in USD of the given usage. Input tokens include cached reads (OpenAI's convention); cache writes are
    /// counted apart (Anthropic's <c>cache_creation_input_tokens</c>).
    /// </summary>
    public decimal Cost(in Usage usage)
    {
        var input = InputPerMillion;
        var output = OutputPerMillion;
        var cachedPrice = CachedInputPerMillion;
        var writePrice = CacheWritePerMillion;
        var prompt = (long)usage.InputTokens + usage.CacheWriteTokens;
        for (var i = Tiers.Count - 1; i >= 0; i--)
        {
            var tier = Tiers[i];
            if (prompt > tier.AboveInputTokens)
            {
                input = tier.InputPerMillion;
                output = tier.OutputPerMillion;
                cachedPrice = tier.CachedInputPerMillion ?? cachedPrice;
                writePrice = tier.CacheWritePerMillion ?? writePrice;
                break;
            }
        }

        var cached = Math.Min(usage.CachedInputTokens, usage.InputTokens);
        var uncached = usage.InputTokens - cached;
        var cost = uncached * input
            + cached * (cachedPrice ?? input)
            + usage.CacheWriteTokens * (writePrice ?? input)
            + usage.OutputTokens * output;
        return cost / 1_000_000m;
    }
}
