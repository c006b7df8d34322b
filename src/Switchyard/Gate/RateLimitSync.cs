using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Hosting;
using Switchyard.Telemetry;
namespace Switchyard.Gate;

/// <summary>
/// Reconciles this replica's rate counters with the other replicas' through the shared store every
/// <c>storage.rate_limit_sync_interval</c>, and releases budget reservations abandoned by a crashed replica
/// (older than <see cref="AbandonedAfter"/>). Registered only with a shared store (PostgreSQL).
/// </summary>
internal sealed partial class RateLimitSync : SupervisedService
{
    /// <summary>A reservation this old belongs to a replica that died: no request lives this long (provider timeouts ≤ 60 min, checked at load).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(65);

    private readonly IRateLimitSync _sync;
    private readonly IBudgetStore _budgets;
    private readonly RateLimiter _limiter;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<RateLimitSync> _logger;
    private DateTimeOffset _nextSweep = DateTimeOffset.MinValue;

    public RateLimitSync(IRateLimitSync sync, IBudgetStore budgets, RateLimiter limiter, RouteTableHolder routes, TimeProvider time, BackgroundTasks tasks,
        ILogger<RateLimitSync> logger)
        : base("rate-limit-exchange", tasks, time, logger)
    {
        _sync = sync;
        _budgets = budgets;
        _limiter = limiter;
        _routes = routes;
        _time = time;
        _logger = logger;
    }

    /// <summary>This process's replica id in the shared counters.</summary>
    public string ReplicaId { get; } = Environment.MachineName + "-" + Environment.ProcessId + "-" + Guid.NewGuid().ToString("N")[..8];

    protected override TimeSpan Interval => _routes.Current.Storage.RateLimitSyncInterval;

    protected override string WhileFailing => "limits hold per replica until it recovers";

    protected override bool RunAtStart => true;

    /// <summary>One exchange of counters, and once a minute the sweep of abandoned reservations.</summary>
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = _time.GetUtcNow();
        var (others, live) = await _sync.ExchangeAsync(ReplicaId, _limiter.Snapshot(now), now, cancellationToken);
        _limiter.ApplyRemote(others, live, _time.GetUtcNow());
        if (now >= _nextSweep)
        {
            _nextSweep = now.AddMinutes(1);
            var released = await _budgets.ReleaseAbandonedAsync(now - AbandonedAfter, cancellationToken);
            if (released > 0)
            {
                Log.Released(_logger, released);
            }
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.ReservationsReleased, LogLevel.Warning, "Released {Count} budget reservations abandoned by a replica that stopped.")]
        public static partial void Released(ILogger logger, int count);
    }
}
