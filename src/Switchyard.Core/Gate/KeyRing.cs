using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>
/// Client keys by SHA-256: the gateway never keeps a client key in clear, and a lookup hashes the
/// presented key on the stack and probes a frozen dictionary without allocating.
/// </summary>
public sealed class KeyRing
{
    public static readonly KeyRing Empty = new([]);

    private readonly FrozenDictionary<string, Caller> _byHash;
    private readonly FrozenDictionary<string, Caller>.AlternateLookup<ReadOnlySpan<char>> _lookup;
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _revoked;

    /// <param name="byHexSha256">The usable keys' callers.</param>
    /// <param name="revokedHexSha256">
    /// Hashes of recently revoked keys: never callers, kept apart so that whoever presents one hears "revoked" rather
    /// than "incorrect" (they hold the key, so this tells them nothing about any other).
    /// </param>
    public KeyRing(IEnumerable<KeyValuePair<string, Caller>> byHexSha256, IEnumerable<string>? revokedHexSha256 = null)
    {
        _byHash = byHexSha256.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _lookup = _byHash.GetAlternateLookup<ReadOnlySpan<char>>();
        _revoked = (revokedHexSha256 ?? []).ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _byHash.Count;

    /// <summary>Finds the caller of a presented key.</summary>
    public bool TryAuthenticate(ReadOnlySpan<char> presentedKey, out Caller caller)
    {
        caller = null!;
        Span<char> hex = stackalloc char[64];
        return TryHash(presentedKey, hex) && _lookup.TryGetValue(hex, out caller!);
    }

    /// <summary>Finds the caller of a key already hashed by <see cref="TryHash"/> (one hash, several rings).</summary>
    public bool TryFindHash(ReadOnlySpan<char> hexSha256, out Caller caller) => _lookup.TryGetValue(hexSha256, out caller!);

    /// <summary>Whether a key already hashed by <see cref="TryHash"/> was revoked recently (it never authenticates).</summary>
    public bool IsRevoked(ReadOnlySpan<char> hexSha256) => _revoked.Contains(hexSha256);

    /// <summary>Lower-case hex SHA-256 of a presented key into 64 chars on the caller's stack; false for an empty or oversized key.</summary>
    public static bool TryHash(ReadOnlySpan<char> presentedKey, Span<char> hex64)
    {
        if (presentedKey.IsEmpty || presentedKey.Length > 512)
        {
            return false;
        }

        Span<byte> utf8 = stackalloc byte[presentedKey.Length * 3];
        var n = Encoding.UTF8.GetBytes(presentedKey, utf8);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(utf8[..n], hash);
        return Convert.TryToHexStringLower(hash, hex64, out _);
    }

    /// <summary>Lower-case hex SHA-256 of a key.</summary>
    public static string Hash(string key) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
}
