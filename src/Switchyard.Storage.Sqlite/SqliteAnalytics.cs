using Switchyard.Core.Reports;
namespace Switchyard.Storage.Sqlite;

/// <summary>The console's reads (<see cref="ILedgerAnalytics"/>) on the embedded store's file, each on its own pooled connection.</summary>
public sealed class SqliteAnalytics : ILedgerAnalytics
{
    private readonly SqliteLedgerStore _store;

    public SqliteAnalytics(SqliteLedgerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<IReadOnlyList<AggregateRow>> ReadAggregatesAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await AnalyticsSql.ReadAggregatesAsync(connection, query, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRow>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await AnalyticsSql.ReadEventsAsync(connection, query, cancellationToken);
    }

    public async Task<RequestPage> ListRequestsAsync(RequestQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        return await AnalyticsSql.ListRequestsAsync(connection, query, cancellationToken);
    }

    public Task<long?> SizeBytesAsync(CancellationToken cancellationToken)
    {
        long size = 0;
        foreach (var path in (string[])[_store.DatabasePath, _store.DatabasePath + "-wal", _store.DatabasePath + "-shm"])
        {
            var file = new FileInfo(path);
            size += file.Exists ? file.Length : 0;
        }

        return Task.FromResult<long?>(size);
    }
}
