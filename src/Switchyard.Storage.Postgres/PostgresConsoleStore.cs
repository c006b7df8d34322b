using Npgsql;
using Switchyard.Core.Accounts;
namespace Switchyard.Storage.Postgres;

/// <summary>Console accounts, sessions and the audit log, shared by every replica (one audit chain under an advisory lock).</summary>
public sealed class PostgresConsoleStore(PostgresStore database) : IConsoleStore
{
    private readonly NpgsqlDataSource _dataSource = database.DataSource;

    private const long AuditLockId = 0x5377_4175_6469;

    public async Task<IReadOnlyList<ConsoleAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT name, role, teams, password_hash, created_unix_ms FROM console_accounts ORDER BY name");
        var accounts = new List<ConsoleAccount>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            accounts.Add(new ConsoleAccount(reader.GetString(0), reader.GetString(1), ConsoleStoreCodec.Teams(reader.GetString(2)), reader.GetString(3),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4))));
        }

        return accounts;
    }

    public Task SaveAccountAsync(ConsoleAccount account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return ExecuteConsoleAsync("""
            INSERT INTO console_accounts (name, role, teams, password_hash, created_unix_ms) VALUES ($1, $2, $3, $4, $5)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, teams = excluded.teams, password_hash = excluded.password_hash
            """, cancellationToken, account.Name, account.Role, ConsoleStoreCodec.Teams(account.Teams), account.PasswordHash, account.CreatedAt.ToUnixTimeMilliseconds());
    }

    public async Task<bool> DeleteAccountAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteConsoleAsync("DELETE FROM console_sessions WHERE account = $1", cancellationToken, name);
        return await ExecuteConsoleAsync("DELETE FROM console_accounts WHERE name = $1", cancellationToken, name) > 0;
    }

    public Task SaveSessionAsync(ConsoleSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ExecuteConsoleAsync("INSERT INTO console_sessions (id_hash, account, csrf, created_unix_ms, expires_unix_ms) VALUES ($1, $2, $3, $4, $5)", cancellationToken,
            session.IdHash, session.Account, session.CsrfToken, session.CreatedAt.ToUnixTimeMilliseconds(), session.ExpiresAt.ToUnixTimeMilliseconds());
    }

    public async Task<ConsoleSession?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT id_hash, account, csrf, created_unix_ms, expires_unix_ms FROM console_sessions WHERE id_hash = $1");
        command.Parameters.Add(new NpgsqlParameter { Value = idHash });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ConsoleSession(reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)))
            : null;
    }

    public Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        ExecuteConsoleAsync("DELETE FROM console_sessions WHERE id_hash = $1", cancellationToken, idHash);

    public async Task<AuditEntry> AppendAuditAsync(DateTimeOffset at, string actor, string action, string subject, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        long seq;
        string prev;
        await using (var head = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({AuditLockId}); SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1", connection, transaction))
        await using (var reader = await head.ExecuteReaderAsync(cancellationToken))
        {
            await reader.NextResultAsync(cancellationToken);
            (seq, prev) = await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0) + 1, reader.GetString(1)) : (1L, AuditChain.Genesis);
        }

        var entry = new AuditEntry(seq, at, actor, action, subject, detail, prev, AuditChain.Hash(prev, seq, at, actor, action, subject, detail));
        await using (var insert = new NpgsqlCommand("INSERT INTO audit_log (seq, at_unix_ms, actor, action, subject, detail, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            connection, transaction))
        {
            foreach (var value in new object[] { entry.Seq, at.ToUnixTimeMilliseconds(), actor, action, subject, detail, prev, entry.Hash })
            {
                insert.Parameters.Add(new NpgsqlParameter { Value = value });
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long? beforeSeq, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand("SELECT seq, at_unix_ms, actor, action, subject, detail, prev_hash, hash FROM audit_log WHERE seq < $1 ORDER BY seq DESC LIMIT $2");
        command.Parameters.Add(new NpgsqlParameter { Value = beforeSeq ?? long.MaxValue });
        command.Parameters.Add(new NpgsqlParameter { Value = (long)Math.Clamp(limit, 1, 10_000) });
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ConsoleStoreCodec.ReadAudit(reader));
        }

        return entries;
    }

    private async Task<int> ExecuteConsoleAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var command = _dataSource.CreateCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
