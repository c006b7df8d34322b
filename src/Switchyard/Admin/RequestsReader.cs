using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>One row of the request list.</summary>
internal sealed record RequestRowDto(string RequestId, DateTimeOffset Time, string Key, string? Team, string Alias, string? ServedModel, string? Deployment,
    string? Provider, string? DataClass, string? Zone, string Outcome, int HttpStatus, string? ErrorClass, long InputTokens, long CachedTokens, long OutputTokens,
    decimal CostUsd, double TotalMs, double? TtftMs, long OverheadUs, int Fallbacks, string? Objective, bool Streamed);

/// <summary><c>GET /admin/api/v1/requests</c>: one keyset page, newest first; <c>next</c> is the query string of the following page.</summary>
internal sealed record RequestPageDto(WindowDto Window, IReadOnlyList<RequestRowDto> Rows, string? NextCursor, string? Next);

/// <summary>The values each filter can take in the window (from the aggregates).</summary>
internal sealed record FacetsDto(IReadOnlyDictionary<string, IReadOnlyList<string>> Values);

/// <summary>
/// The request list (keyset pages of raw rows: one indexed query per page, at any depth), its CSV export and its
/// facets (from the aggregates).
/// </summary>
internal sealed class RequestsReader
{
    /// <summary>Most rows one CSV export writes.</summary>
    public const int MaxExportRows = 100_000;

    private static readonly AggregateDimension[] _facetDimensions =
    [
        AggregateDimension.Team, AggregateDimension.KeyName, AggregateDimension.RequestedModel, AggregateDimension.ServedModel, AggregateDimension.Provider,
        AggregateDimension.Deployment, AggregateDimension.DataClass, AggregateDimension.TrustZone, AggregateDimension.Outcome, AggregateDimension.RouteObjective,
        AggregateDimension.TaskCategory, AggregateDimension.PrivacyAction,
    ];

    private readonly AggregateReads _reads;

    public RequestsReader(AggregateReads reads) => _reads = reads;

    public async Task<RequestPageDto> PageAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        var page = await _reads.Analytics.ListRequestsAsync(query.ToRequestQuery(), cancellationToken);
        var next = page.Next?.ToString();
        return new RequestPageDto(ChartData.Window(query, _reads), [.. page.Rows.Select(Row)], next, next is null ? null : query.ToQueryString(("cursor", next)));
    }

    public async Task<FacetsDto> FacetsAsync(ConsoleQuery query, CancellationToken cancellationToken)
    {
        // Facets ignore the filters (a filter must not hide its own alternatives) but keep a team viewer's scope.
        var unfiltered = query with
        {
            Filter = query.Filter.Values.TryGetValue(AggregateDimension.Team, out var teams) && teams.Count > 0 && query.Filter.Values.Count == 1
                ? query.Filter : AggregateFilter.None,
        };
        var rows = await _reads.TotalsAsync(unfiltered, _facetDimensions, cancellationToken);
        var values = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        for (var i = 0; i < _facetDimensions.Length; i++)
        {
            values[ConsoleQuery.ParameterOf(_facetDimensions[i])] = [.. rows.Select(r => ChartData.Label(r.Values[i])).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];
        }

        return new FacetsDto(values);
    }

    /// <summary>Writes the filtered list as CSV, page after page (at most <see cref="MaxExportRows"/> rows).</summary>
    public async Task WriteCsvAsync(ConsoleQuery query, Stream body, CancellationToken cancellationToken)
    {
        await using var writer = new StreamWriter(body, new UTF8Encoding(false), 64 * 1024, leaveOpen: true);
        await writer.WriteAsync("request_id,time,key,team,alias,served_model,deployment,provider,data_class,zone,outcome,http_status,error_class," +
            "input_tokens,cached_tokens,output_tokens,cost_usd,total_ms,ttft_ms,overhead_us,fallbacks,objective,streamed\n");
        var request = query.ToRequestQuery() with { Limit = AnalyticsSql.MaxPageSize };
        var written = 0;
        while (written < MaxExportRows)
        {
            var page = await _reads.Analytics.ListRequestsAsync(request, cancellationToken);
            foreach (var r in page.Rows.Select(Row))
            {
                var inv = CultureInfo.InvariantCulture;
                await writer.WriteAsync(string.Join(',', Csv.Escape(r.RequestId), r.Time.ToString("O", inv), Csv.Escape(r.Key), Csv.Escape(r.Team ?? ""),
                    Csv.Escape(r.Alias), Csv.Escape(r.ServedModel ?? ""), Csv.Escape(r.Deployment ?? ""), Csv.Escape(r.Provider ?? ""), r.DataClass ?? "", r.Zone ?? "",
                    r.Outcome, r.HttpStatus.ToString(inv), Csv.Escape(r.ErrorClass ?? ""), r.InputTokens.ToString(inv), r.CachedTokens.ToString(inv),
                    r.OutputTokens.ToString(inv), r.CostUsd.ToString(inv), r.TotalMs.ToString("0.###", inv), r.TtftMs?.ToString("0.###", inv) ?? "",
                    r.OverheadUs.ToString(inv), r.Fallbacks.ToString(inv), Csv.Escape(r.Objective ?? ""), r.Streamed ? "true" : "false") + "\n");
            }

            written += page.Rows.Count;
            if (page.Next is not { } next)
            {
                break;
            }

            request = request with { After = next };
        }
    }

    public static RequestRowDto Row(LedgerRecord r)
    {
        ArgumentNullException.ThrowIfNull(r);
        var sent = r.Attempts.Count(LedgerAggregator.WasSent);
        return new RequestRowDto(r.RequestId, r.Timestamp, r.KeyName, r.Team, r.RequestedModel, r.ServedModel, r.DeploymentId, r.Provider, r.DataClass, r.TrustZone,
            OutcomeClass.Of(r.Outcome, r.HttpStatus, r.ErrorClass), r.HttpStatus, r.ErrorClass, r.Usage.InputTokens, r.Usage.CachedInputTokens, r.Usage.OutputTokens,
            r.CostUsd, Math.Round(r.TotalMs, 3), LedgerAggregator.TimeToFirstTokenMs(r) is { } t ? Math.Round(t, 3) : null, (long)Math.Round(r.OverheadMs * 1000),
            Math.Max(0, sent - 1), r.RouteObjective, r.Streamed);
    }

    /// <summary>The plan's candidates as the ledger kept them (<see cref="Core.Route.RouteDecision.CandidatesJson"/>).</summary>
    public static IReadOnlyList<CandidateDto> Candidates(string? json, string? served)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var list = new List<CandidateDto>();
        try
        {
            using var document = JsonDocument.Parse(json);
            var rank = 0;
            foreach (var c in document.RootElement.EnumerateArray())
            {
                var deployment = c.TryGetProperty("deployment", out var d) ? d.GetString() ?? "" : "";
                list.Add(new CandidateDto(++rank, deployment, c.TryGetProperty("model", out var m) ? m.GetString() ?? "" : "",
                    c.TryGetProperty("quality", out var q) && q.ValueKind == JsonValueKind.Number ? q.GetDouble() : null,
                    c.TryGetProperty("cost_usd", out var cost) && cost.ValueKind == JsonValueKind.Number ? cost.GetDecimal() : null,
                    deployment == served));
            }
        }
        catch (JsonException)
        {
            return [];
        }

        return list;
    }
}

/// <summary>A candidate of the plan: its place, predicted quality and estimated cost; whether it served.</summary>
internal sealed record CandidateDto(int Rank, string Deployment, string Model, double? Quality, decimal? EstimatedCostUsd, bool Served);
