using Switchyard.Routing;
using Switchyard.Telemetry;

namespace Switchyard.Ledger;

/// <summary>
/// Bounded storage: when <c>storage.retention_days</c> is set, rows older than that many whole UTC days are rolled
/// up into daily aggregates per key, team, organisation and model and deleted, at start-up and then hourly. Sums in
/// reports do not change; the request path never reads the ledger, so its size does not slow requests.
/// </summary>
internal sealed partial class LedgerRetention : BackgroundService
{
    private readonly ILedgerStore _store;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerRetention> _logger;

    public LedgerRetention(ILedgerStore store, RouteTableHolder routes, TimeProvider time, ILogger<LedgerRetention> logger)
    {
        _store = store;
        _routes = routes;
        _time = time;
        _logger = logger;
    }

    /// <summary>Rolls up what retention allows now; returns the rows moved (0 when retention is off).</summary>
    public async Task<long> RunOnceAsync(CancellationToken cancellationToken)
    {
        if (_routes.Current.Storage.RetentionDays is not { } days)
        {
            return 0;
        }

        var today = new DateTimeOffset(_time.GetUtcNow().UtcDateTime.Date, TimeSpan.Zero);
        var before = today.AddDays(-days);
        var moved = await _store.RollUpAsync(before, cancellationToken);
        if (moved > 0)
        {
            Log.RolledUp(_logger, moved, LedgerCodec.Day(before));
        }

        return moved;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                try
                {
                    await RunOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Log.Failed(_logger, ex.GetType().Name, ex.Message);
                }

                await Task.Delay(TimeSpan.FromHours(1), _time, stoppingToken);
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.LedgerRolledUp, LogLevel.Information, "Ledger retention: {Rows} records before {Day} rolled up into daily aggregates.")]
        public static partial void RolledUp(ILogger logger, long rows, string day);

        [LoggerMessage(EventIds.RetentionFailed, LogLevel.Error, "Ledger retention failed ({ErrorType}: {Error}); retrying in an hour.")]
        public static partial void Failed(ILogger logger, string errorType, string error);
    }
}
