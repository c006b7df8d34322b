using System.Collections.Frozen;
using System.Globalization;
using Switchyard.Core.Common;
using Switchyard.Core.Pricing;
namespace Switchyard.Core.Catalog;

/// <summary>
/// The price catalog shipped with the product (<c>Catalog/Data/catalog.csv</c>, rebuilt from
/// <c>shared/data/prices</c> and the product's cloud rows <c>eng/prices/clouds.csv</c> by <c>eng/build-catalog.sh</c>).
/// Lookups accept the full id (<c>openai/gpt-4o</c>, <c>amazon-bedrock/anthropic.claude-3-5-haiku-20241022-v1-0</c>) or,
/// when unambiguous and not a cloud row, the bare model name (<c>gpt-4o</c>).
/// </summary>
public sealed class PriceCatalog
{
    private static readonly Lazy<PriceCatalog> _builtIn = new(LoadBuiltIn);

    private readonly FrozenDictionary<string, CatalogEntry> _byId;
    private readonly FrozenDictionary<string, CatalogEntry> _byBareName;

    public PriceCatalog(IEnumerable<CatalogEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        Entries = [.. entries];
        _byId = Entries.ToFrozenDictionary(e => e.Id, StringComparer.OrdinalIgnoreCase);
        _byBareName = Entries
            .Where(e => e.Cloud.Length == 0)
            .GroupBy(e => BareName(e.Id), StringComparer.OrdinalIgnoreCase)
            .Where(g => g.Count() == 1)
            .ToFrozenDictionary(g => g.Key, g => g.Single(), StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>The catalog embedded in the product.</summary>
    public static PriceCatalog BuiltIn => _builtIn.Value;

    public IReadOnlyList<CatalogEntry> Entries { get; }

    /// <summary>Finds an entry by id or unambiguous bare model name.</summary>
    public bool TryGet(string name, out CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (_byId.TryGetValue(name, out entry!))
        {
            return true;
        }

        return _byBareName.TryGetValue(name, out entry!);
    }

    /// <summary>
    /// Anthropic bills prompt-cache writes (5-minute cache) at 1.25 × the base input price
    /// (https://docs.anthropic.com/en/docs/build-with-claude/prompt-caching#pricing); the catalog CSV has no
    /// cache-write column, so the rule lives here, in one place.
    /// </summary>
    public const decimal AnthropicCacheWriteMultiplier = 1.25m;

    /// <summary>The entry's price, versioned by its source row and date.</summary>
    public static ModelPrice PriceOf(CatalogEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var input = entry.InputPerMillion ?? 0m;
        return new ModelPrice(
            input,
            entry.OutputPerMillion,
            entry.CachedInputPerMillion,
            entry.CacheWritePerMillion ?? (entry.Provider.Equals("Anthropic", StringComparison.OrdinalIgnoreCase) ? input * AnthropicCacheWriteMultiplier : null),
            $"catalog:{entry.Id}@{entry.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated"}");
    }

    /// <summary>Reads a catalog CSV in the shared <c>prices/catalog.csv</c> layout (columns by header name).</summary>
    public static PriceCatalog Parse(TextReader reader)
    {
        var entries = new List<CatalogEntry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var row in Csv.ReadWithHeader(reader))
        {
            var provider = row["provider"].Trim();
            var model = row["model"].Trim();
            var id = Slug(provider) + "/" + Slug(StripQualifier(model));
            if (!seen.Add(id))
            {
                // Two rows for one model (e.g. a historical snapshot or another engine's estimate): the later
                // one keeps its qualifier in the id so both stay addressable.
                id = Slug(provider) + "/" + Slug(model);
                seen.Add(id);
            }

            entries.Add(new CatalogEntry
            {
                Id = id,
                Provider = provider,
                Model = model,
                Kind = row["kind"] switch
                {
                    "api" => ModelKind.Api,
                    "hosted-open" => ModelKind.HostedOpen,
                    _ => ModelKind.SelfHosted,
                },
                InputPerMillion = ParseDecimal(row["input_usd_per_mtok"]),
                OutputPerMillion = ParseDecimal(row["output_usd_per_mtok"]) ?? 0m,
                CachedInputPerMillion = row.TryGetValue("cached_input_usd_per_mtok", out var cached) ? ParseDecimal(cached) : null,
                CacheWritePerMillion = row.TryGetValue("cache_write_usd_per_mtok", out var cacheWrite) ? ParseDecimal(cacheWrite) : null,
                Cloud = row.TryGetValue("cloud", out var cloud) ? cloud.Trim() : "",
                ContextTokens = int.TryParse(row["context_tokens"], NumberStyles.Integer, CultureInfo.InvariantCulture, out var ctx) ? ctx : null,
                OpenWeights = row["open_weights"] switch { "yes" => true, "no" => false, _ => null },
                Licence = row["licence"],
                Source = row["source"],
                AsOf = DateOnly.TryParseExact(row["as_of"], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var asOf) ? asOf : null,
                Notes = row.TryGetValue("notes", out var notes) ? notes : "",
            });
        }

        return new PriceCatalog(entries);
    }

    /// <summary>Opens one of the product's embedded data files (<c>catalog.csv</c>, <c>gpus.csv</c>, <c>throughput.csv</c>).</summary>
    public static TextReader OpenEmbedded(string fileName)
    {
        var stream = typeof(PriceCatalog).Assembly.GetManifestResourceStream("Switchyard.Catalog." + fileName)
            ?? throw new InvalidOperationException($"Embedded data file '{fileName}' is missing from the build.");
        return new StreamReader(stream);
    }

    private static PriceCatalog LoadBuiltIn()
    {
        using var reader = OpenEmbedded("catalog.csv");
        return Parse(reader);
    }

    private static decimal? ParseDecimal(string text) =>
        decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static string StripQualifier(string model)
    {
        var paren = model.IndexOf(" (", StringComparison.Ordinal);
        return paren > 0 ? model[..paren] : model;
    }

    private static string BareName(string id) => id[(id.IndexOf('/', StringComparison.Ordinal) + 1)..];

    private static string Slug(string text)
    {
        var chars = new char[text.Length];
        var n = 0;
        var lastDash = false;
        foreach (var c in text.Trim())
        {
            if (char.IsAsciiLetterOrDigit(c) || c is '.' or '_')
            {
                chars[n++] = char.ToLowerInvariant(c);
                lastDash = false;
            }
            else if (!lastDash && n > 0)
            {
                chars[n++] = '-';
                lastDash = true;
            }
        }

        return new string(chars, 0, lastDash ? n - 1 : n);
    }
}
