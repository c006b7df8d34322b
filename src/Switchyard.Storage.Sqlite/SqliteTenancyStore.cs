using Microsoft.Data.Sqlite;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
namespace Switchyard.Storage.Sqlite;

/// <summary>
/// Organisations, teams, virtual keys and budget counters in the embedded SQLite file (the same file as the
/// ledger). One gateway process owns the file, so budget reservations are atomic in process: counters live in
/// memory under one lock, loaded from the file on first use, and every settled cost is added to the file before
/// the settle completes (a crash forgets only reservations, which a crash also ends).
/// </summary>
public sealed class SqliteTenancyStore : ITenancyStore, IBudgetStore, IDisposable
{
    private readonly SqliteLedgerStore _ledger;
    private readonly Lock _budgetLock = new();
    private readonly Dictionary<string, Counter> _counters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, BudgetReservation> _reservations = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public SqliteTenancyStore(SqliteLedgerStore ledger)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        _ledger = ledger;
    }

    public Task InitializeAsync(CancellationToken cancellationToken) => _ledger.InitializeAsync(cancellationToken);

    public async Task<long> ChangeCounterAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _ledger.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT version FROM tenancy_version WHERE id = 1";
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<TenancySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _ledger.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var orgs = new List<Organisation>();
        var teams = new List<Team>();
        var keys = new List<VirtualKey>();
        long version;
        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT version FROM tenancy_version WHERE id = 1";
            version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, name, policy, created_unix_ms FROM organisations ORDER BY name";
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                orgs.Add(new Organisation(r.GetString(0), r.GetString(1), TenancyCodec.ReadPolicy(r.GetString(2)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = "SELECT id, org_id, name, policy, created_unix_ms FROM teams ORDER BY name";
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                teams.Add(new Team(r.GetString(0), r.GetString(1), r.GetString(2), TenancyCodec.ReadPolicy(r.GetString(3)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))));
            }
        }

        await using (var command = connection.CreateCommand())
        {
            command.Transaction = transaction;
            command.CommandText = $"SELECT {TenancyCodec.KeyColumns} FROM virtual_keys ORDER BY created_unix_ms";
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                keys.Add(TenancyCodec.ReadKey(r));
            }
        }

        return new TenancySnapshot(orgs, teams, keys, version);
    }

    public Task SaveOrganisationAsync(Organisation organisation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        return WriteAsync(command =>
        {
            command.CommandText = "INSERT OR REPLACE INTO organisations (id, name, policy, created_unix_ms) VALUES ($id, $name, $policy, $created)";
            command.Parameters.AddWithValue("$id", organisation.Id);
            command.Parameters.AddWithValue("$name", organisation.Name);
            command.Parameters.AddWithValue("$policy", TenancyCodec.WritePolicy(organisation.Policy));
            command.Parameters.AddWithValue("$created", organisation.CreatedAt.ToUnixTimeMilliseconds());
            return [command];
        }, cancellationToken);
    }

    public Task SaveTeamAsync(Team team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        return WriteAsync(command =>
        {
            command.CommandText = "INSERT OR REPLACE INTO teams (id, org_id, name, policy, created_unix_ms) VALUES ($id, $org, $name, $policy, $created)";
            command.Parameters.AddWithValue("$id", team.Id);
            command.Parameters.AddWithValue("$org", team.OrgId);
            command.Parameters.AddWithValue("$name", team.Name);
            command.Parameters.AddWithValue("$policy", TenancyCodec.WritePolicy(team.Policy));
            command.Parameters.AddWithValue("$created", team.CreatedAt.ToUnixTimeMilliseconds());
            return [command];
        }, cancellationToken);
    }

    public Task SaveKeysAsync(IReadOnlyList<VirtualKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        return WriteAsync(first =>
        {
            var commands = new List<SqliteCommand>();
            foreach (var key in keys)
            {
                var command = commands.Count == 0 ? first : first.Connection!.CreateCommand();
                command.Transaction = first.Transaction;
                command.CommandText = """
                    INSERT OR REPLACE INTO virtual_keys (id, team_id, name, hash, display_prefix, policy, created_unix_ms, expires_unix_ms, revoked_unix_ms, rotated_to)
                    VALUES ($id, $team, $name, $hash, $prefix, $policy, $created, $expires, $revoked, $rotated)
                    """;
                command.Parameters.AddWithValue("$id", key.Id);
                command.Parameters.AddWithValue("$team", key.TeamId);
                command.Parameters.AddWithValue("$name", key.Name);
                command.Parameters.AddWithValue("$hash", key.Hash);
                command.Parameters.AddWithValue("$prefix", key.DisplayPrefix);
                command.Parameters.AddWithValue("$policy", TenancyCodec.WritePolicy(key.Policy));
                command.Parameters.AddWithValue("$created", key.CreatedAt.ToUnixTimeMilliseconds());
                command.Parameters.AddWithValue("$expires", (object?)key.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                command.Parameters.AddWithValue("$revoked", (object?)key.RevokedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value);
                command.Parameters.AddWithValue("$rotated", (object?)key.RotatedTo ?? DBNull.Value);
                commands.Add(command);
            }

            return commands;
        }, cancellationToken);
    }

    private async Task WriteAsync(Func<SqliteCommand, IReadOnlyList<SqliteCommand>> build, CancellationToken cancellationToken)
    {
        await using var connection = await _ledger.OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var first = connection.CreateCommand();
        first.Transaction = transaction;
        var commands = build(first);
        try
        {
            foreach (var command in commands)
            {
                await command.ExecuteNonQueryAsync(cancellationToken);
            }
        }
        finally
        {
            foreach (var command in commands)
            {
                await command.DisposeAsync();
            }
        }

        await using (var bump = connection.CreateCommand())
        {
            bump.Transaction = transaction;
            bump.CommandText = "UPDATE tenancy_version SET version = version + 1 WHERE id = 1";
            await bump.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<(BudgetReservation? Reservation, BudgetRefusal? Refusal)> TryReserveAsync(IReadOnlyList<BudgetCharge> charges, long amountNanoUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(charges);
        foreach (var charge in charges)
        {
            bool loaded;
            lock (_budgetLock)
            {
                loaded = _counters.ContainsKey(charge.Counter);
            }

            if (!loaded)
            {
                var spent = await ReadSpentAsync(charge.Counter, cancellationToken);
                lock (_budgetLock)
                {
                    _counters.TryAdd(charge.Counter, new Counter { Spent = spent });
                }
            }
        }

        lock (_budgetLock)
        {
            foreach (var charge in charges)
            {
                var c = _counters[charge.Counter];
                if (c.Spent + c.Reserved + amountNanoUsd > charge.LimitNanoUsd)
                {
                    return (null, new BudgetRefusal(charge.Label, charge.LimitNanoUsd, c.Spent, c.Reserved, amountNanoUsd));
                }
            }

            var counters = new string[charges.Count];
            for (var i = 0; i < charges.Count; i++)
            {
                _counters[charges[i].Counter].Reserved += amountNanoUsd;
                counters[i] = charges[i].Counter;
            }

            var reservation = new BudgetReservation(Guid.CreateVersion7().ToString("N"), amountNanoUsd, counters);
            _reservations[reservation.Id] = reservation;
            return (reservation, null);
        }
    }

    public async Task SettleAsync(BudgetReservation reservation, long actualNanoUsd, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reservation);
        lock (_budgetLock)
        {
            if (!_reservations.Remove(reservation.Id))
            {
                return;
            }

            foreach (var counter in reservation.Counters)
            {
                var c = _counters[counter];
                c.Reserved -= reservation.AmountNanoUsd;
                c.Spent += actualNanoUsd;
            }
        }

        if (actualNanoUsd == 0 || reservation.Counters.Count == 0)
        {
            return;
        }

        await _writeLock.WaitAsync(CancellationToken.None);
        try
        {
            await using var connection = await _ledger.OpenAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO budget_counters (counter, spent_nusd) VALUES ($c, $x) ON CONFLICT (counter) DO UPDATE SET spent_nusd = spent_nusd + $x";
            var c = command.Parameters.Add("$c", SqliteType.Text);
            command.Parameters.AddWithValue("$x", actualNanoUsd);
            foreach (var counter in reservation.Counters)
            {
                c.Value = counter;
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task ReleaseAsync(BudgetReservation reservation, CancellationToken cancellationToken) => SettleAsync(reservation, 0, cancellationToken);

    public async Task<IReadOnlyList<BudgetCounterState>> ReadCountersAsync(string prefix, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var rows = new Dictionary<string, BudgetCounterState>(StringComparer.Ordinal);
        await using (var connection = await _ledger.OpenAsync(cancellationToken))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = "SELECT counter, spent_nusd FROM budget_counters WHERE counter >= $p AND counter < $p || char(1114111) ORDER BY counter";
            command.Parameters.AddWithValue("$p", prefix);
            await using var r = await command.ExecuteReaderAsync(cancellationToken);
            while (await r.ReadAsync(cancellationToken))
            {
                rows[r.GetString(0)] = new BudgetCounterState(r.GetString(0), r.GetInt64(1), 0);
            }
        }

        lock (_budgetLock)
        {
            foreach (var (counter, c) in _counters)
            {
                if (counter.StartsWith(prefix, StringComparison.Ordinal))
                {
                    rows[counter] = new BudgetCounterState(counter, Math.Max(c.Spent, rows.TryGetValue(counter, out var stored) ? stored.SpentNanoUsd : 0), c.Reserved);
                }
            }
        }

        return [.. rows.Values.OrderBy(r => r.Counter, StringComparer.Ordinal)];
    }

    /// <summary>Reservations live in this process only: a crash ends them with it, so none is ever abandoned.</summary>
    public Task<int> ReleaseAbandonedAsync(DateTimeOffset olderThan, CancellationToken cancellationToken) => Task.FromResult(0);

    private async Task<long> ReadSpentAsync(string counter, CancellationToken cancellationToken)
    {
        await using var connection = await _ledger.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT spent_nusd FROM budget_counters WHERE counter = $c";
        command.Parameters.AddWithValue("$c", counter);
        return await command.ExecuteScalarAsync(cancellationToken) is long spent ? spent : 0;
    }

    public void Dispose() => _writeLock.Dispose();

    private sealed class Counter
    {
        public long Spent;
        public long Reserved;
    }
}
