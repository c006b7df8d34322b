using System.Threading.Channels;
using Switchyard.Ledger;
using Switchyard.Pipeline;
using Switchyard.Routing;
using Switchyard.Telemetry;

namespace Switchyard.Ledger;

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
    private readonly Channel<LedgerRecord> _channel;
    private readonly ILedgerStore _store;
    private readonly InFlightRequests _inFlight;
    private readonly RouteTableHolder _routes;
    private readonly TimeProvider _time;
    private readonly ILogger<LedgerWriter> _logger;

    public LedgerWriter(ILedgerStore store, InFlightRequests inFlight, RouteTableHolder routes, TimeProvider time, ILogger<LedgerWriter> logger)
    {
        _store = store;
        _inFlight = inFlight;
        _routes = routes;
        _time = time;
        _logger = logger;
        _channel = Channel.CreateBounded<LedgerRecord>(new BoundedChannelOptions(routes.Current.Server.LedgerQueueCapacity)
        {
            SingleReader = true,
            FullMode = BoundedChannelFullMode.Wait,
        });
    }

    /// <summary>Records written so far (for tests and readiness).</summary>
    public long Written => Interlocked.Read(ref _written);

    private long _written;

    /// <summary>Queues a record; completes synchronously unless the queue is full.</summary>
    public ValueTask EnqueueAsync(LedgerRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            return ValueTask.CompletedTask;
        }

        return EnqueueSlowAsync(record);
    }

    private async ValueTask EnqueueSlowAsync(LedgerRecord record)
    {
        try
        {
            await _channel.Writer.WriteAsync(record);
        }
        catch (ChannelClosedException)
        {
            // Shutdown already drained the queue: write this late record directly so it is not lost.
            Log.LateRecord(_logger, record.RequestId);
            await _store.AppendAsync([record], CancellationToken.None);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var reader = _channel.Reader;
        var batch = new List<LedgerRecord>(MaxBatch);
        while (await reader.WaitToReadAsync(CancellationToken.None))
        {
            // Gather for up to one flush interval (or a full batch), so writes are batched under load
            // but a quiet gateway still persists within the interval.
            var deadline = _time.GetTimestamp() + (long)(_routes.Current.Server.LedgerFlushInterval.TotalSeconds * _time.TimestampFrequency);
            while (batch.Count < MaxBatch)
            {
                while (batch.Count < MaxBatch && reader.TryRead(out var record))
                {
                    batch.Add(record);
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
                return;
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
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

        [LoggerMessage(EventIds.LedgerDrained, LogLevel.Information, "Ledger drained: {Written} records written by this process.")]
        public static partial void Drained(ILogger logger, long written);

        [LoggerMessage(EventIds.LedgerLateRecord, LogLevel.Warning, "Ledger record {RequestId} arrived after shutdown drained the queue; written directly.")]
        public static partial void LateRecord(ILogger logger, string requestId);
    }
}
