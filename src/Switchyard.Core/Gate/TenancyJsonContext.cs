using System.Text.Json.Serialization;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>Source-generated JSON of tenancy records: how stores keep a policy and how the admin API speaks.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TenantPolicy))]
[JsonSerializable(typeof(Organisation))]
[JsonSerializable(typeof(Team))]
[JsonSerializable(typeof(VirtualKey))]
[JsonSerializable(typeof(List<Organisation>))]
[JsonSerializable(typeof(List<Team>))]
[JsonSerializable(typeof(List<VirtualKey>))]
public sealed partial class TenancyJsonContext : JsonSerializerContext;
