using System.Globalization;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>One upstream attempt on the waterfall: when it started after the first one, how long it took, how it ended.</summary>
internal sealed record AttemptDto(int Index, string Deployment, string Status, int UpstreamStatus, double StartMs, double DurationMs, bool Sent);

/// <summary>The routing decision: objective and summary, every candidate in order, and every deployment left out with its reason.</summary>
internal sealed record DecisionDto(string? Objective, string? Reason, IReadOnlyList<CandidateDto> Candidates, IReadOnlyList<ExcludedCandidate> Excluded);

/// <summary>What the privacy scanner found (entity types only, never values) and what it led to.</summary>
internal sealed record PrivacyDto(IReadOnlyList<string> EntityTypes, string? DataClass, string? Zone, string Action, string Content);

/// <summary>One line of the cost breakdown: tokens × price per million.</summary>
internal sealed record CostLineDto(string Part, long Tokens, decimal? UsdPerMillion, decimal? Usd);

/// <summary>The cost: the ledger's figure (authoritative), its parts at the served model's current price, and the baseline.</summary>
internal sealed record CostDto(decimal CostUsd, string? PriceVersion, bool PriceChangedSince, IReadOnlyList<CostLineDto> Lines, string? BaselineModel,
    decimal? BaselineCostUsd, decimal? SavingUsd, bool UsageEstimated);

/// <summary><c>GET /admin/api/v1/requests/{id}</c>.</summary>
internal sealed record RequestDetailDto(RequestRowDto Request, string? Org, string KeyId, string ClientFormat, string Operation, string? EndUser,
    string? TaskCategory, double UpstreamMs, IReadOnlyList<AttemptDto> Attempts, DecisionDto Decision, PrivacyDto Privacy, CostDto Cost, string Curl);

/// <summary>One request's whole story, from its ledger row (a primary-key lookup).</summary>
internal sealed class RequestDetailReader
{
    private readonly ILedgerStore _store;
    private readonly RouteTableHolder _routes;

    public RequestDetailReader(ILedgerStore store, RouteTableHolder routes)
    {
        _store = store;
        _routes = routes;
    }

    /// <summary>The detail, or null when there is no such request (or the principal may not see its team).</summary>
    public async Task<RequestDetailDto?> ReadAsync(string id, AdminPrincipal principal, string baseUrl, CancellationToken cancellationToken)
    {
        if (await _store.FindAsync(id, cancellationToken) is not { } r || !principal.Sees(r.Team))
        {
            return null;
        }

        var attempts = new List<AttemptDto>();
        double offset = 0;
        foreach (var a in r.Attempts)
        {
            attempts.Add(new AttemptDto(attempts.Count + 1, a.DeploymentId, a.Status, a.UpstreamStatusCode, Math.Round(offset, 3), Math.Round(a.DurationMs, 3),
                LedgerAggregator.WasSent(a)));
            offset += a.DurationMs;
        }

        var excluded = ExcludedCandidates.Parse(r.RouteExcluded);
        var action = PrivacyAction.Of(r, excluded.Any(e => e.Kind == "trust_zone"));
        var privacy = new PrivacyDto(r.PiiTypes?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [], r.DataClass, r.TrustZone, action,
            "not captured: the gateway keeps no prompt or completion (content capture is off)");
        return new RequestDetailDto(RequestsReader.Row(r), r.Org, r.KeyId, LedgerCodec.Name(r.ClientFormat), LedgerCodec.Name(r.Operation), r.EndUser, r.TaskCategory,
            Math.Round(r.UpstreamMs, 3), attempts, new DecisionDto(r.RouteObjective, r.RouteReason, RequestsReader.Candidates(r.RouteCandidates, r.DeploymentId), excluded),
            privacy, Cost(r, _routes.Current), Curl(r, baseUrl));
    }

    private static CostDto Cost(LedgerRecord r, RouteTable table)
    {
        var price = r.ServedModel is { } served && table.Models.TryGetValue(served, out var model) ? model.Price : null;
        var u = r.Usage;
        var cached = Math.Min(u.CachedInputTokens, u.InputTokens);
        CostLineDto Line(string part, long tokens, decimal? perMillion) =>
            new(part, tokens, perMillion, perMillion is { } p ? Math.Round(tokens * p / 1_000_000m, 9) : null);
        var lines = new List<CostLineDto>
        {
            Line("input (uncached)", u.InputTokens - cached, price?.InputPerMillion),
            Line("input (cached read)", cached, price is null ? null : price.CachedInputPerMillion ?? price.InputPerMillion),
            Line("cache write", u.CacheWriteTokens, price is null ? null : price.CacheWritePerMillion ?? price.InputPerMillion),
            Line("output", u.OutputTokens, price?.OutputPerMillion),
        };
        return new CostDto(r.CostUsd, r.PriceVersion, price is not null && r.PriceVersion is not null && price.Version != r.PriceVersion, lines, r.BaselineModel,
            r.BaselineCostUsd, r.BaselineCostUsd is { } b ? b - r.CostUsd : null, u.Estimated);
    }

    /// <summary>A curl that sends a request of the same shape through the gateway (prompts are never stored: the message is a placeholder).</summary>
    private static string Curl(LedgerRecord r, string baseUrl)
    {
        var model = r.RequestedModel.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal);
        var stream = r.Streamed ? ", \"stream\": true" : "";
        return r.Operation == Core.Model.Operation.Embeddings
            ? string.Create(CultureInfo.InvariantCulture, $"curl -s {baseUrl}/v1/embeddings -H \"Authorization: Bearer $SWITCHYARD_KEY\" -H \"Content-Type: application/json\" -d '{{\"model\": \"{model}\", \"input\": \"…\"}}'")
            : r.ClientFormat == Core.Model.ApiFormat.Anthropic
                ? string.Create(CultureInfo.InvariantCulture, $"curl -s {baseUrl}/v1/messages -H \"x-api-key: $SWITCHYARD_KEY\" -H \"anthropic-version: 2023-06-01\" -H \"Content-Type: application/json\" -d '{{\"model\": \"{model}\", \"max_tokens\": 256{stream}, \"messages\": [{{\"role\": \"user\", \"content\": \"…\"}}]}}'")
                : string.Create(CultureInfo.InvariantCulture, $"curl -s {baseUrl}/v1/chat/completions -H \"Authorization: Bearer $SWITCHYARD_KEY\" -H \"Content-Type: application/json\" -d '{{\"model\": \"{model}\"{stream}, \"messages\": [{{\"role\": \"user\", \"content\": \"…\"}}]}}'");
    }
}
