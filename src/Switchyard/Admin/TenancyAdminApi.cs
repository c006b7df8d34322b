using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Endpoints;
using Switchyard.Gate;
using Switchyard.Hosting;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>Body of <c>POST /admin/orgs</c>.</summary>
internal sealed record CreateOrganisationRequest(string Name, TenantPolicy? Policy);

/// <summary>Body of <c>POST /admin/teams</c>: <c>org</c> is an organisation id or unique name.</summary>
internal sealed record CreateTeamRequest(string Org, string Name, TenantPolicy? Policy);

/// <summary>Body of <c>POST /admin/keys</c>: <c>team</c> is a team id or unique name.</summary>
internal sealed record CreateKeyRequest(string Team, string Name, TenantPolicy? Policy, DateTimeOffset? ExpiresAt, long? ExpiresInSeconds);

/// <summary>Body of <c>POST /admin/keys/{id}/rotate</c>: how long the old key keeps working (default 24 h).</summary>
internal sealed record RotateKeyRequest(long? OverlapSeconds);

/// <summary>A key shown once: the secret and its record (and, after a rotation, the old key's new expiry).</summary>
internal sealed record IssuedKeyResponse(string Key, VirtualKey Record, VirtualKey? Previous);

/// <summary>A key with its budget counters.</summary>
internal sealed record KeyDetails(VirtualKey Key, IReadOnlyList<BudgetCounterState> Budgets);

/// <summary>Everything in the tenancy store.</summary>
internal sealed record TenancyListing(IReadOnlyList<Organisation> Organisations, IReadOnlyList<Team> Teams, IReadOnlyList<VirtualKey> Keys);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CreateOrganisationRequest))]
[JsonSerializable(typeof(CreateTeamRequest))]
[JsonSerializable(typeof(CreateKeyRequest))]
[JsonSerializable(typeof(RotateKeyRequest))]
[JsonSerializable(typeof(IssuedKeyResponse))]
[JsonSerializable(typeof(KeyDetails))]
[JsonSerializable(typeof(TenancyListing))]
[JsonSerializable(typeof(TenantPolicy))]
[JsonSerializable(typeof(Organisation))]
[JsonSerializable(typeof(Team))]
[JsonSerializable(typeof(VirtualKey))]
[JsonSerializable(typeof(List<SpendGroupJson>))]
internal sealed partial class AdminJsonContext : JsonSerializerContext;

/// <summary>One group of <c>GET /admin/spend</c> as JSON: the grouping values by name, then the sums.</summary>
internal sealed record SpendGroupJson(Dictionary<string, string> Group, long Requests, long InputTokens, long OutputTokens, long CachedTokens,
    long CacheWriteTokens, decimal CostUsd, long Failures);

/// <summary>
/// The tenancy surface of the admin API (same authorisation as <see cref="AdminApi"/>: the master key or a stored key
/// whose policy has <c>admin_api: true</c>). Secrets are returned once, on create and rotate; lists show a key's
/// display prefix, never its hash. Changes are visible to this process at once and to other replicas within
/// <c>storage.key_poll_interval</c>.
/// </summary>
internal static class TenancyAdminApi
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = HostingJsonContext.MinimalApis)]
    public static IEndpointRouteBuilder MapTenancyAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin").AddEndpointFilter(static async (context, next) =>
            Deny(context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<RouteTableHolder>(),
                context.HttpContext.RequestServices.GetRequiredService<TenantDirectory>()) ?? await next(context));
        MapTenancy(admin);
        return app;
    }

    /// <summary>The tenancy endpoints on a group whose filter has authorised the caller (the legacy <c>/admin</c> one, or <c>/admin/api/v1</c>).</summary>
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Hosting.HostingJsonContext.MinimalApis)]
    public static RouteGroupBuilder MapTenancy(RouteGroupBuilder admin, bool includeSpend = true)
    {
        ArgumentNullException.ThrowIfNull(admin);
        admin.MapGet("/tenancy", ListAsync);
        admin.MapPost("/orgs", CreateOrganisationAsync);
        admin.MapPost("/teams", CreateTeamAsync);
        admin.MapPost("/keys", CreateKeyAsync);
        admin.MapGet("/keys/{id}", ShowKeyAsync);
        admin.MapPost("/keys/{id}/rotate", RotateKeyAsync);
        admin.MapPost("/keys/{id}/revoke", RevokeKeyAsync);
        admin.MapPut("/{level}/{id}/policy", SetPolicyAsync);
        if (includeSpend)
        {
            // The v1 API has its own /spend (the console's page); this grouping stays at /admin/spend.
            admin.MapGet("/spend", SpendAsync);
        }

        return admin;
    }

    private static async Task<IResult> ListAsync(HttpContext context, RouteTableHolder routes, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var snapshot = await tenants.Store.LoadAsync(cancellationToken);
        if (AdminAuth.PrincipalOf(context) is { Teams: not null } viewer)
        {
            // A team viewer lists its own teams and their keys only.
            var teams = snapshot.Teams.Where(t => viewer.Sees(t.Name)).ToList();
            var ids = teams.Select(t => t.Id).ToHashSet(StringComparer.Ordinal);
            return TypedResults.Json(new TenancyListing([.. snapshot.Organisations.Where(o => teams.Any(t => t.OrgId == o.Id))], teams,
                [.. snapshot.Keys.Where(k => ids.Contains(k.TeamId))]), AdminJsonContext.Default.TenancyListing);
        }

        return TypedResults.Json(new TenancyListing(snapshot.Organisations, snapshot.Teams, snapshot.Keys), AdminJsonContext.Default.TenancyListing);
    }

    private static async Task<IResult> CreateOrganisationAsync(HttpContext context, RouteTableHolder routes, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var (body, error) = await ReadAsync(context, AdminJsonContext.Default.CreateOrganisationRequest, cancellationToken);
        if (body is null)
        {
            return error!;
        }

        var result = await Admin(tenants).CreateOrganisationAsync(body.Name, body.Policy, cancellationToken);
        return await AnswerAsync(result, tenants, r => TypedResults.Json(r, AdminJsonContext.Default.Organisation, statusCode: 201), cancellationToken);
    }

    private static async Task<IResult> CreateTeamAsync(HttpContext context, RouteTableHolder routes, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var (body, error) = await ReadAsync(context, AdminJsonContext.Default.CreateTeamRequest, cancellationToken);
        if (body is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(body.Org))
        {
            return Invalid("org (an organisation id or unique name) is required");
        }

        var result = await Admin(tenants).CreateTeamAsync(body.Org, body.Name, body.Policy, cancellationToken);
        return await AnswerAsync(result, tenants, r => TypedResults.Json(r, AdminJsonContext.Default.Team, statusCode: 201), cancellationToken);
    }

    private static async Task<IResult> CreateKeyAsync(HttpContext context, RouteTableHolder routes, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var (body, error) = await ReadAsync(context, AdminJsonContext.Default.CreateKeyRequest, cancellationToken);
        if (body is null)
        {
            return error!;
        }

        if (string.IsNullOrWhiteSpace(body.Team))
        {
            return Invalid("team (a team id or unique name) is required");
        }

        if (body.ExpiresInSeconds is < 1 or > MaxExpiresInSeconds)
        {
            return Invalid($"expires_in_seconds must be between 1 and {MaxExpiresInSeconds} (100 years)");
        }

        var expires = body.ExpiresAt ?? (body.ExpiresInSeconds is { } seconds ? tenants.Time.GetUtcNow().AddSeconds(seconds) : null);
        var result = await Admin(tenants).CreateKeyAsync(body.Team, body.Name, body.Policy, expires, cancellationToken);
        return await AnswerAsync(result, tenants,
            r => TypedResults.Json(new IssuedKeyResponse(r.Secret, r.Key, r.Previous), AdminJsonContext.Default.IssuedKeyResponse, statusCode: 201), cancellationToken);
    }

    private static async Task<IResult> ShowKeyAsync(HttpContext context, string id, RouteTableHolder routes, TenantDirectory tenants, IBudgetStore budgets,
        CancellationToken cancellationToken)
    {
        var snapshot = await tenants.Store.LoadAsync(cancellationToken);
        if (TenancyAdmin.Find(snapshot.Keys, id, k => k.Id, k => k.Name) is not { } key
            || (AdminAuth.PrincipalOf(context) is { Teams: not null } viewer && !viewer.Sees(snapshot.Teams.FirstOrDefault(t => t.Id == key.TeamId)?.Name)))
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"no key '{id}'");
        }

        var counters = await budgets.ReadCountersAsync(EffectivePolicy.Scope(TenantLevel.Key, key.Id) + "|", cancellationToken);
        return TypedResults.Json(new KeyDetails(key, counters), AdminJsonContext.Default.KeyDetails);
    }

    private static async Task<IResult> RotateKeyAsync(HttpContext context, string id, RouteTableHolder routes, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        RotateKeyRequest? body = new(null);
        if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
        {
            (body, var error) = await ReadAsync(context, AdminJsonContext.Default.RotateKeyRequest, cancellationToken);
            if (body is null)
            {
                return error!;
            }
        }

        if (body.OverlapSeconds is < 0 or > MaxOverlapSeconds)
        {
            return Invalid($"overlap_seconds must be between 0 and {MaxOverlapSeconds} (30 days)");
        }

        var overlap = TimeSpan.FromSeconds(body.OverlapSeconds ?? (long)TimeSpan.FromHours(24).TotalSeconds);
        var result = await Admin(tenants).RotateKeyAsync(id, overlap, cancellationToken);
        return await AnswerAsync(result, tenants,
            r => TypedResults.Json(new IssuedKeyResponse(r.Secret, r.Key, r.Previous), AdminJsonContext.Default.IssuedKeyResponse, statusCode: 201), cancellationToken);
    }

    private static async Task<IResult> RevokeKeyAsync(HttpContext context, string id, RouteTableHolder routes, TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var result = await Admin(tenants).RevokeKeyAsync(id, cancellationToken);
        return await AnswerAsync(result, tenants, r => TypedResults.Json(r, AdminJsonContext.Default.VirtualKey), cancellationToken);
    }

    private static async Task<IResult> SetPolicyAsync(HttpContext context, string level, string id, RouteTableHolder routes, TenantDirectory tenants,
        CancellationToken cancellationToken)
    {
        TenantLevel? parsed = level switch
        {
            "orgs" => TenantLevel.Organisation,
            "teams" => TenantLevel.Team,
            "keys" => TenantLevel.Key,
            _ => null,
        };
        if (parsed is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: "use /admin/orgs/{id}/policy, /admin/teams/{id}/policy or /admin/keys/{id}/policy");
        }

        var (policy, error) = await ReadAsync(context, AdminJsonContext.Default.TenantPolicy, cancellationToken);
        if (policy is null)
        {
            return error!;
        }

        var result = await Admin(tenants).SetPolicyAsync(parsed.Value, id, policy, cancellationToken);
        return await AnswerAsync(result, tenants, _ => TypedResults.Json(policy, AdminJsonContext.Default.TenantPolicy), cancellationToken);
    }

    /// <summary><c>GET /admin/spend?from=&amp;to=&amp;days=&amp;by=team,model&amp;format=csv</c>: spend grouped by any of day, org, team, key, model.</summary>
    private static async Task<IResult> SpendAsync(HttpContext context, string? from, string? to, string? days, string? by, string? format, RouteTableHolder routes,
        TenantDirectory tenants, ILedgerStore store, TimeProvider time, CancellationToken cancellationToken)
    {
        var (window, windowError) = ReportWindow.ParseQuery(from, to, days, time.GetUtcNow());
        var (dimensions, byError) = SpendReport.ParseDimensions(by);
        if (window is null || dimensions is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { [window is null ? "window" : "by"] = [windowError ?? byError!] }, title: "Invalid spend query");
        }

        var groups = SpendReport.Group(await store.SpendAsync(window.From, window.To, cancellationToken), dimensions);
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return TypedResults.Text(SpendReport.Csv(groups, dimensions), "text/csv", Encoding.UTF8);
        }

        var json = groups.Select(g => new SpendGroupJson(
            dimensions.Select((d, i) => (SpendReport.Name(d), g.Keys[i])).ToDictionary(p => p.Item1, p => p.Item2, StringComparer.Ordinal),
            g.Requests, g.InputTokens, g.OutputTokens, g.CachedTokens, g.CacheWriteTokens, g.CostUsd, g.Failures)).ToList();
        return TypedResults.Json(json, AdminJsonContext.Default.ListSpendGroupJson);
    }

    private static TenancyAdmin Admin(TenantDirectory tenants) => new(tenants.Store, tenants.Time);

    /// <summary>Maps a change's result to HTTP and, on success, republishes this process's key snapshot at once.</summary>
    private static async Task<IResult> AnswerAsync<T>(AdminResult<T> result, TenantDirectory tenants, Func<T, IResult> ok, CancellationToken cancellationToken)
        where T : class
    {
        if (result.Value is null)
        {
            return result.NotFound
                ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: result.Error)
                : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["request"] = [result.Error ?? "invalid request"] }, title: "Invalid request");
        }

        await tenants.RefreshAsync(cancellationToken);
        return ok(result.Value);
    }

    private const long MaxExpiresInSeconds = 100L * 365 * 24 * 3600;
    private const long MaxOverlapSeconds = 30L * 24 * 3600;

    /// <summary>Admin bodies are a few hundred bytes; anything past this is refused with 413 before it is parsed.</summary>
    internal const int MaxBodyBytes = 64 * 1024;

    private static async Task<(T? Body, IResult? Error)> ReadAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type, CancellationToken cancellationToken)
        where T : class
    {
        Pipeline.RequestBody? body;
        try
        {
            body = await Pipeline.RequestBody.ReadAsync(context.Request, MaxBodyBytes, cancellationToken);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException)
        {
            return (null, Invalid("the request body could not be read"));
        }

        if (body is null)
        {
            return (null, TypedResults.Problem(statusCode: 413, title: "Request body too large", detail: $"admin request bodies are limited to {MaxBodyBytes} bytes"));
        }

        using (body)
        {
            var bytes = body.Memory.Span;
            if (!System.Text.Unicode.Utf8.IsValid(bytes))
            {
                return (null, Invalid("the request body is not valid UTF-8"));
            }

            if (Core.Common.LoneSurrogates.Error(bytes) is { } surrogate)
            {
                return (null, Invalid(surrogate));
            }

            try
            {
                return JsonSerializer.Deserialize(bytes, type) is { } value ? (value, null) : (null, Invalid("a JSON object is required"));
            }
            catch (JsonException ex)
            {
                return (null, Invalid("invalid JSON: " + ex.Message));
            }
        }
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ValidationProblem Invalid(string error) =>
        TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [error] }, title: "Invalid request");

    private static IResult? Deny(HttpContext context, RouteTableHolder routes, TenantDirectory tenants) =>
        AdminApi.IsAuthorized(context.Request, routes.Current, tenants) switch
        {
            AdminAccess.Allowed => null,
            AdminAccess.Disabled => TypedResults.NotFound(),
            _ => TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "A valid admin key is required (Authorization: Bearer)."),
        };
}
