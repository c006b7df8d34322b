using Switchyard.Core.Reports;
namespace Switchyard.Admin;

/// <summary>Requests from one requested name to one served model.</summary>
internal sealed record FlowDto(string Alias, string ServedModel, long Requests);

/// <summary>How often a deployment needed a fallback: requests it served after another attempt failed.</summary>
internal sealed record FallbackDto(string Deployment, long Requests, long FallbackRequests, double? Rate);

/// <summary>Deployments left out of plans for one reason (kind), and by which deployment.</summary>
internal sealed record ExclusionCountDto(string Kind, string Deployment, long Count);

/// <summary>A value of a decision dimension and its count.</summary>
internal sealed record CountDto(string Name, long Count);

/// <summary><c>GET /admin/api/v1/routing</c>: flows, decisions over time, fallbacks, exclusions, policy hits. Requests in the flows add up to the ledger's.</summary>
internal sealed record RoutingDto(WindowDto Window, long Requests, IReadOnlyList<FlowDto> Flows, ChartDto ObjectivesOverTime, IReadOnlyList<FallbackDto> Fallbacks,
    IReadOnlyList<ExclusionCountDto> Exclusions, IReadOnlyList<CountDto> Objectives, IReadOnlyList<CountDto> PrivacyActions, IReadOnlyList<string> Notes);

/// <summary>Reads the Routing page from the aggregates and the exclusions of the events table.</summary>
internal sealed class RoutingReader
{
    private readonly AggregateReads _reads;

    public RoutingReader(AggregateReads reads) => _reads = reads;

    public async Task<RoutingDto> ReadAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var totals = await _reads.TotalsAsync(query,
            [AggregateDimension.RequestedModel, AggregateDimension.ServedModel, AggregateDimension.Deployment, AggregateDimension.RouteObjective, AggregateDimension.PrivacyAction],
            cancellationToken);
        var series = await _reads.SeriesAsync(query, [AggregateDimension.RouteObjective], cancellationToken);
        var teams = query.Filter.Values.TryGetValue(AggregateDimension.Team, out var t) ? t : null;
        var exclusions = await _reads.Analytics.ReadEventsAsync(new EventQuery(AggregateEventKind.Exclusion, query.HourFromMs, query.HourToMs, ["detail", "subject"], false, teams),
            cancellationToken);
        long Sum(IEnumerable<AggregateRow> rows) => rows.Sum(r => r.Measures[AggregateMeasures.Requests]);
        return new RoutingDto(
            ChartData.Window(query, _reads),
            Sum(totals),
            [.. totals.GroupBy(r => (r.Values[0], r.Values[1])).Select(g => new FlowDto(ChartData.Label(g.Key.Item1), ChartData.Label(g.Key.Item2), Sum(g)))
                .OrderByDescending(f => f.Requests).ThenBy(f => f.Alias, StringComparer.Ordinal).ThenBy(f => f.ServedModel, StringComparer.Ordinal)],
            ChartData.Lines(query, _reads, series, 0, AggregateDimension.RouteObjective, "requests", m => m[AggregateMeasures.Requests]),
            [.. totals.Where(r => r.Values[2].Length > 0).GroupBy(r => r.Values[2], StringComparer.Ordinal).Select(g =>
            {
                var requests = Sum(g);
                var fallbacks = g.Sum(r => r.Measures[AggregateMeasures.FallbackRequests]);
                return new FallbackDto(g.Key, requests, fallbacks, requests == 0 ? null : Math.Round((double)fallbacks / requests, 6));
            }).OrderByDescending(f => f.FallbackRequests).ThenBy(f => f.Deployment, StringComparer.Ordinal)],
            [.. exclusions.Select(e => new ExclusionCountDto(e.Values[0], e.Values[1], e.Count)).OrderByDescending(e => e.Count).ThenBy(e => e.Kind, StringComparer.Ordinal)],
            Counts(totals, 3),
            Counts(totals, 4),
            [
                "objective: what ordered the plan (weighted = pinned models and split aliases; cheapest-qualifying, fastest, best, value rank by predicted quality and cost)",
                "a fallback request was served after at least one attempt on another deployment failed",
                "exclusions count every deployment Route left out of a plan, by reason; a request can leave out several",
            ]);
    }

    private static IReadOnlyList<CountDto> Counts(IReadOnlyList<AggregateRow> rows, int column) =>
        [.. rows.GroupBy(r => r.Values[column], StringComparer.Ordinal).Select(g => new CountDto(ChartData.Label(g.Key), g.Sum(r => r.Measures[AggregateMeasures.Requests])))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal)];
}
