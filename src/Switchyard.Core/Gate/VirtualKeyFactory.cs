using System.Buffers.Text;
using System.Security.Cryptography;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>
/// Makes new virtual keys: 256 random bits from the OS CSPRNG, base64url, behind a recognisable prefix so
/// secret scanners and people can tell a Switchyard key at a glance. The clear key leaves this class once, to be
/// shown to its owner; only its hash is kept.
/// </summary>
public static class VirtualKeyFactory
{
    /// <summary>Every virtual key starts with this.</summary>
    public const string Prefix = "syk_";

    /// <summary>A new key in clear: <c>syk_</c> + 43 base64url characters (32 random bytes).</summary>
    public static string NewSecret()
    {
        Span<byte> random = stackalloc byte[32];
        RandomNumberGenerator.Fill(random);
        return Prefix + Base64Url.EncodeToString(random);
    }

    /// <summary>A new record id with a kind prefix, e.g. <c>key_…</c>, <c>team_…</c>, <c>org_…</c>.</summary>
    public static string NewId(string kind) => kind + "_" + Guid.CreateVersion7().ToString("N")[..20];

    /// <summary>Builds the stored record of a new key; the clear key is returned separately, once.</summary>
    public static (VirtualKey Record, string Secret) Create(string teamId, string name, TenantPolicy? policy, DateTimeOffset now, DateTimeOffset? expiresAt)
    {
        var secret = NewSecret();
        var record = new VirtualKey
        {
            Id = NewId("key"),
            TeamId = teamId,
            Name = name,
            Hash = KeyRing.Hash(secret),
            DisplayPrefix = secret[..(Prefix.Length + 4)],
            Policy = policy ?? TenantPolicy.None,
            CreatedAt = now,
            ExpiresAt = expiresAt,
        };
        return (record, secret);
    }
}
