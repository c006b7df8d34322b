using System.Diagnostics.Metrics;
using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Telemetry;

/// <summary>
/// Deployment health as observable instruments, read when a collector asks (nothing on the request path):
/// breaker state (0 closed, 1 half-open, 2 open), availability, requests in flight, latency EWMA, and the
/// retries the budget refused.
/// </summary>
internal sealed class ResilienceMetrics
{
    public ResilienceMetrics(IMeterFactory factory, RouteTableHolder routes, DeploymentStates states, RetryBudget budget)
    {
        var meter = factory.Create(SwitchyardMetrics.MeterName);
        meter.CreateObservableGauge("switchyard.deployment.breaker_state", () => Observe(routes, states, static (r, _) => (int)r.State),
            unit: "{state}", description: "0 closed, 1 open, 2 half-open");
        meter.CreateObservableGauge("switchyard.deployment.available", () => Observe(routes, states, static (r, _) => r.Availability == Availability.Available ? 1 : 0),
            description: "1 when routing may send to the deployment now");
        meter.CreateObservableGauge("switchyard.deployment.outstanding", () => Observe(routes, states, static (r, _) => r.Outstanding), unit: "{request}");
        meter.CreateObservableGauge("switchyard.deployment.latency_ewma", () => ObserveDouble(routes, states), unit: "ms");
        meter.CreateObservableCounter("switchyard.retry_budget.refused", () => budget.Refused, unit: "{retry}");
    }

    private static IEnumerable<Measurement<int>> Observe(RouteTableHolder routes, DeploymentStates states, Func<DeploymentHealthReport, Deployment, int> value)
    {
        foreach (var model in routes.Current.Models.Values)
        {
            foreach (var d in model.Deployments)
            {
                yield return new Measurement<int>(value(states.Get(d.Id).Report(d.Resilience), d),
                    new KeyValuePair<string, object?>("switchyard.deployment.id", d.Id), new KeyValuePair<string, object?>("gen_ai.provider.name", d.ProviderName));
            }
        }
    }

    private static IEnumerable<Measurement<double>> ObserveDouble(RouteTableHolder routes, DeploymentStates states)
    {
        foreach (var model in routes.Current.Models.Values)
        {
            foreach (var d in model.Deployments)
            {
                yield return new Measurement<double>(states.Get(d.Id).Report(d.Resilience).LatencyEwmaMs,
                    new KeyValuePair<string, object?>("switchyard.deployment.id", d.Id), new KeyValuePair<string, object?>("gen_ai.provider.name", d.ProviderName));
            }
        }
    }
}
