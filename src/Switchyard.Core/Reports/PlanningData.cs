using System.Globalization;
using Switchyard.Core.Catalog;
using Switchyard.Core.Common;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>Which column of <c>gpus.csv</c> to price a GPU-hour from.</summary>
public enum GpuPriceTier
{
    /// <summary>Cheapest non-spot rate from a named provider.</summary>
    Low,

    /// <summary>A managed specialist-cloud rate (the default).</summary>
    Typical,

    /// <summary>AWS list price per GPU, where known.</summary>
    Hyperscaler,
}

/// <summary>One row of <c>gpus.csv</c>: rental price per GPU-hour, with its source and date.</summary>
public sealed record GpuPrice(
    string Gpu,
    decimal? UsdPerHourLow,
    decimal? UsdPerHourTypical,
    decimal? UsdPerHourHyperscaler,
    int? MemoryGb,
    string Source,
    DateOnly? AsOf)
{
    /// <summary>The price of a tier, when the row has one.</summary>
    public decimal? Price(GpuPriceTier tier) => tier switch
    {
        GpuPriceTier.Low => UsdPerHourLow,
        GpuPriceTier.Hyperscaler => UsdPerHourHyperscaler,
        _ => UsdPerHourTypical,
    };
}

/// <summary>
/// One row of <c>throughput.csv</c>. The file gives output tokens/s; the planner needs total (input + output)
/// tokens/s, which is output × (isl + osl) ÷ osl when the benchmark's lengths are known.
/// </summary>
public sealed record ThroughputPoint(
    string Model,
    string Gpu,
    int Gpus,
    string Engine,
    string Concurrency,
    decimal OutputTokensPerSecond,
    int? InputLength,
    int? OutputLength,
    string Source)
{
    /// <summary>Offline maximum throughput (latency unbounded): fine for batch, optimistic for interactive traffic.</summary>
    public bool IsOfflineMax => Concurrency.Contains("offline", StringComparison.OrdinalIgnoreCase);

    /// <summary>Input tokens per output token in the benchmark, when known.</summary>
    public decimal? InputOutputRatio => InputLength is { } i && OutputLength is { } o && o > 0 ? (decimal)i / o : null;

    /// <summary>Total tokens/s, when the benchmark's lengths are known.</summary>
    public decimal? TotalTokensPerSecond => InputOutputRatio is { } r ? OutputTokensPerSecond * (1m + r) : null;
}

/// <summary>The product's GPU-price and throughput tables (<c>gpus.csv</c>, <c>throughput.csv</c>).</summary>
public sealed class PlanningData
{
    private static readonly Lazy<PlanningData> _builtIn = new(LoadBuiltIn);

    public PlanningData(IReadOnlyList<GpuPrice> gpus, IReadOnlyList<ThroughputPoint> throughput)
    {
        Gpus = gpus;
        Throughput = throughput;
    }

    /// <summary>The tables embedded in the product.</summary>
    public static PlanningData BuiltIn => _builtIn.Value;

    public IReadOnlyList<GpuPrice> Gpus { get; }

    public IReadOnlyList<ThroughputPoint> Throughput { get; }

    /// <summary>Finds a GPU by exact name, or by a unique prefix (<c>H100 SXM</c> → <c>H100 SXM 80GB</c>).</summary>
    public GpuPrice? FindGpu(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var exact = Gpus.FirstOrDefault(g => string.Equals(g.Gpu, name, StringComparison.OrdinalIgnoreCase));
        if (exact is not null)
        {
            return exact;
        }

        var prefixed = Gpus.Where(g => g.Gpu.StartsWith(name, StringComparison.OrdinalIgnoreCase)).ToList();
        return prefixed.Count == 1 ? prefixed[0] : null;
    }

    /// <summary>
    /// Picks the measurement for a model on a GPU that best fits the workload: only rows whose request lengths
    /// are known (so total tokens/s can be derived); for interactive traffic, rows measured under load before
    /// offline-max rows; then the request shape closest to the workload's input:output ratio.
    /// </summary>
    public ThroughputPoint? FindThroughput(string model, string? gpu, decimal inputOutputRatio, LatencyNeed latency)
    {
        ArgumentNullException.ThrowIfNull(model);
        var target = Math.Log((double)Math.Max(inputOutputRatio, 0.001m));
        return Throughput
            .Where(t => string.Equals(t.Model, model, StringComparison.OrdinalIgnoreCase)
                && t.TotalTokensPerSecond is not null
                && (gpu is null || gpu.StartsWith(t.Gpu, StringComparison.OrdinalIgnoreCase)))
            .OrderBy(t => latency == LatencyNeed.Interactive && t.IsOfflineMax ? 1 : 0)
            .ThenBy(t => Math.Abs(Math.Log((double)t.InputOutputRatio!.Value) - target))
            .ThenByDescending(t => t.OutputTokensPerSecond)
            .FirstOrDefault();
    }

    /// <summary>
    /// The <c>throughput.csv</c> model (with known request lengths) that one of <paramref name="names"/> denotes — a
    /// configured model name such as <c>llama-3.1-8b</c> or a catalog name — matched by <see cref="NormalizeModelName"/>;
    /// null when none has a measurement.
    /// </summary>
    public string? ThroughputModelFor(IEnumerable<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        return names
            .Select(n => Throughput.FirstOrDefault(t => NormalizeModelName(t.Model) == NormalizeModelName(n) && t.TotalTokensPerSecond is not null)?.Model)
            .FirstOrDefault(n => n is not null);
    }

    /// <summary>Lower-case, without the <c>meta-</c> prefix and the <c>-turbo</c> and <c>-instruct</c> suffixes.</summary>
    public static string NormalizeModelName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var n = name.Trim().ToLowerInvariant();
        var slash = n.LastIndexOf('/');
        if (slash >= 0)
        {
            n = n[(slash + 1)..];
        }

        if (n.StartsWith("meta-", StringComparison.Ordinal))
        {
            n = n["meta-".Length..];
        }

        foreach (var suffix in (string[])["-turbo", "-instruct"])
        {
            if (n.EndsWith(suffix, StringComparison.Ordinal))
            {
                n = n[..^suffix.Length];
            }
        }

        return n;
    }

    /// <summary>Reads <c>gpus.csv</c> (columns by header name).</summary>
    public static IReadOnlyList<GpuPrice> ParseGpus(TextReader reader) =>
        [.. Csv.ReadWithHeader(reader).Select(row => new GpuPrice(
            row["gpu"].Trim(),
            Decimal(row, "usd_per_hour_low"),
            Decimal(row, "usd_per_hour_typical"),
            Decimal(row, "usd_per_hour_hyperscaler"),
            int.TryParse(Cell(row, "memory_gb"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var mem) ? mem : null,
            Cell(row, "source"),
            Date(Cell(row, "as_of"))))];

    /// <summary>Reads <c>throughput.csv</c> (columns by header name).</summary>
    public static IReadOnlyList<ThroughputPoint> ParseThroughput(TextReader reader) =>
        [.. Csv.ReadWithHeader(reader)
            .Where(row => Decimal(row, "output_tok_per_s_total") is not null)
            .Select(row => new ThroughputPoint(
                row["model"].Trim(),
                row["gpu"].Trim(),
                int.TryParse(Cell(row, "gpus"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var gpus) ? gpus : 1,
                Cell(row, "engine"),
                Cell(row, "concurrency"),
                Decimal(row, "output_tok_per_s_total")!.Value,
                Int(Cell(row, "isl")),
                Int(Cell(row, "osl")),
                Cell(row, "source")))];

    /// <summary>Parses a <c>yyyy-MM-dd</c> date.</summary>
    public static DateOnly? Date(string text) =>
        DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : null;

    private static PlanningData LoadBuiltIn()
    {
        using var gpus = PriceCatalog.OpenEmbedded("gpus.csv");
        using var throughput = PriceCatalog.OpenEmbedded("throughput.csv");
        return new PlanningData(ParseGpus(gpus), ParseThroughput(throughput));
    }

    private static string Cell(IReadOnlyDictionary<string, string> row, string column) =>
        row.TryGetValue(column, out var value) ? value : "";

    private static decimal? Decimal(IReadOnlyDictionary<string, string> row, string column) =>
        decimal.TryParse(Cell(row, column), NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null;

    private static int? Int(string text) =>
        int.TryParse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 ? value : null;
}
