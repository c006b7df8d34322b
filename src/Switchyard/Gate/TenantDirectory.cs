using Switchyard.Core.Gate;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Hosting;
using Switchyard.Telemetry;
namespace Switchyard.Gate;

/// <summary>
/// The stored virtual keys as the Gate sees them: an immutable <see cref="KeyRing"/> snapshot in memory, so a key
/// lookup never touches the store. A change made through this process (admin API) republishes at once; changes
/// made elsewhere (another replica, the CLI) are found by polling the store's change counter every
/// <c>storage.key_poll_interval</c> (default 1 s), so they reach every replica within one interval plus one load.
/// </summary>
internal sealed partial class TenantDirectory : SupervisedService
{
    private readonly ITenancyStore _store;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<TenantDirectory> _logger;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private KeyRing _ring = KeyRing.Empty;
    private TenancySnapshot _snapshot = TenancySnapshot.Empty;
    private DateTimeOffset? _nextExpiry;

    public TenantDirectory(ITenancyStore store, RouteTableHolder routes, TimeProvider time, BackgroundTasks tasks, ILogger<TenantDirectory> logger)
        : base("key-poll", tasks, time, logger)
    {
        _store = store;
        _routes = routes;
        _time = time;
        _logger = logger;
    }

    /// <summary>Keys usable now (revoked ones excluded; expiry is also checked per request).</summary>
    public KeyRing Ring => Volatile.Read(ref _ring);

    /// <summary>The snapshot the ring was built from (for the admin API's lists).</summary>
    public TenancySnapshot Snapshot => Volatile.Read(ref _snapshot);

    public TimeProvider Time => _time;

    public ITenancyStore Store => _store;

    /// <summary>Reloads from the store and publishes a new ring.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await _refresh.WaitAsync(cancellationToken);
        try
        {
            var snapshot = await _store.LoadAsync(cancellationToken);
            var now = _time.GetUtcNow();
            Volatile.Write(ref _ring, TenantKeyRing.Build(snapshot, now));
            Volatile.Write(ref _snapshot, snapshot);
            _nextExpiry = snapshot.Keys.Where(k => k.RevokedAt is null && k.ExpiresAt + TenantKeyRing.ExpiredKeysKept > now).Min(k => k.ExpiresAt + TenantKeyRing.ExpiredKeysKept);
            Log.Refreshed(_logger, snapshot.Version, snapshot.Keys.Count);
        }
        finally
        {
            _refresh.Release();
        }
    }

    protected override TimeSpan Interval => _routes.Current.Storage.KeyPollInterval;

    protected override string WhileFailing => "serving the last key snapshot";

    /// <summary>One poll: reloads when the store's change counter moved or a key has just aged out of the ring.</summary>
    protected override async Task RunOnceAsync(CancellationToken cancellationToken)
    {
        var version = await _store.ChangeCounterAsync(cancellationToken);
        // Keys a week past expiry drop out of the ring (expired ones are refused per request already; this keeps the ring small).
        if (version != Snapshot.Version || _nextExpiry <= _time.GetUtcNow())
        {
            await RefreshAsync(cancellationToken);
        }
    }

    public override void Dispose()
    {
        _refresh.Dispose();
        base.Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.TenancyRefreshed, LogLevel.Debug, "Tenancy snapshot {Version} loaded: {Keys} stored keys.")]
        public static partial void Refreshed(ILogger logger, long version, int keys);
    }
}
