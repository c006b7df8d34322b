using Switchyard.Core.Catalog;
using Xunit;

namespace Switchyard.Core.Tests.Catalog;

public sealed class PriceCatalogTests
{
    private static readonly PriceCatalog _catalog = PriceCatalog.BuiltIn;

    [Fact]
    public void TryGet_BareUniqueName_FindsProviderEntry()
    {
        Assert.True(_catalog.TryGet("gpt-4o", out var entry));

        Assert.Equal("openai/gpt-4o", entry.Id);
        Assert.Equal(2.5m, entry.InputPerMillion);
        Assert.Equal(10m, entry.OutputPerMillion);
        Assert.Equal(1.25m, entry.CachedInputPerMillion);
        Assert.Equal(128_000, entry.ContextTokens);
    }

    [Fact]
    public void TryGet_AmbiguousBareName_NeedsProviderPrefix()
    {
        var shared = _catalog.Entries.Where(e => e.Id.EndsWith("/gpt-oss-120b", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.True(shared.Count >= 2);

        Assert.False(_catalog.TryGet("gpt-oss-120b", out _));
        foreach (var e in shared)
        {
            Assert.True(_catalog.TryGet(e.Id, out var found));
            Assert.Same(e, found);
        }
    }

    [Fact]
    public void TryGet_IdCaseInsensitive_Finds()
    {
        Assert.True(_catalog.TryGet("OpenAI/GPT-4o", out var entry));
        Assert.Equal("openai/gpt-4o", entry.Id);
    }

    [Fact]
    public void TryGet_Unknown_ReturnsFalse()
    {
        Assert.False(_catalog.TryGet("no-such-model", out _));
    }

    [Fact]
    public void Entries_EveryRow_HasSourceAndAsOf()
    {
        Assert.NotEmpty(_catalog.Entries);
        Assert.All(_catalog.Entries, e =>
        {
            Assert.False(string.IsNullOrWhiteSpace(e.Source), e.Id);
            Assert.NotNull(e.AsOf);
        });
    }

    [Fact]
    public void Entries_Ids_AreUnique()
    {
        var duplicates = _catalog.Entries.GroupBy(e => e.Id, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1).Select(g => g.Key);

        Assert.Empty(duplicates);
    }

    [Fact]
    public void PriceOf_Entry_VersionNamesRowAndDate()
    {
        Assert.True(_catalog.TryGet("openai/gpt-4o", out var entry));

        var price = PriceCatalog.PriceOf(entry);

        Assert.Equal($"catalog:openai/gpt-4o@{entry.AsOf:yyyy-MM-dd}", price.Version);
        Assert.Equal(1.25m, price.CachedInputPerMillion);
        Assert.Null(price.CacheWritePerMillion);
    }

    [Fact]
    public void Parse_DuplicateModelRow_KeepsQualifierInSecondId()
    {
        const string Csv = """
            provider,model,kind,input_usd_per_mtok,output_usd_per_mtok,context_tokens,open_weights,licence,source,as_of
            Acme,fast (v1),api,1,2,1000,no,p,s,2026-01-01
            Acme,fast (v2),api,3,4,1000,no,p,s,2026-01-02
            """;

        var catalog = PriceCatalog.Parse(new StringReader(Csv));

        Assert.Equal(2, catalog.Entries.Count);
        Assert.Equal(2, catalog.Entries.Select(e => e.Id).Distinct().Count());
        Assert.True(catalog.TryGet(catalog.Entries[1].Id, out var second));
        Assert.Equal(3m, second.InputPerMillion);
    }

    [Theory]
    [InlineData("amazon-bedrock/anthropic.claude-3-5-haiku-20241022-v1-0", "bedrock", 0.8, 4, 0.08, 1.0)]
    [InlineData("google-vertex-ai/claude-sonnet-4-5-20250929", "vertex", 3, 15, 0.3, 3.75)]
    [InlineData("azure-openai/gpt-4o-mini", "azure", 0.165, 0.66, 0.075, null)]
    public void TryGet_CloudRow_ByFullIdWithItsCacheWritePrice(string id, string cloud, double input, double output, double cached, double? cacheWrite)
    {
        Assert.True(_catalog.TryGet(id, out var entry));

        Assert.Equal(cloud, entry.Cloud);
        var price = PriceCatalog.PriceOf(entry);
        Assert.Equal((decimal)input, price.InputPerMillion);
        Assert.Equal((decimal)output, price.OutputPerMillion);
        Assert.Equal((decimal)cached, price.CachedInputPerMillion);
        Assert.Equal(cacheWrite is null ? null : (decimal)cacheWrite.Value, price.CacheWritePerMillion);
        Assert.StartsWith("BerriAI/litellm:model_prices_and_context_window.json", entry.Source, StringComparison.Ordinal);
    }

    [Fact]
    public void TryGet_BareNameOfACloudModel_KeepsTheOwnersRow()
    {
        // Azure bills gpt-4o-mini at its own price; a model named gpt-4o-mini still means OpenAI's.
        Assert.True(_catalog.TryGet("gpt-4o-mini", out var entry));

        Assert.Equal("openai/gpt-4o-mini", entry.Id);
        Assert.False(_catalog.TryGet("claude-sonnet-4-5@20250929", out _));
    }
}
