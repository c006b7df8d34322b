using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Mvc;
using Switchyard.Endpoints;

namespace Switchyard.Hosting;

/// <summary>Source-generated JSON for the host's own small documents and the admin API's ProblemDetails.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, UseStringEnumConverter = true)]
[JsonSerializable(typeof(HealthStatus))]
[JsonSerializable(typeof(ReadyStatus))]
[JsonSerializable(typeof(HealthDocument))]
[JsonSerializable(typeof(ProblemDetails))]
[JsonSerializable(typeof(HttpValidationProblemDetails))]
// ProblemDetails.Extensions values.
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class HostingJsonContext : JsonSerializerContext
{
    /// <summary>
    /// Why the minimal-API <c>Map*</c> calls may use reflection (trim analyzer, IL2026): they bind handler parameters at
    /// startup, in every build alike, and what the handlers write goes through <see cref="HttpResolver"/>, never reflection.
    /// </summary>
    public const string MinimalApis = "Minimal API handlers bind by reflection at startup; their JSON goes through HostingJsonContext.HttpResolver.";

    /// <summary>
    /// The only metadata the host's HTTP results may use: the source-generated contexts, never reflection. Set on
    /// <see cref="Microsoft.AspNetCore.Http.Json.JsonOptions"/> in every build, so a type missing here fails in the in-process tests exactly as it
    /// would in the published executable (where reflection-based serialization is off).
    /// </summary>
    /// <remarks>A computed property: a static initializer here could run before the generated <c>Default</c> is set.</remarks>
    public static IJsonTypeInfoResolver HttpResolver => JsonTypeInfoResolver.Combine(Default, Admin.AdminJsonContext.Default);
}
