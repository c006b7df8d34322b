using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchyard.Endpoints;

namespace Switchyard.Admin;

/// <summary>Who is signed in: <c>GET /admin/api/v1/me</c> (the CSRF token is for the console's own forms and scripts).</summary>
internal sealed record MeDto(string Name, string Role, IReadOnlyList<string>? Teams, bool ViaSession, string? CsrfToken);

/// <summary>
/// The versioned admin API, <c>/admin/api/v1</c>: everything the console shows, as JSON (errors as ProblemDetails),
/// for curl, the CLI and the console alike. Reads come from the aggregates (or one keyset page of raw rows for the
/// request list); a team viewer's reads are scoped to its teams. Changes need the admin role (and, from a console
/// session, its CSRF token) and are written to the audit log. Telemetry endpoints (metrics, traces) will sit beside it.
/// </summary>
internal static class AdminApiV1
{
    public const string Prefix = "/admin/api/v1";

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Hosting.HostingJsonContext.MinimalApis)]
    public static IEndpointRouteBuilder MapAdminApiV1(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup(Prefix);
        var reads = v1.MapGroup("").AddEndpointFilter(static (c, n) => AdminAuth.FilterAsync(c, n, AdminRole.TeamViewer)).AddEndpointFilter(AuditChangesAsync);
        var viewer = v1.MapGroup("").AddEndpointFilter(static (c, n) => AdminAuth.FilterAsync(c, n, AdminRole.Viewer)).AddEndpointFilter(AuditChangesAsync);
        reads.MapGet("/me", MeAsync);
        reads.MapGet("/overview", static (HttpContext c, OverviewReader r, TimeProvider t) => Read(c, t, (q, ct) => r.ReadAsync(q, ct), AdminV1Json.Default.OverviewDto));
        reads.MapGet("/requests", RequestsAsync);
        reads.MapGet("/requests/facets", static (HttpContext c, RequestsReader r, TimeProvider t) => Read(c, t, (q, ct) => r.FacetsAsync(q, ct), AdminV1Json.Default.FacetsDto));
        reads.MapGet("/requests/tail", LiveTailApi.StreamAsync);
        reads.MapGet("/requests/{id}", DetailAsync);
        reads.MapGet("/routing", static (HttpContext c, RoutingReader r, TimeProvider t) => Read(c, t, (q, ct) => r.ReadAsync(q, ct), AdminV1Json.Default.RoutingDto));
        reads.MapGet("/savings", static (HttpContext c, SavingsReader r, TimeProvider t) => Read(c, t, (q, ct) => r.ReadAsync(q, ct), AdminV1Json.Default.SavingsDto));
        reads.MapGet("/privacy", static (HttpContext c, PrivacyReader r, TimeProvider t) => Read(c, t, (q, ct) => r.ReadAsync(q, ct), AdminV1Json.Default.PrivacyOverviewDto));
        reads.MapGet("/spend", static (HttpContext c, SpendReader r, TimeProvider t) =>
            Read(c, t, (q, ct) => r.ReadAsync(q, AdminAuth.PrincipalOf(c)!, ct), AdminV1Json.Default.SpendDto));
        reads.MapGet("/providers", static (HttpContext c, ProvidersReader r, TimeProvider t) => Read(c, t, (q, ct) => r.ReadAsync(q, ct), AdminV1Json.Default.ProvidersDto));
        reads.MapGet("/planner", PlannerAsync);
        viewer.MapGet("/settings", static async (SettingsReader r, CancellationToken ct) => TypedResults.Json(await r.ReadAsync(ct), AdminV1Json.Default.SettingsDto));
        ConsoleAccountsApi.Map(v1, reads, viewer);
        PlaygroundApi.Map(reads);
        TenancyAdminApi.MapTenancy(reads, includeSpend: false);
        v1.MapFallback(static (HttpContext c) => TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No admin API endpoint {c.Request.Method} {c.Request.Path}."));
        return app;
    }

    /// <summary>Parses the view's query string (400 with every problem), scopes it to the principal's teams, and answers the reader's DTO as JSON.</summary>
    private static async Task<IResult> Read<T>(HttpContext context, TimeProvider time, Func<ConsoleQuery, CancellationToken, Task<T>> read,
        System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
    {
        var (query, errors) = ConsoleQuery.Parse(context.Request.Query, time.GetUtcNow());
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        return TypedResults.Json(await read(query.ScopedTo(AdminAuth.PrincipalOf(context)!), context.RequestAborted), type);
    }

    private static async Task<IResult> MeAsync(HttpContext context, ConsoleSessions sessions)
    {
        var principal = AdminAuth.PrincipalOf(context)!;
        return TypedResults.Json(new MeDto(principal.Name, AdminPrincipal.RoleName(principal.Role), principal.Teams, principal.ViaSession,
            principal.ViaSession ? await sessions.CsrfTokenAsync(context) : null), AdminV1Json.Default.MeDto);
    }

    private static async Task<IResult> RequestsAsync(HttpContext context, RequestsReader reader, TimeProvider time, string? format)
    {
        var (query, errors) = ConsoleQuery.Parse(context.Request.Query, time.GetUtcNow());
        if (query is null)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        query = query.ScopedTo(AdminAuth.PrincipalOf(context)!);
        if (string.Equals(format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            context.Response.ContentType = "text/csv; charset=utf-8";
            context.Response.Headers.ContentDisposition = "attachment; filename=\"requests.csv\"";
            await reader.WriteCsvAsync(query, context.Response.Body, context.RequestAborted);
            return TypedResults.Empty;
        }

        return format is null or "json"
            ? TypedResults.Json(await reader.PageAsync(query, context.RequestAborted), AdminV1Json.Default.RequestPageDto)
            : TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["format"] = ["json or csv"] }, title: "Invalid query");
    }

    private static async Task<Results<JsonHttpResult<RequestDetailDto>, ProblemHttpResult>> DetailAsync(HttpContext context, string id, RequestDetailReader reader)
    {
        var detail = await reader.ReadAsync(id, AdminAuth.PrincipalOf(context)!, $"{context.Request.Scheme}://{context.Request.Host}", context.RequestAborted);
        return detail is null
            ? TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"No request '{id}' in the ledger (or not one of your teams').")
            : TypedResults.Json(detail, AdminV1Json.Default.RequestDetailDto);
    }

    private static async Task<IResult> PlannerAsync(HttpContext context, PlannerReader reader, TimeProvider time)
    {
        var (query, errors) = ConsoleQuery.Parse(context.Request.Query, time.GetUtcNow());
        foreach (var name in (string[])["tokens_per_day", "input_output_ratio", "cached_input_fraction", "peak_factor", "gpu_hour_usd", "utilization"])
        {
            if (context.Request.Query.TryGetValue(name, out var v) && !string.IsNullOrWhiteSpace(v[^1])
                && !(decimal.TryParse(v[^1], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var d) && d >= 0))
            {
                errors[name] = [$"'{v[^1]}' is not a non-negative number"];
            }
        }

        if (query is null || errors.Count > 0)
        {
            return TypedResults.ValidationProblem(errors, title: "Invalid query");
        }

        if (!context.Request.Query.ContainsKey("range") && !context.Request.Query.ContainsKey("from"))
        {
            // The planner's prefill reads the last 30 days unless told otherwise.
            query = query with { FromMs = query.ToMs - (long)TimeSpan.FromDays(30).TotalMilliseconds, Range = "30d" };
        }

        return TypedResults.Json(await reader.ReadAsync(query.ScopedTo(AdminAuth.PrincipalOf(context)!), context.Request.Query, context.RequestAborted),
            AdminV1Json.Default.PlannerDto);
    }

    /// <summary>Writes every successful change made through the v1 API to the audit log (who, what, on which path).</summary>
    private static async ValueTask<object?> AuditChangesAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next)
    {
        var result = await next(invocation);
        var context = invocation.HttpContext;
        // A typed result without an explicit status (TypedResults.Json) answers 200.
        if (!HttpMethods.IsGet(context.Request.Method) && result is IStatusCodeHttpResult status && (status.StatusCode ?? 200) < 300 && AdminAuth.PrincipalOf(context) is { } principal
            && !context.Items.ContainsKey(AuditedItem))
        {
            var action = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? context.Request.Path.Value ?? "";
            await context.RequestServices.GetRequiredService<AuditLog>().WriteAsync(principal.Name, context.Request.Method + " " + action,
                context.Request.Path.Value ?? "", "", context.RequestAborted);
        }

        return result;
    }

    /// <summary>Set by a handler that wrote its own, more specific audit entry.</summary>
    public const string AuditedItem = "switchyard.audited";

    /// <summary>The JSON body of a change, or a 400 naming what is wrong with it.</summary>
    public static async Task<(T? Body, IResult? Error)> ReadBodyAsync<T>(HttpContext context, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            var body = await JsonSerializer.DeserializeAsync(context.Request.Body, type, context.RequestAborted);
            return body is null
                ? (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["a JSON object is required"] }, title: "Invalid request"))
                : (body, null);
        }
        catch (JsonException ex)
        {
            return (null, TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["invalid JSON: " + ex.Message] }, title: "Invalid request"));
        }
    }
}
