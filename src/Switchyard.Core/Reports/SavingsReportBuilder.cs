using System.Globalization;
using Switchyard.Core.Catalog;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Core.Reports;

/// <summary>
/// Builds the savings report from the store's aggregate rows (pure: no I/O, no clock). Money is summed in
/// <see cref="decimal"/> from the store's exact nano-dollar sums, so every split adds up to the total exactly.
/// </summary>
public static class SavingsReportBuilder
{
    public const string NoTeam = "(no team)";
    public const string Unclassified = "unclassified";
    public const string UnknownDataClass = "unknown";
    public const string NotServed = "(none)";

    /// <summary>The definitions printed with every report.</summary>
    public static readonly IReadOnlyList<string> Notes =
    [
        "as routed = the ledger's cost of each request at the served model's price",
        "baseline (all-frontier) = the same usage priced on the most capable model the caller's key allowed for that request, fixed at request time: the highest list output price among the models it may use (directly or through an allowed alias) that serve the operation, support the request's features and have a deployment its data class may reach (list price stands in for capability)",
        "saving = baseline - as routed; saving % = saving / baseline x 100",
        "records without a baseline (written before the column existed) count at their own cost: no saving is claimed for them",
        "fallback extra cost = for each request a fallback served, its cost minus the same usage at its plan's first choice's price (negative when the fallback was cheaper); its share = extra / as routed",
        "planner verdicts use today's tokens/day = window tokens / window days, the window's input:output and cached shares, peak factor 1 (flat traffic), interactive latency and the planner's defaults (GPU, utilisation, minimum replicas, no staff or fixed cost)",
    ];

    /// <summary>Builds the report.</summary>
    /// <param name="rows">The store's aggregate for the window.</param>
    /// <param name="from">Window start.</param>
    /// <param name="to">Window end (exclusive).</param>
    /// <param name="models">Configured models by name (from the route table); models not found get no verdict.</param>
    /// <param name="catalog">Price catalog (the planner's resolver uses it).</param>
    /// <param name="data">GPU prices and throughput.</param>
    /// <param name="today">For the planner's stale-price warnings.</param>
    public static SavingsReport Build(IReadOnlyList<LedgerReportRow> rows, DateTimeOffset from, DateTimeOffset to,
        IReadOnlyDictionary<string, ReportModel> models, PriceCatalog catalog, PlanningData data, DateOnly today)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(models);
        var days = (decimal)(to - from).Ticks / TimeSpan.TicksPerDay;
        var total = Line("total", rows);
        var planner = new List<PlannerVerdict>();
        foreach (var group in rows.Where(r => r.ServedModel is not null).GroupBy(r => r.ServedModel!, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            if (models.TryGetValue(group.Key, out var model) && model.Kind != ReportModelKind.Api)
            {
                planner.Add(Verdict(model, group.Sum(r => r.InputTokens), group.Sum(r => r.OutputTokens), group.Sum(r => r.CachedTokens),
                    days, catalog, data, today));
            }
        }

        return new SavingsReport(
            from,
            to,
            days,
            total,
            Split(rows, r => r.Team ?? NoTeam),
            Split(rows, r => r.RequestedModel),
            Split(rows, r => r.TaskCategory ?? Unclassified),
            Split(rows, r => r.DataClass ?? UnknownDataClass),
            Split(rows, r => r.ServedModel ?? NotServed),
            planner,
            rows.Sum(r => r.RequestsWithoutBaseline),
            rows.Sum(r => r.Failures),
            Notes,
            Fallbacks(rows, total.CostUsd));
    }

    private static FallbackSummary Fallbacks(IReadOnlyList<LedgerReportRow> rows, decimal cost)
    {
        var extra = rows.Sum(r => r.FallbackExtraCostUsd);
        return new FallbackSummary(rows.Sum(r => r.FallbackRequests), extra,
            cost == 0m ? null : Math.Round(extra / cost * 100m, 2, MidpointRounding.AwayFromZero));
    }

    /// <summary>Sums rows into one line.</summary>
    public static SavingsLine Line(string name, IEnumerable<LedgerReportRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        long requests = 0, input = 0, output = 0;
        decimal cost = 0m, baseline = 0m;
        foreach (var r in rows)
        {
            requests += r.Requests;
            input += r.InputTokens;
            output += r.OutputTokens;
            cost += r.CostUsd;
            baseline += r.BaselineCostUsd;
        }

        var saving = baseline - cost;
        decimal? percent = baseline == 0m ? null : Math.Round(saving / baseline * 100m, 2, MidpointRounding.AwayFromZero);
        return new SavingsLine(name, requests, input, output, cost, baseline, saving, percent);
    }

    /// <summary>The configured models as the report sees them.</summary>
    public static IReadOnlyDictionary<string, ReportModel> ModelsOf(RouteTable table, PriceCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(catalog);
        var models = new Dictionary<string, ReportModel>(StringComparer.Ordinal);
        foreach (var model in table.Models.Values)
        {
            CatalogEntry? entry = model.CatalogId is { } id && catalog.TryGet(id, out var e) ? e : null;
            var open = model.OpenWeights || entry?.Kind == ModelKind.HostedOpen;
            var selfHosted = model.Deployments.Count > 0 && model.Deployments.All(d => d.Zone == TrustZone.SelfHosted);
            var kind = !open ? ReportModelKind.Api : selfHosted ? ReportModelKind.SelfHosted : ReportModelKind.HostedOpen;
            string[] names = entry is null ? [model.Name] : [entry.Model, model.Name];
            models[model.Name] = new ReportModel(model.Name, kind, model.Price, names);
        }

        return models;
    }

    private static List<SavingsLine> Split(IReadOnlyList<LedgerReportRow> rows, Func<LedgerReportRow, string> key) =>
        [.. rows.GroupBy(key, StringComparer.Ordinal).Select(g => Line(g.Key, g)).OrderByDescending(l => l.CostUsd).ThenBy(l => l.Name, StringComparer.Ordinal)];

    private static PlannerVerdict Verdict(ReportModel model, long input, long output, long cached, decimal days,
        PriceCatalog catalog, PlanningData data, DateOnly today)
    {
        var tokensPerDay = days > 0m ? Math.Round((input + output) / days, 2, MidpointRounding.AwayFromZero) : 0m;
        var volume = string.Create(CultureInfo.InvariantCulture, $"{model.Name} ({Kind(model.Kind)}): {tokensPerDay:#,0.##} tokens/day in this window");
        if (output == 0)
        {
            return Empty(model, tokensPerDay, null, volume + "; no output tokens, and the planner's throughput data is for generation, so no verdict");
        }

        var ratio = (decimal)input / output;
        var cachedFraction = input == 0 ? 0m : (decimal)Math.Min(cached, input) / input;
        var throughputModel = data.ThroughputModelFor(model.ThroughputNames);
        if (throughputModel is null)
        {
            return Empty(model, tokensPerDay, ratio,
                volume + "; throughput.csv has no measurement for it, so no verdict (run switchyard plan with --replica-tokens-per-second)");
        }

        var spec = new PlanSpec
        {
            TokensPerDay = tokensPerDay,
            InputOutputRatio = ratio,
            PeakFactor = 1m,
            CachedInputFraction = cachedFraction,
            Latency = LatencyNeed.Interactive,
            ApiPrices = new Dictionary<string, ApiPriceSpec>(StringComparer.OrdinalIgnoreCase)
            {
                [model.Name] = new(model.Price.InputPerMillion, model.Price.OutputPerMillion, model.Price.CachedInputPerMillion),
            },
            HostedOpen = [model.Name],
            Model = throughputModel,
            Source = "ledger window",
        };
        var resolved = PlanResolver.Resolve(spec, catalog, data, today);
        if (resolved.Inputs is null)
        {
            return Empty(model, tokensPerDay, ratio, volume + "; the planner cannot plan it: " + string.Join("; ", resolved.Errors)) with { ThroughputModel = throughputModel };
        }

        var plan = PlanCalculator.Calculate(resolved.Inputs, resolved.Warnings);
        var api = plan.Apis[0];
        var self = plan.SelfHosted;
        var breakEven = api.BreakEven;
        decimal? multiple = breakEven.TokensPerDay is { } t && tokensPerDay > 0m ? Math.Round(t / tokensPerDay, 2, MidpointRounding.AwayFromZero) : null;
        var hardware = string.Create(CultureInfo.InvariantCulture, $"{self.Option.GpusPerReplica}×{self.Option.GpuType}");
        var verdict = breakEven.TokensPerDay is { } tStar
            ? string.Create(CultureInfo.InvariantCulture,
                $"{volume} at ${api.BlendedPerMillion:0.####}/M; self-hosting {throughputModel} on {hardware} replicas (min {self.Option.MinReplicas}) would break even at {tStar:#,0} tokens/day ({breakEven.Replicas} replicas), {(multiple is { } m ? m.ToString("#,0.##", CultureInfo.InvariantCulture) + "×" : "n/a")} today's volume")
            : string.Create(CultureInfo.InvariantCulture,
                $"{volume} at ${api.BlendedPerMillion:0.####}/M; self-hosting {throughputModel} on {hardware} replicas never breaks even: its ${self.UsdPerMillionTokensAtPeakFactor:0.####}/M is not below today's price");
        return new PlannerVerdict(model.Name, Kind(model.Kind), tokensPerDay, Math.Round(ratio, 4, MidpointRounding.AwayFromZero),
            Math.Round(api.BlendedPerMillion, 6, MidpointRounding.AwayFromZero), throughputModel, self.Option.GpuType, self.Option.GpusPerReplica,
            Math.Round(self.UsdPerMillionTokensAtPeakFactor, 6, MidpointRounding.AwayFromZero),
            breakEven.TokensPerDay is { } be ? Math.Round(be, 2, MidpointRounding.AwayFromZero) : null, breakEven.Replicas, multiple, verdict,
            resolved.Assumptions, plan.Warnings);
    }

    private static PlannerVerdict Empty(ReportModel model, decimal tokensPerDay, decimal? ratio, string verdict) =>
        new(model.Name, Kind(model.Kind), tokensPerDay, ratio is { } r ? Math.Round(r, 4, MidpointRounding.AwayFromZero) : null, null, null, null, null, null,
            null, null, null, verdict, [], []);

    /// <summary>The printed name of a kind.</summary>
    public static string Kind(ReportModelKind kind) => kind switch
    {
        ReportModelKind.SelfHosted => "self-hosted",
        ReportModelKind.HostedOpen => "hosted-open",
        _ => "api",
    };
}
