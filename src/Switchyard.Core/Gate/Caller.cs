using System.Collections.Frozen;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Gate;

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

    /// <summary>Organisation of a stored key; null for keys from the configuration file.</summary>
    public string? OrgId { get; init; }

    public string? OrgName { get; init; }

    /// <summary>Team id of a stored key; null for keys from the configuration file.</summary>
    public string? TeamId { get; init; }

    /// <summary>When the key stops working (rotation overlap or expiry); null when it does not expire.</summary>
    public DateTimeOffset? ExpiresAt { get; init; }

    /// <summary>Trust zones the caller's requests may reach; null means all.</summary>
    public IReadOnlySet<Snapshot.TrustZone>? AllowedZones { get; init; }

    /// <summary>Budgets and rate limits of every level of the caller (docs/tenancy.md).</summary>
    public EffectivePolicy Policy { get; init; } = EffectivePolicy.Unrestricted;

    /// <summary>The end user the application named (OpenAI <c>user</c>, Anthropic <c>metadata.user_id</c>); set per request.</summary>
    public string? EndUser { get; init; }

    /// <summary>The key may call the admin API (a stored key whose policy says <c>admin_api: true</c>).</summary>
    public bool IsAdmin { get; init; }

    /// <summary>The key's own action for restricted data that no allowed deployment may take; null means the table's default.</summary>
    public RestrictedAction? OnRestricted { get; init; }

    /// <summary>The key's or team's routing objective for aliases; null leaves the alias's own.</summary>
    public RouteObjective? Objective { get; init; }

    /// <summary>The key's or team's quality thresholds; null leaves the alias's own.</summary>
    public QualityThresholds? Thresholds { get; init; }

    /// <summary>Objectives a request of this caller may ask for with <c>x-switchyard-objective</c>; null means any.</summary>
    public FrozenSet<RouteObjective>? AllowedObjectives { get; init; }

    public bool MayUse(string name) => AllowedModels is null || AllowedModels.Contains(name);

    public bool MayReach(Snapshot.TrustZone zone) => AllowedZones is null || AllowedZones.Contains(zone);
}
