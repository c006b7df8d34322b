using System.Text.Json.Serialization;
using Switchyard.Endpoints;

namespace Switchyard.Hosting;

/// <summary>Source-generated JSON for the host's own small documents.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(HealthStatus))]
internal sealed partial class HostingJsonContext : JsonSerializerContext;
