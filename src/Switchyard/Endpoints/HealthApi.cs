using Switchyard.Hosting;
using Switchyard.Routing;

namespace Switchyard.Endpoints;

/// <summary>Liveness (the process answers) and readiness (configuration loaded, not draining).</summary>
internal static class HealthApi
{
    public static IEndpointRouteBuilder MapHealthApi(this IEndpointRouteBuilder app)
    {
        app.MapGet("/health/live", static () => TypedResults.Ok(new HealthStatus("live")));
        app.MapGet("/health/ready", static (RouteTableHolder routes, IHostApplicationLifetime lifetime) =>
            lifetime.ApplicationStopping.IsCancellationRequested || ReferenceEquals(routes.Current, RouteTable.Empty)
                ? Results.Json(new HealthStatus("draining"), HostingJsonContext.Default.HealthStatus, statusCode: 503)
                : Results.Json(new HealthStatus("ready"), HostingJsonContext.Default.HealthStatus));
        return app;
    }
}

internal sealed record HealthStatus(string Status);
