using System.Text.Json.Serialization;
using Switchyard.Core.Accounts;
namespace Switchyard.Admin;

/// <summary>Source-generated JSON of the v1 admin API (the Release build has reflection-based JSON off).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(MeDto))]
[JsonSerializable(typeof(ChartDto))]
[JsonSerializable(typeof(OverviewDto))]
[JsonSerializable(typeof(RequestPageDto))]
[JsonSerializable(typeof(RequestRowDto))]
[JsonSerializable(typeof(FacetsDto))]
[JsonSerializable(typeof(RequestDetailDto))]
[JsonSerializable(typeof(RoutingDto))]
[JsonSerializable(typeof(SavingsDto))]
[JsonSerializable(typeof(PrivacyOverviewDto))]
[JsonSerializable(typeof(SpendDto))]
[JsonSerializable(typeof(ProvidersDto))]
[JsonSerializable(typeof(PlannerDto))]
[JsonSerializable(typeof(SettingsDto))]
[JsonSerializable(typeof(AccountDto))]
[JsonSerializable(typeof(List<AccountDto>))]
[JsonSerializable(typeof(AccountRequest))]
[JsonSerializable(typeof(PasswordRequest))]
[JsonSerializable(typeof(SignInRequest))]
[JsonSerializable(typeof(AuditPageDto))]
[JsonSerializable(typeof(AuditEntry))]
[JsonSerializable(typeof(OnboardingDto))]
[JsonSerializable(typeof(PlaygroundRequest))]
[JsonSerializable(typeof(PlaygroundDto))]
[JsonSerializable(typeof(PlaygroundChat))]
internal sealed partial class AdminV1Json : JsonSerializerContext;
