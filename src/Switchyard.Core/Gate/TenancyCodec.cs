using System.Data.Common;
using System.Text.Json;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>How both stores keep a policy: one JSON column (snake_case, enums by their wire names).</summary>
public static class TenancyCodec
{
    public static string WritePolicy(TenantPolicy policy) => JsonSerializer.Serialize(policy ?? TenantPolicy.None, TenancyJsonContext.Default.TenantPolicy);

    public static TenantPolicy ReadPolicy(string json) =>
        string.IsNullOrEmpty(json) ? TenantPolicy.None : JsonSerializer.Deserialize(json, TenancyJsonContext.Default.TenantPolicy) ?? TenantPolicy.None;

    /// <summary>The key columns in the order <see cref="ReadKey"/> reads them (both stores select this list).</summary>
    public const string KeyColumns = "id, team_id, name, hash, display_prefix, policy, created_unix_ms, expires_unix_ms, revoked_unix_ms, rotated_to";

    public static VirtualKey ReadKey(DbDataReader r)
    {
        ArgumentNullException.ThrowIfNull(r);
        return new VirtualKey
        {
            Id = r.GetString(0),
            TeamId = r.GetString(1),
            Name = r.GetString(2),
            Hash = r.GetString(3),
            DisplayPrefix = r.GetString(4),
            Policy = ReadPolicy(r.GetString(5)),
            CreatedAt = DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(6)),
            ExpiresAt = r.IsDBNull(7) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(7)),
            RevokedAt = r.IsDBNull(8) ? null : DateTimeOffset.FromUnixTimeMilliseconds(r.GetInt64(8)),
            RotatedTo = r.IsDBNull(9) ? null : r.GetString(9),
        };
    }
}
