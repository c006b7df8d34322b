using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
using Switchyard.Ledger;
namespace Switchyard.Endpoints;

/// <summary>
/// The admin API (STYLE rule 12: typed results, ProblemDetails). It exists only when <c>server.admin_key_env</c>
/// names a set environment variable; otherwise every admin URL answers 404, as if there were none — except the
/// read-only health documents (<c>/admin/health</c>, <c>/admin/health/deployments</c>), which a client on the
/// loopback interface may read without a key while no admin key is configured (the operator on the gateway's host).
/// </summary>
internal static class AdminApi
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = HostingJsonContext.MinimalApis)]
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/report", GetReportAsync);
        admin.MapGet("/health/deployments", GetDeploymentHealth);
        return app;
    }

    /// <summary><c>GET /admin/report?from=&amp;to=&amp;days=</c>: the savings report of [from, to) as JSON.</summary>
    internal static async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem>> GetReportAsync(
        HttpContext context, string? from, string? to, string? days, RouteTableHolder routes, ILedgerStore store,
        TimeProvider time, Gate.TenantDirectory tenants, CancellationToken cancellationToken)
    {
        var table = routes.Current;
        if (Authorize(context.Request, table, tenants) is { } denied)
        {
            return denied;
        }

        var (window, error) = ReportWindow.ParseQuery(from, to, days, time.GetUtcNow());
        if (window is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["window"] = [error!] }, title: "Invalid report window");
        }

        var report = await window.BuildAsync(store, table, cancellationToken);
        return TypedResults.Text(SavingsReportWriter.Json(report), "application/json", Encoding.UTF8);
    }

    /// <summary><c>GET /admin/health/deployments</c>: breaker, cool-down, load and latency of every deployment (docs/resilience.md).</summary>
    internal static Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem> GetDeploymentHealth(
        HttpContext context, RouteTableHolder routes, DeploymentStates states, Gate.TenantDirectory tenants)
    {
        var table = routes.Current;
        if (AuthorizeHealth(context, table, tenants) is { } denied)
        {
            return denied;
        }

        return TypedResults.Text(DeploymentHealthWriter.Json(table, states), "application/json", Encoding.UTF8);
    }

    /// <summary>
    /// The health documents: as the rest of the admin API, and also to a loopback client while no admin key is configured
    /// (once a key is set it is required from everywhere; behind a reverse proxy on the same host, set one).
    /// </summary>
    internal static Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem>? AuthorizeHealth(HttpContext context, RouteTable table,
        Gate.TenantDirectory tenants)
    {
        var denied = Authorize(context.Request, table, tenants);
        return denied is not null && table.AdminKeySha256 is null && context.Connection.RemoteIpAddress is { } address && System.Net.IPAddress.IsLoopback(address)
            ? null
            : denied;
    }

    private static Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem>? Authorize(HttpRequest request, RouteTable table, Gate.TenantDirectory tenants) =>
        IsAuthorized(request, table, tenants) switch
        {
            AdminAccess.Allowed => null,
            AdminAccess.Disabled => TypedResults.NotFound(),
            _ => TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "A valid admin key is required (Authorization: Bearer)."),
        };

    /// <summary>
    /// The master key (<c>server.admin_key_env</c>) or a stored, unexpired key whose policy has <c>admin_api: true</c>.
    /// Without a master key the admin API does not exist (<see cref="AdminAccess.Disabled"/>).
    /// </summary>
    internal static AdminAccess IsAuthorized(HttpRequest request, RouteTable table, Gate.TenantDirectory tenants)
    {
        if (table.AdminKeySha256 is not { } expected)
        {
            return AdminAccess.Disabled;
        }

        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        var presented = header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : "";
        if (presented.Length == 0)
        {
            return AdminAccess.Denied;
        }

        // Compare hashes in constant time: neither the key's length nor its prefix leaks through timing.
        if (CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected))
        {
            return AdminAccess.Allowed;
        }

        return tenants.Ring.TryAuthenticate(presented, out var caller) && caller.IsAdmin && !(caller.ExpiresAt <= tenants.Time.GetUtcNow())
            ? AdminAccess.Allowed
            : AdminAccess.Denied;
    }
}

/// <summary>Whether a request may use the admin API.</summary>
internal enum AdminAccess
{
    Allowed,
    Denied,

    /// <summary>No master key is configured: the admin API answers 404, as if there were none.</summary>
    Disabled,
}
