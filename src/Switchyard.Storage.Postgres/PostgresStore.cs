using System.Text;
using Npgsql;
using NpgsqlTypes;
using Switchyard.Canonical;
using Switchyard.Ledger;
using Switchyard.Tenancy;

namespace Switchyard.Storage.Postgres;

/// <summary>
/// The scale-out store: ledger, tenancy, budgets and rate-limit reconciliation in one PostgreSQL database shared
/// by every replica, through one <see cref="NpgsqlDataSource"/> (Npgsql's builder → immutable data source).
/// Budget reservations are atomic in the database: conditional <c>UPDATE … WHERE spent + reserved + x ≤ limit</c>
/// on every counter, in a fixed order, in one transaction.
/// </summary>
public sealed class PostgresStore : ILedgerStore, ITenancyStore, IBudgetStore, IRateLimitSync, IAsyncDisposable, IDisposable
{
    private const string Columns = LedgerCodec.Columns;

    private static readonly int _columnCount = Columns.Split(", ").Length;

    /// <summary>
    /// Rows per multi-row INSERT: PostgreSQL's wire protocol allows at most 65,535 parameters per statement, so a
    /// batch larger than this is written as several statements (in one transaction).
    /// </summary>
    internal static readonly int RowsPerInsert = 65_535 / _columnCount;

    private const string LiveSpend = """
        SELECT day, COALESCE(org, '') AS org, COALESCE(team, '') AS team, key_id, key_name, COALESCE(served_model, requested_model) AS model,
               1::bigint AS requests, input_tokens::bigint AS input_tokens, output_tokens::bigint AS output_tokens, cached_tokens::bigint AS cached_tokens,
               cache_write_tokens::bigint AS cache_write_tokens, cost_nusd, CASE WHEN outcome = 'Success' THEN 0::bigint ELSE 1::bigint END AS failures
        FROM ledger
        """;

    private readonly NpgsqlDataSource _dataSource;

    public PostgresStore(string connectionString)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        _dataSource = new NpgsqlDataSourceBuilder(connectionString).Build();
    }

    public async Task InitializeAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await PostgresMigrations.ApplyAsync(connection, cancellationToken);
    }

    // ---- ledger -------------------------------------------------------------------------------------------------

    public async Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (batch.Count == 0)
        {
            return;
        }

        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var npgBatch = new NpgsqlBatch(connection, transaction);
        for (var offset = 0; offset < batch.Count; offset += RowsPerInsert)
        {
            npgBatch.BatchCommands.Add(InsertCommand(batch, offset, Math.Min(RowsPerInsert, batch.Count - offset)));
        }

        await npgBatch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>One multi-row <c>INSERT … VALUES (…), (…) ON CONFLICT (request_id) DO NOTHING</c> for <paramref name="count"/> records.</summary>
    private static NpgsqlBatchCommand InsertCommand(IReadOnlyList<LedgerRecord> batch, int offset, int count)
    {
        var sql = new StringBuilder(64 + (count * _columnCount * 6));
        sql.Append("INSERT INTO ledger (").Append(Columns).Append(") VALUES ");
        var command = new NpgsqlBatchCommand();
        for (var row = 0; row < count; row++)
        {
            var r = batch[offset + row];
            object?[] values =
            [
                r.RequestId, r.Timestamp.ToUnixTimeMilliseconds(), LedgerCodec.Day(r.Timestamp), r.KeyName, r.KeyId, r.Team,
                LedgerCodec.Name(r.ClientFormat), LedgerCodec.Name(r.Operation), r.RequestedModel, r.ServedModel,
                r.DeploymentId, r.Provider, r.Simulated, r.Outcome.ToString(), r.HttpStatus, r.ErrorClass,
                r.Usage.InputTokens, r.Usage.OutputTokens, r.Usage.CachedInputTokens, r.Usage.CacheWriteTokens,
                r.Usage.Estimated, LedgerCodec.ToNanoUsd(r.CostUsd), r.PriceVersion, r.TotalMs, r.UpstreamMs,
                r.OverheadMs, r.Streamed, r.DataClass, r.RouteReason, LedgerCodec.EncodeAttempts(r.Attempts),
                r.BaselineModel, r.BaselineCostUsd is { } baseline ? LedgerCodec.ToNanoUsd(baseline) : null, r.TaskCategory, r.Org, r.EndUser,
                r.PiiTypes, r.RouteObjective, r.RouteCandidates,
            ];
            sql.Append(row == 0 ? "(" : ", (");
            for (var i = 0; i < values.Length; i++)
            {
                sql.Append(i == 0 ? "$" : ", $").Append((row * _columnCount) + i + 1);

                // Typed NULLs: the one nullable number (baseline cost) must still be a bigint.
                command.Parameters.Add(values[i] is { } value
                    ? new NpgsqlParameter { Value = value }
                    : new NpgsqlParameter { Value = DBNull.Value, NpgsqlDbType = i == 31 ? NpgsqlDbType.Bigint : NpgsqlDbType.Text });
            }

            sql.Append(')');
        }

        sql.Append(" ON CONFLICT (request_id) DO NOTHING");
        command.CommandText = sql.ToString();
        return command;
    }

    public async Task<long> CountAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT COUNT(*) FROM ledger");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<LedgerRecord?> FindAsync(string requestId, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"SELECT {Columns} FROM ledger WHERE request_id = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = requestId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken) ? LedgerCodec.ReadRecord(reader) : null;
    }

    public async Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        var spend = await SpendAsync(from, to, cancellationToken);
        return [.. spend
            .GroupBy(r => (r.Day, r.KeyName, r.Model))
            .OrderBy(g => g.Key.Day, StringComparer.Ordinal).ThenBy(g => g.Key.KeyName, StringComparer.Ordinal).ThenBy(g => g.Key.Model, StringComparer.Ordinal)
            .Select(g => new UsageSummaryRow(g.Key.Day, g.Key.KeyName, g.Key.Model, g.Sum(r => r.Requests), g.Sum(r => r.InputTokens), g.Sum(r => r.OutputTokens),
                g.Sum(r => r.CachedTokens), g.Sum(r => r.CostUsd), g.Sum(r => r.Failures)))];
    }

    public async Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("""
            SELECT team, requested_model, task_category, data_class, served_model, COUNT(*),
                   SUM(input_tokens)::bigint, SUM(output_tokens)::bigint, SUM(cached_tokens)::bigint, SUM(cost_nusd)::bigint,
                   SUM(COALESCE(baseline_cost_nusd, cost_nusd))::bigint,
                   SUM(CASE WHEN baseline_cost_nusd IS NULL THEN 1 ELSE 0 END)::bigint,
                   SUM(CASE WHEN outcome = 'Success' THEN 0 ELSE 1 END)::bigint
            FROM ledger WHERE ts_unix_ms >= $1 AND ts_unix_ms < $2
            GROUP BY team, requested_model, task_category, data_class, served_model
            ORDER BY team NULLS FIRST, requested_model, task_category NULLS FIRST, data_class NULLS FIRST, served_model NULLS FIRST
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUnixTimeMilliseconds() });
        var rows = new List<LedgerReportRow>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(LedgerCodec.ReadReportRow(r));
        }

        return rows;
    }

    public async Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand($"""
            SELECT day, org, team, key_name, key_id, model, SUM(requests)::bigint, SUM(input_tokens)::bigint, SUM(output_tokens)::bigint,
                   SUM(cached_tokens)::bigint, SUM(cache_write_tokens)::bigint, SUM(cost_nusd)::bigint, SUM(failures)::bigint
            FROM (
                {LiveSpend} WHERE ts_unix_ms >= $1 AND ts_unix_ms < $2
                UNION ALL
                SELECT day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures
                FROM ledger_daily WHERE day >= $3 AND day < $4
            ) AS spend
            GROUP BY day, org, team, key_name, key_id, model ORDER BY day, org, team, key_name, model
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUnixTimeMilliseconds() });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerCodec.DayAtOrAfter(from) });
        command.Parameters.Add(new NpgsqlParameter { Value = LedgerCodec.DayAtOrAfter(to) });
        var rows = new List<SpendRow>();
        await using var r = await command.ExecuteReaderAsync(cancellationToken);
        while (await r.ReadAsync(cancellationToken))
        {
            rows.Add(LedgerCodec.ReadSpendRow(r));
        }

        return rows;
    }

    public async Task<long> RollUpAsync(DateTimeOffset before, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using (var command = new NpgsqlCommand($"""
            INSERT INTO ledger_daily (day, org, team, key_id, key_name, model, requests, input_tokens, output_tokens, cached_tokens, cache_write_tokens, cost_nusd, failures)
            SELECT day, org, team, key_id, key_name, model, SUM(requests), SUM(input_tokens), SUM(output_tokens), SUM(cached_tokens),
                   SUM(cache_write_tokens), SUM(cost_nusd), SUM(failures)
            FROM ({LiveSpend} WHERE ts_unix_ms < $1) AS live
            GROUP BY day, org, team, key_id, key_name, model
            ON CONFLICT (day, key_id, key_name, team, org, model) DO UPDATE SET
                requests = ledger_daily.requests + excluded.requests, input_tokens = ledger_daily.input_tokens + excluded.input_tokens,
                output_tokens = ledger_daily.output_tokens + excluded.output_tokens, cached_tokens = ledger_daily.cached_tokens + excluded.cached_tokens,
                cache_write_tokens = ledger_daily.cache_write_tokens + excluded.cache_write_tokens, cost_nusd = ledger_daily.cost_nusd + excluded.cost_nusd,
                failures = ledger_daily.failures + excluded.failures
            """, connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = before.ToUnixTimeMilliseconds() });
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        long moved;
        await using (var command = new NpgsqlCommand("DELETE FROM ledger WHERE ts_unix_ms < $1", connection, transaction))
        {
            command.Parameters.Add(new NpgsqlParameter { Value = before.ToUnixTimeMilliseconds() });
            moved = await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return moved;
    }

    // ---- tenancy ------------------------------------------------------------------------------------------------

    public async Task<long> ChangeCounterAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT version FROM tenancy_version WHERE id = 1");
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    public async Task<TenancySnapshot> LoadAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(System.Data.IsolationLevel.RepeatableRead, cancellationToken);
        long version;
        await using (var command = new NpgsqlCommand("SELECT version FROM tenancy_version WHERE id = 1", connection, transaction))
        {
            version = (long)(await command.ExecuteScalarAsync(cancellationToken))!;
        }

        var orgs = new List<Organisation>();
        await using (var command = new NpgsqlCommand("SELECT id, name, policy, created_unix_ms FROM organisations ORDER BY name", connection, transaction))
        await using (var r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                orgs.Add(new Organisation(r.GetString(0), r.GetString(1), TenancyCodec.ReadPolicy(r.GetString(2)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(3))));
            }
        }

        var teams = new List<Team>();
        await using (var command = new NpgsqlCommand("SELECT id, org_id, name, policy, created_unix_ms FROM teams ORDER BY name", connection, transaction))
        await using (var r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                teams.Add(new Team(r.GetString(0), r.GetString(1), r.GetString(2), TenancyCodec.ReadPolicy(r.GetString(3)), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(4))));
            }
        }

        var keys = new List<VirtualKey>();
        await using (var command = new NpgsqlCommand($"SELECT {TenancyCodec.KeyColumns} FROM virtual_keys ORDER BY created_unix_ms", connection, transaction))
        await using (var r = await command.ExecuteReaderAsync(cancellationToken))
        {
            while (await r.ReadAsync(cancellationToken))
            {
                keys.Add(TenancyCodec.ReadKey(r));
            }
        }

        await transaction.CommitAsync(cancellationToken);
        return new TenancySnapshot(orgs, teams, keys, version);
    }

    public Task SaveOrganisationAsync(Organisation organisation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(organisation);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO organisations (id, name, policy, created_unix_ms) VALUES ($1, $2, $3, $4)
            ON CONFLICT (id) DO UPDATE SET name = excluded.name, policy = excluded.policy
            """);
        Add(command, organisation.Id, organisation.Name, TenancyCodec.WritePolicy(organisation.Policy), organisation.CreatedAt.ToUnixTimeMilliseconds());
        return SaveAsync([command], cancellationToken);
    }

    public Task SaveTeamAsync(Team team, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(team);
        var command = new NpgsqlBatchCommand("""
            INSERT INTO teams (id, org_id, name, policy, created_unix_ms) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (id) DO UPDATE SET org_id = excluded.org_id, name = excluded.name, policy = excluded.policy
            """);
        Add(command, team.Id, team.OrgId, team.Name, TenancyCodec.WritePolicy(team.Policy), team.CreatedAt.ToUnixTimeMilliseconds());
        return SaveAsync([command], cancellationToken);
    }

    public Task SaveKeysAsync(IReadOnlyList<VirtualKey> keys, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keys);
        var commands = new List<NpgsqlBatchCommand>();
        foreach (var key in keys)
        {
            var command = new NpgsqlBatchCommand("""
                INSERT INTO virtual_keys (id, team_id, name, hash, display_prefix, policy, created_unix_ms, expires_unix_ms, revoked_unix_ms, rotated_to)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
                ON CONFLICT (id) DO UPDATE SET team_id = excluded.team_id, name = excluded.name, policy = excluded.policy,
                    expires_unix_ms = excluded.expires_unix_ms, revoked_unix_ms = excluded.revoked_unix_ms, rotated_to = excluded.rotated_to
                """);
            Add(command, key.Id, key.TeamId, key.Name, key.Hash, key.DisplayPrefix, TenancyCodec.WritePolicy(key.Policy), key.CreatedAt.ToUnixTimeMilliseconds());
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.ExpiresAt?.ToUnixTimeMilliseconds() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.RevokedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint });
            command.Parameters.Add(new NpgsqlParameter { Value = (object?)key.RotatedTo ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text });
            commands.Add(command);
        }

        return SaveAsync(commands, cancellationToken);
    }

    private async Task SaveAsync(IReadOnlyList<NpgsqlBatchCommand> commands, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection, transaction);
        foreach (var command in commands)
        {
            batch.BatchCommands.Add(command);
        }

        batch.BatchCommands.Add(new NpgsqlBatchCommand("UPDATE tenancy_version SET version = version + 1 WHERE id = 1"));
        await batch.ExecuteNonQueryAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
    }

    private static void Add(NpgsqlBatchCommand command, params object[] values)
    {
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }
    }

    // ---- budgets ------------------------------------------------------------------------------------------------

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

    // ---- rate-limit reconciliation ------------------------------------------------------------------------------

    public async Task<(IReadOnlyList<RateCounter> Others, int LiveReplicas)> ExchangeAsync(string replicaId, IReadOnlyList<RateCounter> mine, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mine);
        var nowMs = now.ToUnixTimeMilliseconds();
        var window = now.ToUnixTimeSeconds() - (now.ToUnixTimeSeconds() % 60);
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var batch = new NpgsqlBatch(connection);
        var heartbeat = new NpgsqlBatchCommand("INSERT INTO replicas (replica, updated_unix_ms) VALUES ($1, $2) ON CONFLICT (replica) DO UPDATE SET updated_unix_ms = excluded.updated_unix_ms");
        Add(heartbeat, replicaId, nowMs);
        batch.BatchCommands.Add(heartbeat);
        if (mine.Count > 0)
        {
            var publish = new NpgsqlBatchCommand("""
                INSERT INTO rate_counters (scope, replica, window_start, requests, tokens, in_flight, updated_unix_ms)
                SELECT s, $2, w, r, t, f, $3 FROM unnest($1::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::bigint[]) AS u(s, w, r, t, f)
                ON CONFLICT (scope, replica) DO UPDATE SET window_start = excluded.window_start, requests = excluded.requests, tokens = excluded.tokens,
                    in_flight = excluded.in_flight, updated_unix_ms = excluded.updated_unix_ms
                """);
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.Scope).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = replicaId });
            publish.Parameters.Add(new NpgsqlParameter { Value = nowMs });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.WindowStartUnixSeconds).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.Requests).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.Tokens).ToArray() });
            publish.Parameters.Add(new NpgsqlParameter { Value = mine.Select(m => m.InFlight).ToArray() });
            batch.BatchCommands.Add(publish);
        }

        // Counters of replicas silent for 5 s are not counted: a crashed replica's in-flight requests are gone.
        var others = new NpgsqlBatchCommand("""
            SELECT scope, SUM(CASE WHEN window_start = $2 THEN requests ELSE 0 END)::bigint, SUM(CASE WHEN window_start = $2 THEN tokens ELSE 0 END)::bigint,
                   SUM(in_flight)::bigint
            FROM rate_counters WHERE replica <> $1 AND updated_unix_ms > $3 GROUP BY scope
            """);
        Add(others, replicaId, window, nowMs - 5000);
        batch.BatchCommands.Add(others);
        var live = new NpgsqlBatchCommand("SELECT COUNT(*) FROM replicas WHERE updated_unix_ms > $1");
        Add(live, nowMs - 5000);
        batch.BatchCommands.Add(live);

        var result = new List<RateCounter>();
        var liveReplicas = 1;
        await using (var reader = await batch.ExecuteReaderAsync(cancellationToken))
        {
            // The writes return no rows, so Npgsql starts the reader on the first SELECT's result.
            while (await reader.ReadAsync(cancellationToken))
            {
                result.Add(new RateCounter(reader.GetString(0), window, reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3)));
            }

            if (await reader.NextResultAsync(cancellationToken) && await reader.ReadAsync(cancellationToken))
            {
                liveReplicas = (int)Math.Max(1, reader.GetInt64(0));
            }
        }

        return (result, liveReplicas);
    }

    // ---- shared -------------------------------------------------------------------------------------------------

    public ValueTask DisposeAsync() => _dataSource.DisposeAsync();

    public void Dispose() => _dataSource.Dispose();
}
