using System.Collections.Frozen;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Tenancy;

/// <summary>
/// Client keys by SHA-256: the gateway never keeps a client key in clear, and a lookup hashes the
/// presented key on the stack and probes a frozen dictionary without allocating.
/// </summary>
public sealed class KeyRing
{
    public static readonly KeyRing Empty = new([]);

    private readonly FrozenDictionary<string, Caller> _byHash;
    private readonly FrozenDictionary<string, Caller>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public KeyRing(IEnumerable<KeyValuePair<string, Caller>> byHexSha256)
    {
        _byHash = byHexSha256.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _lookup = _byHash.GetAlternateLookup<ReadOnlySpan<char>>();
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
