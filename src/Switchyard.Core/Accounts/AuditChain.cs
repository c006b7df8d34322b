using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Core.Accounts;

/// <summary>
/// The audit log's hash chain: entry n's hash is SHA-256 over entry n − 1's hash and entry n's fields, so changing,
/// removing or reordering any entry breaks every hash after it (<see cref="Verify"/>).
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first entry.</summary>
    public const string Genesis = "0000000000000000000000000000000000000000000000000000000000000000";

    public static string Hash(string prevHash, long seq, DateTimeOffset at, string actor, string action, string subject, string detail)
    {
        var text = string.Join('\n', prevHash, seq.ToString(CultureInfo.InvariantCulture), at.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture),
            actor, action, subject, detail);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>The first broken entry of a chain given oldest first (its sequence number), or null when every link holds.</summary>
    public static long? Verify(IEnumerable<AuditEntry> oldestFirst)
    {
        ArgumentNullException.ThrowIfNull(oldestFirst);
        string? previous = null;
        foreach (var e in oldestFirst)
        {
            if ((previous is not null && e.PrevHash != previous) || Hash(e.PrevHash, e.Seq, e.At, e.Actor, e.Action, e.Subject, e.Detail) != e.Hash)
            {
                return e.Seq;
            }

            previous = e.Hash;
        }

        return null;
    }
}
