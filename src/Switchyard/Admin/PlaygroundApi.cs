using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Gate;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Admin;

/// <summary>Body of <c>POST /admin/api/v1/playground</c>: a client key (never stored), a model or alias, a prompt, and whether to call upstream.</summary>
internal sealed record PlaygroundRequest(string? Key, string? Model, string? Prompt, bool ExplainOnly);

/// <summary>A candidate of an explained plan.</summary>
internal sealed record PlaygroundCandidateDto(int Rank, string Deployment, string Model, string Zone, string Reason, double? Quality, decimal? EstimatedCostUsd);

/// <summary>
/// What the playground did: with <c>explain_only</c>, the route decision the gateway would take (data class, entity
/// types, candidates in order, exclusions with reasons, or the refusal) without calling upstream; otherwise the real
/// answer of the gateway's own <c>/v1/chat/completions</c> (status, routing headers, body, request id for the ledger).
/// </summary>
internal sealed record PlaygroundDto(bool ExplainOnly, string? DataClass, IReadOnlyList<string> EntityTypes, string? Objective, string? Summary,
    IReadOnlyList<PlaygroundCandidateDto> Candidates, IReadOnlyList<ExcludedCandidate> Excluded, string? Refusal, int? Status, string? RequestId,
    IReadOnlyDictionary<string, string>? Headers, string? Body);

/// <summary>The playground: the real router, through the gateway's own public endpoint.</summary>
internal static class PlaygroundApi
{
    private static readonly HttpClient _client = new(new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) }) { Timeout = TimeSpan.FromMinutes(5) };

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Hosting.HostingJsonContext.MinimalApis)]
    public static void Map(RouteGroupBuilder group) => group.MapPost("/playground", RunAsync);

    private static async Task<IResult> RunAsync(HttpContext context, RouteTableHolder routes, TenantDirectory tenants, Inspector inspector, Router router,
        DeploymentStates states, IServer server)
    {
        var (body, error) = await AdminApiV1.ReadBodyAsync(context, AdminV1Json.Default.PlaygroundRequest);
        if (body is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(body.Key) || string.IsNullOrWhiteSpace(body.Model) || string.IsNullOrEmpty(body.Prompt))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["key, model and prompt are required"] }, title: "Invalid playground request");
        }

        var table = routes.Current;
        var key = body.Key.Trim();
        if (!(table.Keys.TryAuthenticate(key, out var caller) || tenants.Ring.TryAuthenticate(key, out caller)))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["key"] = ["not a client key of this gateway"] }, title: "Invalid playground request");
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new PlaygroundChat(body.Model.Trim(), [new PlaygroundMessage("user", body.Prompt)]), AdminV1Json.Default.PlaygroundChat);
        if (body.ExplainOnly)
        {
            var (request, ingressError) = OpenAIRequestParser.ParseChat(json);
            if (request is null)
            {
                return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [ingressError!.Message] }, title: "Invalid playground request");
            }

            var inspection = inspector.Inspect(request, caller, null, table.Privacy, analyzeTask: true);
            var (plan, refusal) = router.Plan(request, caller, inspection, table, states, RouteOverrides.None);
            return TypedResults.Json(new PlaygroundDto(true, inspection.DataClass.ToString().ToLowerInvariant(), inspection.Privacy.EntityTypes,
                plan is null ? null : RouteObjectives.Name(plan.Objective), plan?.Summary,
                plan is null ? [] : [.. plan.Candidates.Select((c, i) => new PlaygroundCandidateDto(i + 1, c.Deployment.Id, c.Deployment.Model.Name, RouteRefusals.ZoneName(c.Deployment.Zone),
                    c.Reason, c.Quality, c.EstimatedCostUsd))],
                plan is null ? [] : ExcludedCandidates.Parse(ExcludedCandidates.Json(plan.Exclusions)), refusal?.Message, refusal?.Status, null, null, null),
                AdminV1Json.Default.PlaygroundDto);
        }

        var address = OwnAddress(server);
        using var send = new HttpRequestMessage(HttpMethod.Post, address + "/v1/chat/completions") { Content = new ByteArrayContent(json) };
        send.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        send.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        using var response = await _client.SendAsync(send, context.RequestAborted);
        var text = await response.Content.ReadAsStringAsync(context.RequestAborted);
        var headers = response.Headers.Where(h => h.Key.StartsWith("x-", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(h => h.Key.ToLowerInvariant(), h => string.Join(", ", h.Value), StringComparer.Ordinal);
        return TypedResults.Json(new PlaygroundDto(false, headers.GetValueOrDefault("x-switchyard-data-class"),
            headers.TryGetValue("x-switchyard-pii", out var pii) ? pii.Split(',') : [], null, headers.GetValueOrDefault("x-switchyard-route"), [], [], null,
            (int)response.StatusCode, headers.GetValueOrDefault("x-request-id"), headers, text.Length > 65_536 ? text[..65_536] : text), AdminV1Json.Default.PlaygroundDto);
    }

    /// <summary>Where this process listens, as a loopback URL (a wildcard host becomes 127.0.0.1).</summary>
    private static string OwnAddress(IServer server)
    {
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault() ?? "http://127.0.0.1:8080";
        var uri = new Uri(address.Replace("://+", "://127.0.0.1", StringComparison.Ordinal).Replace("://*", "://127.0.0.1", StringComparison.Ordinal));
        var host = uri.Host is "0.0.0.0" or "[::]" or "::" ? "127.0.0.1" : uri.Host;
        return new StringBuilder().Append(uri.Scheme).Append("://").Append(host.Contains(':', StringComparison.Ordinal) ? "[" + host.Trim('[', ']') + "]" : host)
            .Append(':').Append(uri.Port).ToString();
    }
}

/// <summary>The chat request the playground sends.</summary>
internal sealed record PlaygroundChat(string Model, IReadOnlyList<PlaygroundMessage> Messages);

/// <summary>One message of it.</summary>
internal sealed record PlaygroundMessage(string Role, string Content);
