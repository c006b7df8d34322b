using System.Collections.Frozen;
using Switchyard.Inspection;
using Switchyard.Routing;

namespace Switchyard.Tenancy;

/// <summary>Who is calling: the output of the Gate stage. Never holds the key itself.</summary>
public sealed record Caller
{
    /// <summary>The key's configured name.</summary>
    public required string KeyName { get; init; }

    /// <summary>First 12 hex digits of the key's SHA-256: enough to tell keys apart in the ledger, useless to an attacker.</summary>
    public required string KeyId { get; init; }

    public string? Team { get; init; }

    /// <summary>Models and aliases the key may use; null means all.</summary>
    public FrozenSet<string>? AllowedModels { get; init; }

    /// <summary>The lowest data class any request of this caller gets.</summary>
    public DataClass DataClassFloor { get; init; } = DataClass.Public;

    /// <summary>The key's or team's routing objective for aliases; null leaves the alias's own.</summary>
    public RouteObjective? Objective { get; init; }

    /// <summary>The key's or team's quality thresholds; null leaves the alias's own.</summary>
    public QualityThresholds? Thresholds { get; init; }

    /// <summary>Objectives a request of this caller may ask for with <c>x-switchyard-objective</c>; null means any.</summary>
    public FrozenSet<RouteObjective>? AllowedObjectives { get; init; }

    public bool MayUse(string name) => AllowedModels is null || AllowedModels.Contains(name);
}
