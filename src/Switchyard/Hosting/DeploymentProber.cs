using Switchyard.Core.Deployments;
using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Telemetry;

namespace Switchyard.Hosting;

/// <summary>
/// Active health: every deployment with <c>probe_interval</c> whose adapter can probe (<see cref="IHealthProbe"/>)
/// is checked on that interval; results feed the same <see cref="DeploymentState"/> as passive outcomes (a
/// healthy probe closes an open breaker early, a failed one counts as a failure). It also forgets the state of
/// deployments a reload removed. Stops cleanly with the host.
/// </summary>
internal sealed partial class DeploymentProber : SupervisedService
{
    private static readonly TimeSpan _tick = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan _maxProbeTimeout = TimeSpan.FromSeconds(10);

    private readonly RouteTableHolder _routes;
    private readonly DeploymentStates _states;
    private readonly TimeProvider _time;
    private readonly ILogger<DeploymentProber> _logger;
    private readonly Dictionary<string, long> _due = new(StringComparer.Ordinal);
    private int _generation = -1;

    // ResilienceMetrics is taken here so its observable instruments exist from startup.
    public DeploymentProber(RouteTableHolder routes, DeploymentStates states, TimeProvider time, ResilienceMetrics metrics, BackgroundTasks tasks,
        ILogger<DeploymentProber> logger)
        : base("deployment-probes", tasks, time, logger)
    {
        _ = metrics;
        _routes = routes;
        _states = states;
        _time = time;
        _logger = logger;
    }

    protected override TimeSpan Interval => _tick;

    protected override string WhileFailing => "deployment health is passive only";

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => TickAsync(cancellationToken);

    /// <summary>One round: forget removed deployments after a reload, then run the probes that are due, concurrently.</summary>
    internal async Task TickAsync(CancellationToken cancellationToken)
    {
        var table = _routes.Current;
        if (table.Generation != _generation)
        {
            _generation = table.Generation;
            _states.Retain(table);
        }

        var now = _time.GetTimestamp();
        List<Task>? probes = null;
        foreach (var model in table.Models.Values)
        {
            foreach (var deployment in model.Deployments)
            {
                if (deployment.Resilience.ProbeInterval is not { } interval || deployment.Adapter is not IHealthProbe probe)
                {
                    continue;
                }

                if (_due.TryGetValue(deployment.Id, out var due) && now < due)
                {
                    continue;
                }

                _due[deployment.Id] = now + (long)(interval.TotalSeconds * _time.TimestampFrequency);
                (probes ??= []).Add(ProbeAsync(probe, deployment, interval, cancellationToken));
            }
        }

        if (probes is not null)
        {
            await Task.WhenAll(probes);
        }
    }

    private async Task ProbeAsync(IHealthProbe probe, Deployment deployment, TimeSpan interval, CancellationToken cancellationToken)
    {
        var timeout = interval < _maxProbeTimeout ? interval : _maxProbeTimeout;
        var healthy = await probe.ProbeAsync(deployment, timeout, cancellationToken);
        if (cancellationToken.IsCancellationRequested)
        {
            return;
        }

        var health = _states.Get(deployment.Id);
        var before = health.State;
        health.RecordProbe(deployment.Resilience, healthy);
        if (health.State != before)
        {
            Log.BreakerChangedByProbe(_logger, deployment.Id, before.ToString(), health.State.ToString());
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ProbeChangedBreaker, LogLevel.Warning, "Deployment {DeploymentId}: active probe moved its breaker from {From} to {To}.")]
        public static partial void BreakerChangedByProbe(ILogger logger, string deploymentId, string from, string to);
    }
}
