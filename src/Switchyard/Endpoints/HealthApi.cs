using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
namespace Switchyard.Endpoints;

/// <summary>
/// Liveness (the process answers), readiness (configuration loaded, not draining; the failing background tasks named)
/// and the operator's health document <c>GET /admin/health</c> (docs/resilience.md, "Health of the gateway itself").
/// </summary>
internal static class HealthApi
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = HostingJsonContext.MinimalApis)]
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", static () => TypedResults.Ok(new HealthStatus("live")));
        app.MapGet("/health/ready", static (RouteTableHolder routes, IHostApplicationLifetime lifetime, BackgroundTasks tasks) =>
        {
            if (lifetime.ApplicationStopping.IsCancellationRequested || ReferenceEquals(routes.Current, RouteTable.Empty))
            {
                return TypedResults.Json(new ReadyStatus("draining", []), HostingJsonContext.Default.ReadyStatus, statusCode: 503);
            }

            // Still ready while a background task fails: the gateway serves (the ledger queues, limits hold per replica), and
            // taking every replica out of rotation because their shared store is down would turn a degradation into an outage.
            var failing = tasks.Snapshot().Where(t => t.Failing).Select(t => new FailingTask(t.Name, t.FailingSince, t.ConsecutiveFailures)).ToList();
            return TypedResults.Json(new ReadyStatus(failing.Count == 0 ? "ready" : "degraded", failing), HostingJsonContext.Default.ReadyStatus);
        });
        app.MapGet("/admin/health", GetHealth);
        return app;
    }

    /// <summary><c>GET /admin/health</c>: the configuration in force and the last change refused, every background task.</summary>
    internal static IResult GetHealth(HttpContext context, RouteTableHolder routes, Gate.TenantDirectory tenants, SwitchyardConfiguration configuration,
        BackgroundTasks tasks, IHostApplicationLifetime lifetime)
    {
        if (AdminApi.AuthorizeHealth(context, routes.Current, tenants) is { } denied)
        {
            return denied;
        }

        var list = tasks.Snapshot();
        var status = lifetime.ApplicationStopping.IsCancellationRequested ? "draining" : list.Any(t => t.Failing) ? "degraded" : "ok";
        return TypedResults.Json(new HealthDocument(status, configuration.Status, list, "/admin/health/deployments"), HostingJsonContext.Default.HealthDocument);
    }
}

/// <summary>The body of <c>/health/live</c>.</summary>
internal sealed record HealthStatus(string Status);

/// <summary>The body of <c>/health/ready</c>: ready, degraded (serving, some background task failing) or draining.</summary>
internal sealed record ReadyStatus(string Status, IReadOnlyList<FailingTask> Failing);

/// <summary>A background task that is failing, and since when (no error text: <c>/health/ready</c> needs no key).</summary>
internal sealed record FailingTask(string Name, DateTimeOffset? Since, int Failures);

/// <summary>The body of <c>/admin/health</c>.</summary>
internal sealed record HealthDocument(string Status, ConfigStatus Config, IReadOnlyList<BackgroundTaskStatus> BackgroundTasks, string Deployments);
