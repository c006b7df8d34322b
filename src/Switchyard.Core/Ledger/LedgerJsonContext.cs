using System.Text.Json.Serialization;
using Switchyard.Core.Model;

namespace Switchyard.Core.Ledger;

/// <summary>Source-generated JSON for what the ledger stores as JSON (the attempt list).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower)]
[JsonSerializable(typeof(List<AttemptRecord>))]
public sealed partial class LedgerJsonContext : JsonSerializerContext;
