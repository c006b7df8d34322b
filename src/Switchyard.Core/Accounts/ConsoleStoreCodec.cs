using System.Data.Common;

namespace Switchyard.Core.Accounts;

/// <summary>The storage conventions of the console tables both stores share.</summary>
public static class ConsoleStoreCodec
{
    /// <summary>Schema of the console tables (<paramref name="integer"/>: the store's 64-bit integer type).</summary>
    public static string Schema(string integer) => $"""
        CREATE TABLE console_accounts (name TEXT PRIMARY KEY, role TEXT NOT NULL, teams TEXT NOT NULL, password_hash TEXT NOT NULL, created_unix_ms {integer} NOT NULL);
        CREATE TABLE console_sessions (id_hash TEXT PRIMARY KEY, account TEXT NOT NULL, csrf TEXT NOT NULL, created_unix_ms {integer} NOT NULL, expires_unix_ms {integer} NOT NULL);
        CREATE INDEX ix_console_sessions_account ON console_sessions (account);
        CREATE TABLE audit_log (seq {integer} PRIMARY KEY, at_unix_ms {integer} NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, subject TEXT NOT NULL,
            detail TEXT NOT NULL, prev_hash TEXT NOT NULL, hash TEXT NOT NULL)
        """;

    /// <summary>Teams stored as one comma-separated column (team names hold no comma: admin names are validated).</summary>
    public static string Teams(IReadOnlyList<string> teams) => string.Join(',', teams ?? []);

    public static IReadOnlyList<string> Teams(string column) =>
        string.IsNullOrEmpty(column) ? [] : column.Split(',', StringSplitOptions.RemoveEmptyEntries);

    public static AuditEntry ReadAudit(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new AuditEntry(r.GetInt64(0), DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetString(5),
            r.GetString(6), r.GetString(7));
    }
}
