using Switchyard.Routing;
using Switchyard.Telemetry;
using Switchyard.Tenancy;

namespace Switchyard.Gate;

/// <summary>
/// Reconciles this replica's rate counters with the other replicas' through the shared store every
/// <c>storage.rate_limit_sync_interval</c>, and releases budget reservations abandoned by a crashed replica
/// (older than <see cref="AbandonedAfter"/>). Registered only with a shared store (PostgreSQL).
/// </summary>
internal sealed partial class RateLimitSync : BackgroundService
{
    /// <summary>A reservation this old belongs to a replica that died: no request lives this long (provider timeouts ≤ 60 min, checked at load).</summary>
    public static readonly TimeSpan AbandonedAfter = TimeSpan.FromMinutes(65);

    private readonly IRateLimitSync _sync;
    private readonly IBudgetStore _budgets;
    private readonly RateLimiter _limiter;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<RateLimitSync> _logger;

    public RateLimitSync(IRateLimitSync sync, IBudgetStore budgets, RateLimiter limiter, RouteTableHolder routes, TimeProvider time, ILogger<RateLimitSync> logger)
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

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var nextSweep = _time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    var now = _time.GetUtcNow();
                    var (others, live) = await _sync.ExchangeAsync(ReplicaId, _limiter.Snapshot(now), now, stoppingToken);
                    _limiter.ApplyRemote(others, live, _time.GetUtcNow());
                    if (now >= nextSweep)
                    {
                        nextSweep = now.AddMinutes(1);
                        var released = await _budgets.ReleaseAbandonedAsync(now - AbandonedAfter, stoppingToken);
                        if (released > 0)
                        {
                            Log.Released(_logger, released);
                        }
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.SyncFailed(_logger, ex.GetType().Name, ex.Message);
                }

                await Task.Delay(_routes.Current.Storage.RateLimitSyncInterval, _time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.RateLimitSyncFailed, LogLevel.Warning, "Rate-limit reconciliation failed ({ErrorType}: {Error}); limits hold per replica until it recovers.")]
        public static partial void SyncFailed(ILogger logger, string errorType, string error);

        [LoggerMessage(EventIds.ReservationsReleased, LogLevel.Warning, "Released {Count} budget reservations abandoned by a replica that stopped.")]
        public static partial void Released(ILogger logger, int count);
    }
}
