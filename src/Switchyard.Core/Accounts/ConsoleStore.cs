namespace Switchyard.Core.Accounts;

/// <summary>
/// A console account: its role (<c>admin</c>, <c>viewer</c>, <c>team-viewer</c>), the teams a team viewer sees, and its
/// password as a PBKDF2 hash (<see cref="PasswordHasher"/>; <see cref="PasswordHasher.NoPassword"/> until one is set).
/// </summary>
public sealed record ConsoleAccount(string Name, string Role, IReadOnlyList<string> Teams, string PasswordHash, DateTimeOffset CreatedAt)
{
    public bool HasPassword => PasswordHash != PasswordHasher.NoPassword;
}

/// <summary>A signed-in console session: only the SHA-256 of its cookie is stored, with its CSRF token and expiry.</summary>
public sealed record ConsoleSession(string IdHash, string Account, string CsrfToken, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

/// <summary>One entry of the tamper-evident audit log (<see cref="AuditChain"/>): each hash covers the entry and the previous hash.</summary>
public sealed record AuditEntry(long Seq, DateTimeOffset At, string Actor, string Action, string Subject, string Detail, string PrevHash, string Hash);

/// <summary>
/// Console accounts, sessions and the audit log, in the same store as the ledger (SQLite or PostgreSQL: every replica
/// sees the same sessions and one audit chain).
/// </summary>
public interface IConsoleStore
{
    Task<IReadOnlyList<ConsoleAccount>> ListAccountsAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces an account by name.</summary>
    Task SaveAccountAsync(ConsoleAccount account, CancellationToken cancellationToken);

    /// <summary>Deletes an account and its sessions; false when there was none.</summary>
    Task<bool> DeleteAccountAsync(string name, CancellationToken cancellationToken);

    Task SaveSessionAsync(ConsoleSession session, CancellationToken cancellationToken);

    Task<ConsoleSession?> FindSessionAsync(string idHash, CancellationToken cancellationToken);

    Task DeleteSessionAsync(string idHash, CancellationToken cancellationToken);

    /// <summary>Appends an entry after the last one, atomically (one chain across replicas).</summary>
    Task<AuditEntry> AppendAuditAsync(DateTimeOffset at, string actor, string action, string subject, string detail, CancellationToken cancellationToken);

    /// <summary>Entries newest first, before <paramref name="beforeSeq"/> (null: from the newest).</summary>
    Task<IReadOnlyList<AuditEntry>> ReadAuditAsync(long? beforeSeq, int limit, CancellationToken cancellationToken);
}
