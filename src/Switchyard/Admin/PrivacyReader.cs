using Switchyard.Core.Reports;
namespace Switchyard.Admin;

/// <summary>One cell of the heatmap: requests of a data class that went to a trust zone (<c>(none)</c>: not sent anywhere).</summary>
internal sealed record HeatCellDto(string DataClass, string Zone, long Requests, bool Violation);

/// <summary><c>GET /admin/api/v1/privacy</c>: data class × trust zone, detections by entity type, actions.</summary>
/// <param name="Window">The window.</param>
/// <param name="DataClasses">Rows of the heatmap.</param>
/// <param name="Zones">Columns of the heatmap.</param>
/// <param name="Cells">Every cell, zeros included.</param>
/// <param name="RestrictedToExternal">Restricted requests an external deployment served: must be 0.</param>
/// <param name="Detections">Requests in which each entity type was found.</param>
/// <param name="Actions">Requests by privacy action.</param>
internal sealed record PrivacyOverviewDto(WindowDto Window, IReadOnlyList<string> DataClasses, IReadOnlyList<string> Zones, IReadOnlyList<HeatCellDto> Cells,
    long RestrictedToExternal, IReadOnlyList<CountDto> Detections, IReadOnlyList<CountDto> Actions);

/// <summary>Reads the Privacy page.</summary>
internal sealed class PrivacyReader
{
    public static readonly IReadOnlyList<string> DataClasses = ["public", "internal", "confidential", "restricted"];
    public static readonly IReadOnlyList<string> Zones = ["self-hosted", "private", "external"];

    private readonly AggregateReads _reads;

    public PrivacyReader(AggregateReads reads) => _reads = reads;

    public async Task<PrivacyOverviewDto> ReadAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var totals = await _reads.TotalsAsync(query, [AggregateDimension.DataClass, AggregateDimension.TrustZone, AggregateDimension.PrivacyAction], cancellationToken);
        var teams = query.Filter.Values.TryGetValue(AggregateDimension.Team, out var t) ? t : null;
        var detections = await _reads.Analytics.ReadEventsAsync(new EventQuery(AggregateEventKind.Detection, query.HourFromMs, query.HourToMs, ["subject"], false, teams),
            cancellationToken);
        var classes = DataClasses.Concat(totals.Select(r => ChartData.Label(r.Values[0]))).Distinct(StringComparer.Ordinal).ToList();
        var zones = Zones.Append(ConsoleQuery.None).Concat(totals.Select(r => ChartData.Label(r.Values[1]))).Distinct(StringComparer.Ordinal).ToList();
        var cells = new List<HeatCellDto>();
        foreach (var c in classes)
        {
            foreach (var z in zones)
            {
                var count = totals.Where(r => ChartData.Label(r.Values[0]) == c && ChartData.Label(r.Values[1]) == z).Sum(r => r.Measures[AggregateMeasures.Requests]);
                cells.Add(new HeatCellDto(c, z, count, c == "restricted" && z == "external" && count > 0));
            }
        }

        return new PrivacyOverviewDto(ChartData.Window(query, _reads), classes, zones, cells,
            cells.Single(c => c.DataClass == "restricted" && c.Zone == "external").Requests,
            [.. detections.Select(d => new CountDto(d.Values[0], d.Count)).OrderByDescending(d => d.Count).ThenBy(d => d.Name, StringComparer.Ordinal)],
            [.. totals.GroupBy(r => r.Values[2], StringComparer.Ordinal).Select(g => new CountDto(ChartData.Label(g.Key), g.Sum(r => r.Measures[AggregateMeasures.Requests])))
                .OrderByDescending(c => c.Count).ThenBy(c => c.Name, StringComparer.Ordinal)]);
    }
}
