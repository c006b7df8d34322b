using System.Threading.Channels;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Hosting;
using Switchyard.Telemetry;

namespace Switchyard.Ledger;

/// <summary>
/// Columns of a ledger record that the request does not need, so the ledger writer fills them in off the request
/// path before the insert: the route candidates' JSON (from <see cref="Plan"/>) and, for a chat request that was
/// routed without the task analysis (a pinned model or a weighted alias), its task category (from
/// <see cref="TaskText"/>, the last user turn; see <see cref="Inspector.TaskText"/>).
/// </summary>
internal readonly record struct LedgerDeferred(RoutePlan? Plan, bool ClassifyTask, string? TaskText)
{
    public static LedgerDeferred Classify(string? taskText) => new(null, true, taskText);

    public bool IsEmpty => Plan is null && !ClassifyTask;
}

/// <summary>
/// Moves ledger records off the request path: requests enqueue into a bounded channel; this service writes
/// them in batches at least every flush interval. A full queue makes requests wait rather than drop records.
/// A failed batch is retried until it lands. On graceful shutdown it waits for in-flight requests, then drains
/// everything (nothing is lost); a crash loses at most the records younger than one flush interval plus the
/// batch being written (docs/architecture.md, "Crash window").
/// </summary>
internal sealed partial class LedgerWriter : BackgroundService
{
    // Small transactions: a batch is written on the same cores that serve requests, and a request arriving during
    // a 512-row insert waited for all of it (p99 at 1,000 req/s, bench/README.md). 64 rows is ~0.5 ms of work.
    private const int MaxBatch = 64;
    private readonly Channel<(LedgerRecord Record, LedgerDeferred Deferred)> _channel;
    private readonly ILedgerStore _store;
    private readonly InFlightRequests _inFlight;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerWriter> _logger;
    private readonly Inspector _inspector;
    private readonly BackgroundTasks _tasks;
    private readonly Lock _observersLock = new();
    private Action<IReadOnlyList<LedgerRecord>>[] _observers = [];

    // Taken from the queue and not yet written; kept across a restart of the loop so no record is lost.
    private readonly List<LedgerRecord> _batch = new(MaxBatch);

    /// <summary>The writer's name in health documents and metrics.</summary>
    public const string TaskName = "ledger-writer";

    public LedgerWriter(ILedgerStore store, InFlightRequests inFlight, RouteTableHolder routes, TimeProvider time, ILogger<LedgerWriter> logger, Inspector inspector,
        BackgroundTasks tasks)
    {
        _inspector = inspector;
        _tasks = tasks;
        tasks.Register(TaskName);
        _store = store;
        _inFlight = inFlight;
        _routes = routes;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<(LedgerRecord, LedgerDeferred)>(new BoundedChannelOptions(routes.Current.Server.LedgerQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>
    /// Subscribes <paramref name="observer"/> to every batch once it is stored (the console's live tail). It runs on the
    /// writer's loop, so it must only hand the records on, never block.
    /// </summary>
    public void OnStored(Action<IReadOnlyList<LedgerRecord>> observer)
    {
        lock (_observersLock)
        {
            _observers = [.. _observers, observer];
        }
    }

    /// <summary>Records written so far (for tests and readiness).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _written;

    /// <summary>Queues a record; completes synchronously unless the queue is full.</summary>
    public ValueTask EnqueueAsync(LedgerRecord record) => EnqueueAsync(record, default);

    /// <summary>Queues a record whose <paramref name="deferred"/> columns are filled in before it is written.</summary>
    public ValueTask EnqueueAsync(LedgerRecord record, LedgerDeferred deferred)
    {
        if (_channel.Writer.TryWrite((record, deferred)))
        {
            return ValueTask.CompletedTask;
        }

        return EnqueueSlowAsync(record, deferred);
    }

    private async ValueTask EnqueueSlowAsync(LedgerRecord record, LedgerDeferred deferred)
    {
        try
        {
            await _channel.Writer.WriteAsync((record, deferred));
        }
        catch (ChannelClosedException)
        {
            // Shutdown already drained the queue: write this late record directly so it is not lost.
            Log.LateRecord(_logger, record.RequestId);
            await _store.AppendAsync([Complete(record, deferred)], CancellationToken.None);
        }
    }

    /// <summary>The record as it is stored: <paramref name="deferred"/>'s columns filled in.</summary>
    internal LedgerRecord Complete(LedgerRecord record, LedgerDeferred deferred)
    {
        if (deferred.IsEmpty)
        {
            return record;
        }

        try
        {
            var plan = deferred.Plan;
            return record with
            {
                RouteCandidates = plan is not null ? RouteDecision.CandidatesJson(plan) : record.RouteCandidates,
                RouteExcluded = plan is not null ? ExcludedCandidates.Json(plan.Exclusions) : record.RouteExcluded,
                TrustZone = plan is not null && record.DeploymentId is { } served ? ServedZone(plan, served) ?? record.TrustZone : record.TrustZone,
                TaskCategory = deferred.ClassifyTask ? TaskCategories.Name(_inspector.AnalyzeTask(deferred.TaskText).Category) : record.TaskCategory,
            };
        }
        catch (Exception ex)
        {
            // A bug in a deferred column must not cost the record: it is written without them.
            _tasks.Failed(TaskName, ex);
            Log.DeferredFailed(_logger, ex, record.RequestId);
            return record;
        }
    }

    /// <summary>The trust zone of the candidate that served, as the plan had it when the request ran.</summary>
    private static string? ServedZone(RoutePlan plan, string deploymentId)
    {
        foreach (var candidate in plan.Candidates)
        {
            if (candidate.Deployment.Id == deploymentId)
            {
                return RouteRefusals.ZoneName(candidate.Deployment.Zone);
            }
        }

        return null;
    }

    /// <summary>
    /// Drains the queue until it is completed (shutdown). Invariant 8: an unexpected exception restarts the loop after a
    /// backoff instead of ending the writer (which would stop the host or, ignored, lose every later record).
    /// </summary>
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (true)
        {
            try
            {
                await DrainAsync();
                return;
            }
            catch (Exception ex)
            {
                var failures = _tasks.Failed(TaskName, ex);
                var delay = SupervisedService.Backoff(TimeSpan.FromMilliseconds(100), failures);
                Log.LoopFailed(_logger, ex, failures, delay.TotalSeconds);
                await Task.Delay(delay, _time, CancellationToken.None);
            }
        }
    }

    private async Task DrainAsync()
    {
        var reader = _channel.Reader;
        var batch = _batch;
        if (batch.Count > 0)
        {
            await WriteWithRetryAsync(batch);
            batch.Clear();
        }

        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            // Gather for up to one flush interval (or a full batch), so writes are batched under load
            // but a quiet gateway still persists within the interval.
            var deadline = _time.GetTimestamp() + (long)(_routes.Current.Server.LedgerFlushInterval.TotalSeconds * _time.TimestampFrequency);
            while (batch.Count < MaxBatch)
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var entry))
                {
                    batch.Add(Complete(entry.Record, entry.Deferred));
                }

                var remaining = deadline - _time.GetTimestamp();
                if (batch.Count >= MaxBatch || remaining <= 0 || reader.Completion.IsCompleted)
                {
                    break;
                }

                using var wait = new CancellationTokenSource(TimeSpan.FromSeconds((double)remaining / _time.TimestampFrequency), _time);
                try
                {
                    if (!await reader.WaitToReadAsync(wait.Token))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            await WriteWithRetryAsync(batch);
            batch.Clear();

            // Let request work queued behind this batch run before the next one.
            await Task.Yield();
        }
    }

    private async Task WriteWithRetryAsync(List<LedgerRecord> batch)
    {
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            try
            {
                await _store.AppendAsync(batch, CancellationToken.None);
                Interlocked.Add(ref _written, batch.Count);
                _tasks.Succeeded(TaskName);
                foreach (var observer in Volatile.Read(ref _observers))
                {
                    observer(batch);
                }

                return;
            }
            catch (Exception ex)
            {
                _tasks.Failed(TaskName, ex);
                Log.WriteFailed(_logger, batch.Count, ex.GetType().Name, ex.Message);
                await Task.Delay(delay, _time);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(5).Ticks));
            }
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Requests still running will enqueue their records: let them finish (bounded by the host's drain timeout).
        try
        {
            await _inFlight.WaitForZeroAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            // The drain deadline passed: write what we have; stragglers are written directly on arrival.
        }

        _channel.Writer.TryComplete();
        if (ExecuteTask is { } running)
        {
            await running;
        }

        Log.Drained(_logger, Written);
        await base.StopAsync(cancellationToken);
    }

    private static partial class Log
    {
        [LoggerMessage(EventIds.LedgerWriteFailed, LogLevel.Error, "Writing {Count} ledger records failed ({ErrorType}: {Error}); retrying, nothing is dropped.")]
        public static partial void WriteFailed(ILogger logger, int count, string errorType, string error);

        [LoggerMessage(EventIds.LedgerWriterRestarted, LogLevel.Error, "The ledger writer failed ({Failures} in a row); restarting it in {RetrySeconds} s, queued records are kept.")]
        public static partial void LoopFailed(ILogger logger, Exception exception, int failures, double retrySeconds);

        [LoggerMessage(EventIds.LedgerDeferredFailed, LogLevel.Error, "Ledger record {RequestId}: computing its deferred columns failed; written without them.")]
        public static partial void DeferredFailed(ILogger logger, Exception exception, string requestId);

        [LoggerMessage(EventIds.LedgerDrained, LogLevel.Information, "Ledger drained: {Written} records written by this process.")]
        public static partial void Drained(ILogger logger, long written);

        [LoggerMessage(EventIds.LedgerLateRecord, LogLevel.Warning, "Ledger record {RequestId} arrived after shutdown drained the queue; written directly.")]
        public static partial void LateRecord(ILogger logger, string requestId);
    }
}
