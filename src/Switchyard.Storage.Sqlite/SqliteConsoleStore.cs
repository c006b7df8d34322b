using Microsoft.Data.Sqlite;
using Switchyard.Core.Accounts;
namespace Switchyard.Storage.Sqlite;

/// <summary>Console accounts, sessions and the audit log in the embedded store's file.</summary>
public sealed class SqliteConsoleStore : IConsoleStore
{
    private readonly SqliteLedgerStore _store;

    public SqliteConsoleStore(SqliteLedgerStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    public async Task<IReadOnlyList<ConsoleAccount>> ListAccountsAsync(CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT name, role, teams, password_hash, created_unix_ms FROM console_accounts ORDER BY name";
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
        return ExecuteAsync("""
            INSERT INTO console_accounts (name, role, teams, password_hash, created_unix_ms) VALUES (@p0, @p1, @p2, @p3, @p4)
            ON CONFLICT (name) DO UPDATE SET role = excluded.role, teams = excluded.teams, password_hash = excluded.password_hash
            """, cancellationToken, account.Name, account.Role, ConsoleStoreCodec.Teams(account.Teams), account.PasswordHash, account.CreatedAt.ToUnixTimeMilliseconds());
    }

    public async Task<bool> DeleteAccountAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteAsync("DELETE FROM console_sessions WHERE account = @p0", cancellationToken, name);
        return await ExecuteAsync("DELETE FROM console_accounts WHERE name = @p0", cancellationToken, name) > 0;
    }

    public Task SaveSessionAsync(ConsoleSession session, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(session);
        return ExecuteAsync("INSERT INTO console_sessions (id_hash, account, csrf, created_unix_ms, expires_unix_ms) VALUES (@p0, @p1, @p2, @p3, @p4)", cancellationToken,
            session.IdHash, session.Account, session.CsrfToken, session.CreatedAt.ToUnixTimeMilliseconds(), session.ExpiresAt.ToUnixTimeMilliseconds());
    }

    public async Task<ConsoleSession?> FindSessionAsync(string idHash, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_hash, account, csrf, created_unix_ms, expires_unix_ms FROM console_sessions WHERE id_hash = @p0";
        command.Parameters.AddWithValue("@p0", idHash);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new ConsoleSession(reader.GetString(0), reader.GetString(1), reader.GetString(2), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(3)),
                DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(4)))
            : null;
    }

    public Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken) =>
        ExecuteAsync("DELETE FROM console_sessions WHERE id_hash = @p0", cancellationToken, idHash);

    public async Task<AuditEntry> AppendAuditAsync(DateTimeOffset at, string actor, string action, string subject, string detail, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        // BEGIN IMMEDIATE: the write lock before reading the chain's head, so two writers (the gateway and a CLI) never fork it.
        await using var transaction = connection.BeginTransaction(deferred: false);
        long seq;
        string prev;
        await using (var head = connection.CreateCommand())
        {
            head.Transaction = transaction;
            head.CommandText = "SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1";
            await using var reader = await head.ExecuteReaderAsync(cancellationToken);
            (seq, prev) = await reader.ReadAsync(cancellationToken) ? (reader.GetInt64(0) + 1, reader.GetString(1)) : (1L, AuditChain.Genesis);
        }

        var entry = new AuditEntry(seq, at, actor, action, subject, detail, prev, AuditChain.Hash(prev, seq, at, actor, action, subject, detail));
        await using (var insert = connection.CreateCommand())
        {
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO audit_log (seq, at_unix_ms, actor, action, subject, detail, prev_hash, hash) VALUES (@p0, @p1, @p2, @p3, @p4, @p5, @p6, @p7)";
            object[] values = [entry.Seq, at.ToUnixTimeMilliseconds(), actor, action, subject, detail, prev, entry.Hash];
            for (var i = 0; i < values.Length; i++)
            {
                insert.Parameters.AddWithValue("@p" + i, values[i]);
            }

            await insert.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return entry;
    }

    public async Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long? beforeSeq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT seq, at_unix_ms, actor, action, subject, detail, prev_hash, hash FROM audit_log WHERE seq < @p0 ORDER BY seq DESC LIMIT @p1";
        command.Parameters.AddWithValue("@p0", beforeSeq ?? long.MaxValue);
        command.Parameters.AddWithValue("@p1", Math.Clamp(limit, 1, 10_000));
        var entries = new List<AuditEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(ConsoleStoreCodec.ReadAudit(reader));
        }

        return entries;
    }

    private async Task<int> ExecuteAsync(string sql, CancellationToken cancellationToken, params object[] values)
    {
        await using var connection = await _store.OpenAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        for (var i = 0; i < values.Length; i++)
        {
            command.Parameters.AddWithValue("@p" + i, values[i]);
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
