using System.Text.Json;

namespace Switchyard.Tenancy;

/// <summary>How both stores keep a policy: one JSON column (snake_case, enums by their wire names).</summary>
public static class TenancyCodec
{
    public static string WritePolicy(TenantPolicy policy) => JsonSerializer.Serialize(policy ?? TenantPolicy.None, TenancyJsonContext.Default.TenantPolicy);

    public static TenantPolicy ReadPolicy(string json) =>
        string.IsNullOrEmpty(json) ? TenantPolicy.None : JsonSerializer.Deserialize(json, TenancyJsonContext.Default.TenantPolicy) ?? TenantPolicy.None;
}
