using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Admin;

/// <summary>One deployment: its live state (breaker, availability, in flight) and its traffic in the window.</summary>
internal sealed record DeploymentDto(string Id, string Model, string Provider, string Zone, string? Region, bool Simulated, string Breaker, string Availability,
    int Outstanding, long Requests, double? SuccessRate, double? P50LatencyMs, double? P95LatencyMs, double? P50TtftMs, double? P95TtftMs, double? TokensPerSecond,
    long AttemptsOk, long AttemptsFailed, DateTimeOffset? LastSuccess, DateTimeOffset? LastError, string? LastErrorStatus, string Drill);

/// <summary>A deployment's latency and TTFT eCDF: (milliseconds, share of requests at or below).</summary>
internal sealed record CdfDto(string Deployment, IReadOnlyList<double[]> Latency, IReadOnlyList<double[]> Ttft);

/// <summary>One configured model and its catalog entry.</summary>
internal sealed record CatalogModelDto(string Name, string? CatalogId, decimal InputPerMillion, decimal OutputPerMillion, decimal? CachedInputPerMillion,
    string PriceSource, IReadOnlyList<string> Capabilities, int? ContextWindow, bool OpenWeights, IReadOnlyList<string> Deployments, IReadOnlyList<string> Zones);

/// <summary><c>GET /admin/api/v1/providers</c>.</summary>
internal sealed record ProvidersDto(WindowDto Window, IReadOnlyList<DeploymentDto> Deployments, IReadOnlyList<CdfDto> Distributions, IReadOnlyList<CatalogModelDto> Catalog,
    IReadOnlyDictionary<string, string> SkippedProviders);

/// <summary>Reads Providers &amp; models: live states, the window's aggregates per deployment, attempts from the events table, the catalog.</summary>
internal sealed class ProvidersReader
{
    private readonly AggregateReads _reads;
    private readonly RouteTableHolder _routes;
    private readonly DeploymentStates _states;

    public ProvidersReader(AggregateReads reads, RouteTableHolder routes, DeploymentStates states)
    {
        _reads = reads;
        _routes = routes;
        _states = states;
    }

    public async Task<ProvidersDto> ReadAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var table = _routes.Current;
        var totals = await _reads.TotalsAsync(query, [AggregateDimension.Deployment, AggregateDimension.Outcome], cancellationToken);
        var teams = query.Filter.Values.TryGetValue(AggregateDimension.Team, out var t) ? t : null;
        var attempts = await _reads.Analytics.ReadEventsAsync(new EventQuery(AggregateEventKind.Attempt, query.HourFromMs, query.HourToMs, ["subject", "detail"], false, teams),
            cancellationToken);
        var deployments = new List<DeploymentDto>();
        var distributions = new List<CdfDto>();
        foreach (var d in table.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).SelectMany(m => m.Deployments))
        {
            var m = new AggregateMeasures();
            long ok = 0;
            foreach (var row in totals.Where(r => r.Values[0] == d.Id))
            {
                m.Add(row.Measures);
                ok += row.Values[1] == OutcomeClass.Ok ? row.Measures[AggregateMeasures.Requests] : 0;
            }

            var mine = attempts.Where(a => a.Values[0] == d.Id).ToList();
            var success = mine.Where(a => a.Values[1] == "Success").ToList();
            var failed = mine.Where(a => a.Values[1] != "Success" && a.Values[1] is not ("Refused" or "Skipped")).OrderByDescending(a => a.LastMs).ToList();
            var report = _states.Get(d.Id).Report(d.Resilience);
            var requests = m[AggregateMeasures.Requests];
            var genMs = m.Doubles[AggregateMeasures.GenMs];
            deployments.Add(new DeploymentDto(d.Id, d.Model.Name, d.ProviderName, RouteRefusals.ZoneName(d.Zone), d.Region, d.Adapter.IsSimulated,
                OverviewReader.Snake(report.State.ToString()), OverviewReader.Snake(report.Availability.ToString()), report.Outstanding, requests,
                requests == 0 ? null : Math.Round((double)ok / requests, 6), LatencyHistogram.Percentile(m.Latency, 0.5), LatencyHistogram.Percentile(m.Latency, 0.95),
                LatencyHistogram.Percentile(m.Ttft, 0.5), LatencyHistogram.Percentile(m.Ttft, 0.95),
                genMs > 0 ? Math.Round(m[AggregateMeasures.GenTokens] / (genMs / 1000), 2) : null,
                success.Sum(a => a.Count), failed.Sum(a => a.Count),
                success.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(success.Max(a => a.LastMs)) : null,
                failed.Count > 0 ? DateTimeOffset.FromUnixTimeMilliseconds(failed[0].LastMs) : null, failed.FirstOrDefault()?.Values[1],
                "deployment=" + Uri.EscapeDataString(d.Id)));
            if (requests > 0)
            {
                distributions.Add(new CdfDto(d.Id, [.. LatencyHistogram.Cdf(m.Latency).Select(p => new[] { p.Ms, p.Share })],
                    [.. LatencyHistogram.Cdf(m.Ttft).Select(p => new[] { p.Ms, p.Share })]));
            }
        }

        var catalog = table.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal).Select(m => new CatalogModelDto(m.Name, m.CatalogId, m.Price.InputPerMillion,
            m.Price.OutputPerMillion, m.Price.CachedInputPerMillion, m.Price.Version, Capabilities(m), m.ContextWindow, m.OpenWeights,
            [.. m.Deployments.Select(d => d.Id)], [.. m.Deployments.Select(d => RouteRefusals.ZoneName(d.Zone)).Distinct(StringComparer.Ordinal)])).ToList();
        return new ProvidersDto(ChartData.Window(query, _reads), deployments, distributions, catalog, table.SkippedProviders);
    }

    private static List<string> Capabilities(ModelInfo model)
    {
        var names = new List<string>();
        if (model.SupportsChat)
        {
            names.Add("chat");
        }

        if (model.SupportsEmbeddings)
        {
            names.Add("embeddings");
        }

        foreach (var feature in Enum.GetValues<RequestFeatures>())
        {
            if (feature != RequestFeatures.None && model.Supports.HasFlag(feature))
            {
                names.Add(OverviewReader.Snake(feature.ToString()));
            }
        }

        return names;
    }
}
