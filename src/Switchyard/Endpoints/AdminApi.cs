using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Switchyard.Hosting;
using Switchyard.Ledger;
using Switchyard.Reporting;
using Switchyard.Resilience;
using Switchyard.Routing;

namespace Switchyard.Endpoints;

/// <summary>
/// The admin API (STYLE rule 12: typed results, ProblemDetails). It exists only when <c>server.admin_key_env</c>
/// names a set environment variable; otherwise every admin URL answers 404, as if there were none.
/// </summary>
internal static class AdminApi
{
    public static IEndpointRouteBuilder MapAdminApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapGroup("/admin");
        admin.MapGet("/report", GetReportAsync);
        admin.MapGet("/health/deployments", GetDeploymentHealth);
        return app;
    }

    /// <summary><c>GET /admin/report?from=&amp;to=&amp;days=</c>: the savings report of [from, to) as JSON.</summary>
    internal static async Task<Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem>> GetReportAsync(
        HttpContext context, string? from, string? to, int? days, RouteTableHolder routes, ILedgerStore store,
        TimeProvider time, CancellationToken cancellationToken)
    {
        var table = routes.Current;
        if (Authorize(context.Request, table) is { } denied)
        {
            return denied;
        }

        var (window, error) = ReportWindow.Parse(from, to, days, time.GetUtcNow());
        if (window is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["window"] = [error!] }, title: "Invalid report window");
        }

        var report = await window.BuildAsync(store, table, cancellationToken);
        return TypedResults.Text(SavingsReportWriter.Json(report), "application/json", Encoding.UTF8);
    }

    /// <summary><c>GET /admin/health/deployments</c>: breaker, cool-down, load and latency of every deployment (docs/resilience.md).</summary>
    internal static Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem> GetDeploymentHealth(
        HttpContext context, RouteTableHolder routes, DeploymentStates states)
    {
        var table = routes.Current;
        if (Authorize(context.Request, table) is { } denied)
        {
            return denied;
        }

        return TypedResults.Text(DeploymentHealthWriter.Json(table, states), "application/json", Encoding.UTF8);
    }

    private static Results<ContentHttpResult, NotFound, ProblemHttpResult, ValidationProblem>? Authorize(HttpRequest request, RouteTable table)
    {
        if (table.AdminKeySha256 is not { } expected)
        {
            return TypedResults.NotFound();
        }

        var header = request.Headers.Authorization.ToString();
        const string Bearer = "Bearer ";
        var presented = header.StartsWith(Bearer, StringComparison.OrdinalIgnoreCase) ? header[Bearer.Length..].Trim() : "";
        // Compare hashes in constant time: neither the key's length nor its prefix leaks through timing.
        var ok = presented.Length > 0 && CryptographicOperations.FixedTimeEquals(
            SHA256.HashData(Encoding.UTF8.GetBytes(presented)), expected);
        if (ok)
        {
            return null;
        }

        return TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "A valid admin key is required (Authorization: Bearer).");
    }
}
