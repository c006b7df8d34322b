using Switchyard.Core.Model;
using Switchyard.Core.Pricing;
using Xunit;

namespace Switchyard.Core.Tests.Pricing;

public sealed class ModelPriceTests
{
    [Fact]
    public void Cost_CachedInput_PricedAtCachedPrice()
    {
        var price = new ModelPrice(2.5m, 10m, 1.25m, null, "t");

        // 600 uncached * 2.5 + 400 cached * 1.25 + 100 output * 10 = 1500 + 500 + 1000 per million
        Assert.Equal(0.003m, price.Cost(new Usage(1000, 100, 400)));
    }

    [Fact]
    public void Cost_CacheWrites_PricedAtCacheWritePrice()
    {
        var price = new ModelPrice(3m, 15m, 0.3m, 3.75m, "t");

        Assert.Equal((800 * 3m + 200 * 0.3m + 1000 * 3.75m + 50 * 15m) / 1_000_000m, price.Cost(new Usage(1000, 50, 200, 1000)));
    }

    [Fact]
    public void Cost_NoCachedOrWritePrice_FallsBackToInputPrice()
    {
        var price = new ModelPrice(0.15m, 0.6m, null, null, "t");

        Assert.Equal((1000 * 0.15m + 500 * 0.15m + 10 * 0.6m) / 1_000_000m, price.Cost(new Usage(1000, 10, 900, 500)));
    }

    [Fact]
    public void Cost_SmallUsage_ExactDecimal()
    {
        // 20 * 0.15 + 5 * 0.075 + 3 * 0.6 = 5.175 per million
        Assert.Equal(0.000005175m, new ModelPrice(0.15m, 0.6m, 0.075m, null, "t").Cost(new Usage(25, 3, 5)));
    }

    [Fact]
    public void Cost_CachedAboveInput_ClampedToInput()
    {
        Assert.Equal(100 * 1m / 1_000_000m, new ModelPrice(10m, 0m, 1m, null, "t").Cost(new Usage(100, 0, 500)));
    }

    [Fact]
    public void Cost_Free_IsZero()
    {
        Assert.Equal(0m, ModelPrice.Free.Cost(new Usage(1_000_000, 1_000_000, 10)));
    }

    [Fact]
    public void Cost_AnthropicCacheReadsAndWrites_PricedExactlyAsTheProviderPriceList()
    {
        // shared/data/prices/catalog.csv: claude-sonnet-4-5 $3 input, $15 output, $0.30 cache read per million;
        // cache writes (5-minute) are 1.25 x input = $3.75 (Anthropic's pricing page).
        using var reader = new StreamReader(Path.Combine(Switchyard.Testing.SharedData.Directory, "prices", "catalog.csv"));
        var catalog = Switchyard.Core.Catalog.PriceCatalog.Parse(reader);
        Assert.True(catalog.TryGet("anthropic/claude-sonnet-4-5", out var entry));
        var price = Switchyard.Core.Catalog.PriceCatalog.PriceOf(entry);

        // Anthropic usage {input_tokens: 1200, cache_read_input_tokens: 30000, cache_creation_input_tokens: 5000, output_tokens: 800}:
        // canonical input counts cache reads (OpenAI's convention), cache writes apart.
        var cost = price.Cost(new Usage(1200 + 30000, 800, 30000, 5000));

        Assert.Equal((1200 * 3m + 30000 * 0.30m + 5000 * 3.75m + 800 * 15m) / 1_000_000m, cost);
        Assert.Equal(0.04335m, cost); // 3,600 + 9,000 + 18,750 + 12,000 micro-dollars
    }

    [Fact]
    public void Cost_AboveLongContextTier_WholeRequestAtTierPrices()
    {
        var price = new ModelPrice(3m, 15m, 0.3m, 3.75m, "t")
        {
            Tiers = [new PriceTier(200_000, 6m, 22.5m, 0.6m, 7.5m)],
        };

        Assert.Equal((200_000 * 3m + 1000 * 15m) / 1_000_000m, price.Cost(new Usage(200_000, 1000)));
        Assert.Equal((150_000 * 6m + 60_000 * 0.6m + 1_000 * 7.5m + 1000 * 22.5m) / 1_000_000m, price.Cost(new Usage(210_000, 1000, 60_000, 1_000)));
    }
}
