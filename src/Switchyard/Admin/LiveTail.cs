using System.Threading.Channels;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>
/// The live tail: every batch the ledger writer has stored is offered to the open tail streams of this process, each
/// through its own small queue (a slow viewer loses its oldest rows, never slows the writer). With no viewer it costs
/// one volatile read per batch.
/// </summary>
internal sealed class LiveTail
{
    private const int QueuePerViewer = 512;
    private readonly Lock _lock = new();
    private Channel<LedgerRecord>[] _viewers = [];

    /// <summary>The tail subscribes to the ledger writer's stored batches (the writer knows nothing of the console).</summary>
    public LiveTail(LedgerWriter ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ledger.OnStored(Publish);
    }

    public int Viewers => Volatile.Read(ref _viewers).Length;

    /// <summary>Offers stored records to every viewer.</summary>
    public void Publish(IReadOnlyList<LedgerRecord> records)
    {
        var viewers = Volatile.Read(ref _viewers);
        if (viewers.Length == 0)
        {
            return;
        }

        foreach (var viewer in viewers)
        {
            foreach (var record in records)
            {
                viewer.Writer.TryWrite(record);
            }
        }
    }

    /// <summary>A viewer's queue; dispose the subscription to leave.</summary>
    public Subscription Subscribe()
    {
        var channel = Channel.CreateBounded<LedgerRecord>(new BoundedChannelOptions(QueuePerViewer) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });
        lock (_lock)
        {
            _viewers = [.. _viewers, channel];
        }

        return new Subscription(this, channel);
    }

    private void Leave(Channel<LedgerRecord> channel)
    {
        lock (_lock)
        {
            _viewers = [.. _viewers.Where(v => v != channel)];
        }

        channel.Writer.TryComplete();
    }

    /// <summary>Whether a record passes a view's filters (the same dimension values the aggregates and the request list use).</summary>
    public static bool Matches(ConsoleQuery query, LedgerRecord record)
    {
        ArgumentNullException.ThrowIfNull(query);
        var key = LedgerAggregator.KeyOf(record);
        foreach (var (dimension, values) in query.Filter.Values)
        {
            if (!values.Contains(key[dimension], StringComparer.Ordinal))
            {
                return false;
            }
        }

        return (query.RequestId is null || query.RequestId == record.RequestId)
            && !(record.CostUsd < query.MinCostUsd) && !(record.CostUsd > query.MaxCostUsd)
            && !(record.TotalMs < query.MinLatencyMs) && !(record.TotalMs > query.MaxLatencyMs);
    }

    /// <summary>One viewer's queue.</summary>
    internal sealed class Subscription : IDisposable
    {
        private readonly LiveTail _owner;
        private readonly Channel<LedgerRecord> _channel;

        public Subscription(LiveTail owner, Channel<LedgerRecord> channel)
        {
            _owner = owner;
            _channel = channel;
        }

        public ChannelReader<LedgerRecord> Reader => _channel.Reader;

        public void Dispose() => _owner.Leave(_channel);
    }
}
