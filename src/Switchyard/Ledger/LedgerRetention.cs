using Switchyard.Core.Ledger;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
using Switchyard.Telemetry;

namespace Switchyard.Ledger;

/// <summary>
/// Bounded storage: when <c>storage.retention_days</c> is set, rows older than that many whole UTC days are rolled
/// up into daily aggregates per key, team, organisation and model and deleted, at start-up and then hourly. Sums in
/// reports do not change; the request path never reads the ledger, so its size does not slow requests.
/// </summary>
internal sealed partial class LedgerRetention : SupervisedService
{
    private readonly ILedgerStore _store;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerRetention> _logger;

    public LedgerRetention(ILedgerStore store, RouteTableHolder routes, TimeProvider time, BackgroundTasks tasks, ILogger<LedgerRetention> logger)
        : base("ledger-retention", tasks, time, logger)
    {
        _store = store;
        _routes = routes;
        _time = time;
        _logger = logger;
    }

    /// <summary>Rolls up what retention allows now; returns the rows moved (0 when retention is off).</summary>
    public async Task<long> RollUpAsync(CancellationToken cancellationToken)
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

    protected override TimeSpan Interval => TimeSpan.FromHours(1);

    protected override string WhileFailing => "old ledger rows stay until it succeeds";

    protected override bool RunAtStart => true;

    protected override Task RunOnceAsync(CancellationToken cancellationToken) => RollUpAsync(cancellationToken);

    private static partial class Log
    {
        [LoggerMessage(EventIds.LedgerRolledUp, LogLevel.Information, "Ledger retention: {Rows} records before {Day} rolled up into daily aggregates.")]
        public static partial void RolledUp(ILogger logger, long rows, string day);
    }
}
