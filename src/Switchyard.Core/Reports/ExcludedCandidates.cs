using System.Text.Json;
using Switchyard.Core.Common;
using Switchyard.Core.Planning;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Core.Reports;

/// <summary>A deployment Route left out of a request's plan, as the ledger keeps it.</summary>
/// <param name="Deployment">Deployment id.</param>
/// <param name="Model">Its model.</param>
/// <param name="Kind">Why, as a code (<see cref="ExcludedCandidates.KindName"/>).</param>
/// <param name="Reason">Why, in words.</param>
public sealed record ExcludedCandidate(string Deployment, string Model, string Kind, string Reason);

/// <summary>The ledger's <c>route_excluded</c> column: the plan's exclusions as compact JSON, and back.</summary>
public static class ExcludedCandidates
{
    /// <summary>Exclusions kept per record (a table with hundreds of deployments would otherwise bloat the row).</summary>
    public const int MaxKept = 32;

    /// <summary>The code of an exclusion kind: <c>trust_zone</c>, <c>capability</c>, <c>context_window</c>, <c>not_allowed</c>, <c>untranslatable</c>, <c>circuit_open</c>, <c>cooling_down</c>, <c>at_capacity</c>, <c>over_rate_limit</c>.</summary>
    public static string KindName(ExclusionKind kind) => kind switch
    {
        ExclusionKind.TrustZone => "trust_zone",
        ExclusionKind.Capability => "capability",
        ExclusionKind.ContextWindow => "context_window",
        ExclusionKind.NotAllowed => "not_allowed",
        ExclusionKind.Untranslatable => "untranslatable",
        ExclusionKind.CircuitOpen => "circuit_open",
        ExclusionKind.CoolingDown => "cooling_down",
        ExclusionKind.AtCapacity => "at_capacity",
        _ => "over_rate_limit",
    };

    /// <summary><c>[{"deployment":…,"model":…,"kind":…,"reason":…}, …]</c>; null when nothing was left out.</summary>
    public static string? Json(IReadOnlyList<RouteExclusion> exclusions)
    {
        ArgumentNullException.ThrowIfNull(exclusions);
        if (exclusions.Count == 0)
        {
            return null;
        }

        return JsonText.Write(exclusions, static (w, list) =>
        {
            w.WriteStartArray();
            for (var i = 0; i < list.Count && i < MaxKept; i++)
            {
                var e = list[i];
                w.WriteStartObject();
                w.WriteString("deployment"u8, e.DeploymentId);
                w.WriteString("model"u8, e.Model);
                w.WriteString("kind"u8, KindName(e.Kind));
                w.WriteString("reason"u8, e.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });
    }

    /// <summary>Reads the column back; an empty or unreadable value gives an empty list.</summary>
    public static IReadOnlyList<ExcludedCandidate> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return [];
        }

        var list = new List<ExcludedCandidate>();
        try
        {
            using var document = JsonDocument.Parse(json);
            foreach (var e in document.RootElement.EnumerateArray())
            {
                list.Add(new ExcludedCandidate(Text(e, "deployment"), Text(e, "model"), Text(e, "kind"), Text(e, "reason")));
            }
        }
        catch (JsonException)
        {
            return [];
        }
        catch (InvalidOperationException)
        {
            return [];
        }

        return list;
    }

    private static string Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";
}
