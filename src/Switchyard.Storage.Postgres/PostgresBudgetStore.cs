using Npgsql;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using static Switchyard.Storage.Postgres.PostgresStore;
namespace Switchyard.Storage.Postgres;

/// <summary>Budget reservations: atomic conditional updates on every counter, in a fixed order, in one transaction.</summary>
public sealed class PostgresBudgetStore(PostgresStore database) : IBudgetStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    public async Task<(BudgetReservation? Reservation, BudgetRefusal? Refusal)> TryReserveAsync(IReadOnlyList<BudgetCharge> charges, long amountNanoUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        var counters = charges.Select(c => c.Counter).ToArray();
        var id = Guid.CreateVersion7().ToString("N");
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var batch = new NpgsqlBatch(connection, transaction))
        {
            var ensure = new NpgsqlBatchCommand("INSERT INTO budget_counters (counter) SELECT unnest($1::text[]) ORDER BY 1 ON CONFLICT (counter) DO NOTHING");
            ensure.Parameters.Add(new NpgsqlParameter { Value = counters });
            batch.BatchCommands.Add(ensure);
            // Charges arrive sorted (BudgetCounters.ChargesFor): rows are locked in one global order, so no deadlock.
            foreach (var charge in charges)
            {
                var update = new NpgsqlBatchCommand("UPDATE budget_counters SET reserved_nusd = reserved_nusd + $1 WHERE counter = $2 AND spent_nusd + reserved_nusd + $1 <= $3 RETURNING 1");
                Add(update, amountNanoUsd, charge.Counter, charge.LimitNanoUsd);
                batch.BatchCommands.Add(update);
            }

            await using var reader = await batch.ExecuteReaderAsync(cancellationToken);
            // Npgsql skips the INSERT's empty result (no row description): the reader starts on the first UPDATE's.
            for (var i = 0; i < charges.Count; i++)
            {
                if (i > 0)
                {
                    await reader.NextResultAsync(cancellationToken);
                }

                if (!await reader.ReadAsync(cancellationToken))
                {
                    await reader.DisposeAsync();
                    var refusal = await RefusalAsync(connection, transaction, charges[i], amountNanoUsd, cancellationToken);
                    await transaction.RollbackAsync(cancellationToken);
                    return (null, refusal);
                }
            }
        }

        await using (var insert = new NpgsqlCommand("INSERT INTO budget_reservations (id, counters, amount_nusd, created_unix_ms) VALUES ($1, $2, $3, (extract(epoch from clock_timestamp()) * 1000)::bigint)", connection, transaction))
        {
            insert.Parameters.Add(new NpgsqlParameter { Value = id });
            insert.Parameters.Add(new NpgsqlParameter { Value = counters });
            insert.Parameters.Add(new NpgsqlParameter { Value = amountNanoUsd });
            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return (new BudgetReservation(id, amountNanoUsd, counters), null);
    }

    private static async Task<BudgetRefusal> RefusalAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, BudgetCharge charge, long amount, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand("SELECT spent_nusd, reserved_nusd FROM budget_counters WHERE counter = $1", connection, transaction);
        command.Parameters.Add(new NpgsqlParameter { Value = charge.Counter });
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        return await r.ReadAsync(cancellationToken)
            ? new BudgetRefusal(charge.Label, charge.LimitNanoUsd, r.GetInt64(0), r.GetInt64(1), amount)
            : new BudgetRefusal(charge.Label, charge.LimitNanoUsd, 0, 0, amount);
    }

    public Task SettleAsync(BudgetReservation reservation, long actualNanoUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return FinishReservationAsync(reservation.Id, actualNanoUsd, cancellationToken);
    }

    public Task ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        return FinishReservationAsync(reservation.Id, 0, cancellationToken);
    }

    /// <summary>Moves one reservation to spent at <paramref name="actual"/>; the DELETE makes it happen at most once.</summary>
    private async Task<int> FinishReservationAsync(string id, long actual, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            WITH done AS (DELETE FROM budget_reservations WHERE id = $1 RETURNING counters, amount_nusd),
                 targets AS (SELECT unnest(counters) AS counter, amount_nusd FROM done)
            UPDATE budget_counters b SET reserved_nusd = b.reserved_nusd - t.amount_nusd, spent_nusd = b.spent_nusd + $2
            FROM (SELECT counter, amount_nusd FROM targets ORDER BY counter) t WHERE b.counter = t.counter
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = id });
        command.Parameters.Add(new NpgsqlParameter { Value = actual });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<BudgetCounterState>> ReadCountersAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        await using var command = _dataSource.CreateCommand("SELECT counter, spent_nusd, reserved_nusd FROM budget_counters WHERE starts_with(counter, $1) ORDER BY counter");
        command.Parameters.Add(new NpgsqlParameter { Value = prefix });
        var rows = new List<BudgetCounterState>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(new BudgetCounterState(r.GetString(0), r.GetInt64(1), r.GetInt64(2)));
        }

        return rows;
    }

    public async Task<int> ReleaseAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        await using (var command = _dataSource.CreateCommand("SELECT id FROM budget_reservations WHERE created_unix_ms < $1 LIMIT 1000"))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = olderThan.ToUnixTimeMilliseconds() });
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                ids.Add(r.GetString(0));
            }
        }

        var released = 0;
        foreach (var id in ids)
        {
            released += await FinishReservationAsync(id, 0, cancellationToken) > 0 ? 1 : 0;
        }

        return released;
    }
}
