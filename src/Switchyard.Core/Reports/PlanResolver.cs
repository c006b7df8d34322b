using System.Globalization;
using Switchyard.Core.Catalog;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>The outcome of resolving a <see cref="PlanSpec"/>: inputs when valid, and what was assumed or is doubtful.</summary>
/// <param name="Inputs">The resolved inputs; null when <paramref name="Errors"/> is not empty.</param>
/// <param name="Errors">Why the spec cannot be planned.</param>
/// <param name="Warnings">Stale prices and optimistic figures.</param>
/// <param name="Assumptions">Defaults filled in and data rows used, to print with the plan.</param>
public sealed record ResolvedPlan(PlanInputs? Inputs, IReadOnlyList<string> Errors, IReadOnlyList<string> Warnings, IReadOnlyList<string> Assumptions);

/// <summary>
/// Fills a <see cref="PlanSpec"/> from the product's data files: API prices from the price catalog, GPU-hour
/// prices from <c>gpus.csv</c>, replica throughput from <c>throughput.csv</c>; applies the stated defaults;
/// and warns about prices older than <see cref="PlanConventions.StalePriceDays"/> days.
/// </summary>
public static class PlanResolver
{
    /// <summary>GPU assumed when none is given.</summary>
    public const string DefaultGpu = "H100 SXM 80GB";

    /// <summary>Target utilisation assumed when none is given (real services run at 30–60% on average).</summary>
    public const decimal DefaultUtilization = 0.5m;

    /// <summary>Resolves a spec against a catalog and data tables, as of a date.</summary>
    public static ResolvedPlan Resolve(PlanSpec spec, PriceCatalog catalog, PlanningData data, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(catalog);
        ArgumentNullException.ThrowIfNull(data);
        var errors = new List<string>();
        var warnings = new List<string>();
        var assumed = new List<string>();

        if (spec.TokensPerDay is null)
        {
            errors.Add("tokens per day is required (--tokens-per-day N)");
        }

        if (spec.InputOutputRatio is null)
        {
            errors.Add("the input:output token ratio is required (--input-output-ratio R, e.g. 3 for three input tokens per output token)");
        }

        var peakFactor = spec.PeakFactor ?? Assume(assumed, 1m, "peak factor 1 (traffic flat over the day; set --peak-factor)");
        if (peakFactor < 1m)
        {
            errors.Add($"peak factor must be at least 1 (peak ÷ average), not {Format(peakFactor)}");
        }

        var cachedFraction = spec.CachedInputFraction ?? 0m;
        if (cachedFraction > 1m)
        {
            errors.Add($"cached input fraction must be between 0 and 1, not {Format(cachedFraction)}");
        }

        var latency = spec.Latency ?? Assume(assumed, LatencyNeed.Interactive, "latency need: interactive");
        var apis = ResolveApis(spec, catalog, today, errors, warnings);
        var self = ResolveSelfHosted(spec, data, latency, today, errors, warnings, assumed);
        if (errors.Count > 0 || self is null)
        {
            return new ResolvedPlan(null, errors, warnings, assumed);
        }

        var workload = new Workload(spec.TokensPerDay!.Value, spec.InputOutputRatio!.Value, peakFactor, cachedFraction, latency, spec.Source);
        return new ResolvedPlan(new PlanInputs(workload, apis, self), errors, warnings, assumed);
    }

    private static List<ApiOption> ResolveApis(PlanSpec spec, PriceCatalog catalog, DateOnly today, List<string> errors, List<string> warnings)
    {
        var names = spec.Apis.Concat(spec.HostedOpen).Concat(spec.ApiPrices.Keys).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count == 0)
        {
            errors.Add("at least one API option is required (--api MODEL, --hosted-open MODEL or --api-price MODEL=IN/OUT)");
        }

        var options = new List<ApiOption>();
        foreach (var name in names)
        {
            var hostedFlag = spec.HostedOpen.Contains(name, StringComparer.OrdinalIgnoreCase);
            var found = catalog.TryGet(name, out var entry);
            if (spec.ApiPrices.TryGetValue(name, out var price))
            {
                var kind = hostedFlag || (found && entry.Kind == ModelKind.HostedOpen) ? ApiKind.HostedOpen : ApiKind.Api;
                options.Add(new ApiOption(name, kind, price.Input, price.Output, price.CachedInput, "given explicitly", null));
                continue;
            }

            if (!found)
            {
                errors.Add($"model '{name}' is not in the price catalog; use its catalog id (e.g. openai/gpt-4o) or give --api-price {name}=IN/OUT");
                continue;
            }

            if (entry.Kind == ModelKind.SelfHosted || entry.InputPerMillion is null)
            {
                errors.Add($"catalog entry '{entry.Id}' is a self-hosted estimate, not a per-token API; describe self-hosting with the GPU options");
                continue;
            }

            var source = $"catalog {entry.Id}: {entry.Source}";
            options.Add(new ApiOption(
                name,
                hostedFlag || entry.Kind == ModelKind.HostedOpen ? ApiKind.HostedOpen : ApiKind.Api,
                entry.InputPerMillion.Value,
                entry.OutputPerMillion,
                entry.CachedInputPerMillion,
                source,
                entry.AsOf));
            WarnIfStale(warnings, $"price of {name}", entry.AsOf, today);
        }

        return options;
    }

    private static SelfHostedOption? ResolveSelfHosted(
        PlanSpec spec, PlanningData data, LatencyNeed latency, DateOnly today, List<string> errors, List<string> warnings, List<string> assumed)
    {
        ThroughputPoint? measured = null;
        if (spec.Model is { } model && spec.ReplicaTokensPerSecond is null)
        {
            measured = data.FindThroughput(model, spec.Gpu, spec.InputOutputRatio ?? 1m, latency);
            if (measured is null)
            {
                errors.Add($"no throughput measurement with known request lengths for '{model}'{(spec.Gpu is null ? "" : " on " + spec.Gpu)} in throughput.csv; give --replica-tokens-per-second T");
            }
            else
            {
                assumed.Add(string.Create(CultureInfo.InvariantCulture,
                    $"replica throughput {measured.TotalTokensPerSecond:0.#} total tokens/s = {measured.OutputTokensPerSecond} output tokens/s × (isl {measured.InputLength} + osl {measured.OutputLength}) ÷ osl, {measured.Model} on {measured.Gpus} × {measured.Gpu}, {measured.Engine}, concurrency {measured.Concurrency} (throughput.csv: {measured.Source})"));
                if (latency == LatencyNeed.Interactive && measured.IsOfflineMax)
                {
                    warnings.Add("the throughput used is an offline maximum (latency unbounded); interactive traffic will get less");
                }
            }
        }
        else if (spec.ReplicaTokensPerSecond is null)
        {
            errors.Add("replica throughput is required: --replica-tokens-per-second T (total input + output tokens/s of one replica), or --model MODEL to take it from throughput.csv");
        }

        var gpuName = spec.Gpu;
        if (gpuName is null && measured is not null)
        {
            gpuName = data.FindGpu(measured.Gpu)?.Gpu ?? measured.Gpu;
        }

        if (gpuName is null)
        {
            gpuName = DefaultGpu;
            if (spec.GpuHourUsd is null)
            {
                assumed.Add($"GPU {DefaultGpu} (set --gpu)");
            }
        }

        var gpuHour = spec.GpuHourUsd;
        var gpuSource = "given explicitly";
        DateOnly? gpuAsOf = null;
        if (gpuHour is null)
        {
            var tier = spec.GpuPriceTier ?? GpuPriceTier.Typical;
            var row = data.FindGpu(gpuName);
            var tierPrice = row?.Price(tier);
            if (row is null || tierPrice is null)
            {
                errors.Add(row is null
                    ? $"GPU '{gpuName}' is not in gpus.csv ({string.Join(", ", data.Gpus.Select(g => g.Gpu))}); give --gpu-hour-usd P"
                    : $"gpus.csv has no {tier.ToString().ToLowerInvariant()} price for {row.Gpu}; give --gpu-hour-usd P or another --gpu-price-tier");
            }
            else
            {
                gpuName = row.Gpu;
                gpuHour = tierPrice;
                gpuSource = $"gpus.csv {tier.ToString().ToLowerInvariant()}: {row.Source}";
                gpuAsOf = row.AsOf;
                assumed.Add(string.Create(CultureInfo.InvariantCulture, $"GPU-hour ${tierPrice} ({row.Gpu}, {tier.ToString().ToLowerInvariant()} tier, as of {row.AsOf?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) ?? "undated"})"));
                WarnIfStale(warnings, $"GPU price of {row.Gpu}", row.AsOf, today);
            }
        }

        var gpusPerReplica = spec.GpusPerReplica ?? measured?.Gpus ?? Assume(assumed, 1, "1 GPU per replica (set --gpus-per-replica)");
        var utilization = spec.Utilization ?? Assume(assumed, DefaultUtilization, "target utilisation 0.5 (set --utilization)");
        var minDefault = latency == LatencyNeed.Interactive ? 2 : 1;
        var minReplicas = spec.MinReplicas ?? Assume(assumed, minDefault, $"minimum {minDefault} replica(s) for availability ({PlanEnums.Name(latency)}; set --min-replicas)");
        var staff = spec.StaffUsdPerMonth ?? Assume(assumed, 0m, "no staff cost (set --staff-usd-month; self-hosting looks cheaper without it)");
        var fixedCost = spec.FixedUsdPerMonth ?? Assume(assumed, 0m, "no other fixed cost (set --fixed-usd-month)");

        if (utilization is <= 0m or > 1m)
        {
            errors.Add($"utilisation must be in (0, 1], not {Format(utilization)}");
        }

        if (gpusPerReplica < 1)
        {
            errors.Add("GPUs per replica must be at least 1");
        }

        if (minReplicas < 1)
        {
            errors.Add("minimum replicas must be at least 1");
        }

        var tokensPerSecond = spec.ReplicaTokensPerSecond ?? measured?.TotalTokensPerSecond;
        if (tokensPerSecond is <= 0m)
        {
            errors.Add("replica tokens per second must be positive");
        }

        if (gpuHour is null || tokensPerSecond is null || errors.Count > 0)
        {
            return null;
        }

        var throughputSource = measured is null ? "given explicitly" : $"throughput.csv: {measured.Source}";
        return new SelfHostedOption(gpuName, gpusPerReplica, gpuHour.Value, tokensPerSecond.Value, utilization, minReplicas, staff, fixedCost, gpuSource, gpuAsOf, throughputSource);
    }

    private static void WarnIfStale(List<string> warnings, string what, DateOnly? asOf, DateOnly today)
    {
        if (asOf is null)
        {
            warnings.Add($"{what} is undated; check it before relying on it");
        }
        else if (today.DayNumber - asOf.Value.DayNumber > PlanConventions.StalePriceDays)
        {
            warnings.Add($"{what} is from {asOf.Value:yyyy-MM-dd}, {today.DayNumber - asOf.Value.DayNumber} days old (over {PlanConventions.StalePriceDays}); refresh the data before deciding");
        }
    }

    private static T Assume<T>(List<string> assumed, T value, string text)
    {
        assumed.Add(text);
        return value;
    }

    private static string Format(decimal value) => value.ToString(CultureInfo.InvariantCulture);
}
