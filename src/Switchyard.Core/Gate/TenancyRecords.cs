using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>The top of the tenancy: an organisation owns teams.</summary>
public sealed record Organisation(string Id, string Name, TenantPolicy Policy, DateTimeOffset CreatedAt);

/// <summary>A team of an organisation; it owns virtual keys.</summary>
public sealed record Team(string Id, string OrgId, string Name, TenantPolicy Policy, DateTimeOffset CreatedAt);

/// <summary>
/// A virtual key as stored: never the key itself, only its SHA-256 (<see cref="Hash"/>) and a short display
/// prefix. A key stops working at <see cref="ExpiresAt"/> or <see cref="RevokedAt"/>, whichever comes first.
/// </summary>
public sealed record VirtualKey
{
    public required string Id { get; init; }
    public required string TeamId { get; init; }
    public required string Name { get; init; }

    /// <summary>Lower-case hex SHA-256 of the key (not shown by the admin API: <see cref="DisplayPrefix"/> is).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string Hash { get; init; } = "";

    /// <summary>The key's first characters (e.g. <c>syk_AbCd</c>), to recognise it in lists.</summary>
    public required string DisplayPrefix { get; init; }

    public TenantPolicy Policy { get; init; } = TenantPolicy.None;
    public required DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ExpiresAt { get; init; }
    public DateTimeOffset? RevokedAt { get; init; }

    /// <summary>The key that replaced this one in a rotation, if any.</summary>
    public string? RotatedTo { get; init; }

    public bool IsActiveAt(DateTimeOffset now) => RevokedAt is null && (ExpiresAt is null || ExpiresAt > now);
}

/// <summary>Everything the tenancy store holds, read at once (the gateway keeps it in memory).</summary>
public sealed record TenancySnapshot(IReadOnlyList<Organisation> Organisations, IReadOnlyList<Team> Teams, IReadOnlyList<VirtualKey> Keys, long Version)
{
    public static readonly TenancySnapshot Empty = new([], [], [], 0);
}
