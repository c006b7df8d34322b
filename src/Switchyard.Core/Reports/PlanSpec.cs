using System.Globalization;
using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>An explicit per-token price: USD per million input, output and (optionally) cached-input tokens.</summary>
public sealed record ApiPriceSpec(decimal Input, decimal Output, decimal? CachedInput)
{
    /// <summary>Parses <c>IN/OUT</c> or <c>IN/OUT/CACHED</c>.</summary>
    public static bool TryParse(string text, out ApiPriceSpec price)
    {
        ArgumentNullException.ThrowIfNull(text);
        price = new ApiPriceSpec(0m, 0m, null);
        var parts = text.Split('/', StringSplitOptions.TrimEntries);
        if (parts.Length is < 2 or > 3
            || !TryMoney(parts[0], out var input)
            || !TryMoney(parts[1], out var output))
        {
            return false;
        }

        decimal? cached = null;
        if (parts.Length == 3)
        {
            if (!TryMoney(parts[2], out var c))
            {
                return false;
            }

            cached = c;
        }

        price = new ApiPriceSpec(input, output, cached);
        return true;
    }

    /// <summary>Parses <c>MODEL=IN/OUT[/CACHED]</c>; the model name may itself contain <c>/</c>.</summary>
    public static bool TryParseAssignment(string text, out string model, out ApiPriceSpec price)
    {
        ArgumentNullException.ThrowIfNull(text);
        model = "";
        price = new ApiPriceSpec(0m, 0m, null);
        var eq = text.LastIndexOf('=');
        if (eq <= 0)
        {
            return false;
        }

        model = text[..eq].Trim();
        return model.Length > 0 && TryParse(text[(eq + 1)..], out price);
    }

    private static bool TryMoney(string text, out decimal value) =>
        decimal.TryParse(text.TrimStart('$'), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && value >= 0m;
}

/// <summary>
/// What the user asked for, before defaults and data files fill the gaps: every field is optional. It comes from
/// flags, a YAML/JSON file, or both (<see cref="OverlayOn"/>); <see cref="PlanResolver"/> turns it into
/// <see cref="PlanInputs"/>.
/// </summary>
public sealed record PlanSpec
{
    public decimal? TokensPerDay { get; init; }
    public decimal? InputOutputRatio { get; init; }
    public decimal? PeakFactor { get; init; }
    public decimal? CachedInputFraction { get; init; }
    public LatencyNeed? Latency { get; init; }
    public IReadOnlyList<string> Apis { get; init; } = [];
    public IReadOnlyList<string> HostedOpen { get; init; } = [];
    public IReadOnlyDictionary<string, ApiPriceSpec> ApiPrices { get; init; } = new Dictionary<string, ApiPriceSpec>();
    public string? Gpu { get; init; }
    public GpuPriceTier? GpuPriceTier { get; init; }
    public string? Model { get; init; }
    public int? GpusPerReplica { get; init; }
    public decimal? GpuHourUsd { get; init; }
    public decimal? ReplicaTokensPerSecond { get; init; }
    public decimal? Utilization { get; init; }
    public int? MinReplicas { get; init; }
    public decimal? StaffUsdPerMonth { get; init; }
    public decimal? FixedUsdPerMonth { get; init; }

    /// <summary>Where the workload figures came from.</summary>
    public string Source { get; init; } = "command line";

    /// <summary>This spec's values win; lists are joined; the other fills what this one leaves empty.</summary>
    public PlanSpec OverlayOn(PlanSpec under)
    {
        ArgumentNullException.ThrowIfNull(under);
        var prices = new Dictionary<string, ApiPriceSpec>(under.ApiPrices, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, price) in ApiPrices)
        {
            prices[name] = price;
        }

        return new PlanSpec
        {
            TokensPerDay = TokensPerDay ?? under.TokensPerDay,
            InputOutputRatio = InputOutputRatio ?? under.InputOutputRatio,
            PeakFactor = PeakFactor ?? under.PeakFactor,
            CachedInputFraction = CachedInputFraction ?? under.CachedInputFraction,
            Latency = Latency ?? under.Latency,
            Apis = [.. under.Apis.Concat(Apis).Distinct(StringComparer.OrdinalIgnoreCase)],
            HostedOpen = [.. under.HostedOpen.Concat(HostedOpen).Distinct(StringComparer.OrdinalIgnoreCase)],
            ApiPrices = prices,
            Gpu = Gpu ?? under.Gpu,
            GpuPriceTier = GpuPriceTier ?? under.GpuPriceTier,
            Model = Model ?? under.Model,
            GpusPerReplica = GpusPerReplica ?? under.GpusPerReplica,
            GpuHourUsd = GpuHourUsd ?? under.GpuHourUsd,
            ReplicaTokensPerSecond = ReplicaTokensPerSecond ?? under.ReplicaTokensPerSecond,
            Utilization = Utilization ?? under.Utilization,
            MinReplicas = MinReplicas ?? under.MinReplicas,
            StaffUsdPerMonth = StaffUsdPerMonth ?? under.StaffUsdPerMonth,
            FixedUsdPerMonth = FixedUsdPerMonth ?? under.FixedUsdPerMonth,
            Source = under.Source + " + " + Source,
        };
    }
}
