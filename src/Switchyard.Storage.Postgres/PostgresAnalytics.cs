using Npgsql;
using Switchyard.Core.Reports;
namespace Switchyard.Storage.Postgres;

/// <summary>The console's reads (<see cref="ILedgerAnalytics"/>): aggregates, events and the keyset-paginated request list.</summary>
public sealed class PostgresAnalytics(PostgresStore database) : ILedgerAnalytics
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    public async Task<IReadOnlyList<AggregateRow>> ReadAggregatesAsync(AggregateQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await AnalyticsSql.ReadAggregatesAsync(connection, query, cancellationToken);
    }

    public async Task<IReadOnlyList<EventRow>> ReadEventsAsync(EventQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await AnalyticsSql.ReadEventsAsync(connection, query, cancellationToken);
    }

    public async Task<RequestPage> ListRequestsAsync(RequestQuery query, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        return await AnalyticsSql.ListRequestsAsync(connection, query, cancellationToken);
    }

    public async Task<long?> SizeBytesAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT pg_database_size(current_database())");
        return await command.ExecuteScalarAsync(cancellationToken) is long size ? size : null;
    }
}
