using Npgsql;
using NpgsqlTypes;
using Switchyard.Core.Gate;
using Switchyard.Core.Stores;
using static Switchyard.Storage.Postgres.PostgresStore;
namespace Switchyard.Storage.Postgres;

/// <summary>The tenancy directory: organisations, teams and virtual keys, with a change counter every replica polls.</summary>
public sealed class PostgresTenancyStore(PostgresStore database) : ITenancyStore
{
    private readonly PostgresStore _database = database;
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

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

    public Task InitializeAsync(CancellationToken cancellationToken) => _database.InitializeAsync(cancellationToken);
}
