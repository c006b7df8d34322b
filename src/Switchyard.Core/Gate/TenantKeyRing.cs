using System.Collections.Frozen;
using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>
/// Turns a <see cref="TenancySnapshot"/> into the in-memory <see cref="KeyRing"/> the Gate reads: one
/// <see cref="Caller"/> per usable key with its effective policy computed once, not per request.
/// </summary>
public static class TenantKeyRing
{
    public static readonly TimeSpan ExpiredKeysKept = TimeSpan.FromDays(7);

    public static KeyRing Build(TenancySnapshot snapshot, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var orgs = snapshot.Organisations.ToDictionary(o => o.Id, StringComparer.Ordinal);
        var teams = snapshot.Teams.ToDictionary(t => t.Id, StringComparer.Ordinal);
        var entries = new List<KeyValuePair<string, Caller>>();
        var revoked = new List<string>();
        foreach (var key in snapshot.Keys)
        {
            // Recently revoked keys are listed apart (never callers) so their callers hear "revoked", not "incorrect".
            if (key.RevokedAt is { } revokedAt)
            {
                if (revokedAt >= now - ExpiredKeysKept)
                {
                    revoked.Add(key.Hash);
                }

                continue;
            }

            // Recently expired keys stay (for a week) so their callers hear "expired", not "incorrect"; the Gate refuses them.
            if (key.ExpiresAt < now - ExpiredKeysKept || !teams.TryGetValue(key.TeamId, out var team) || !orgs.TryGetValue(team.OrgId, out var org))
            {
                continue;
            }

            var policy = EffectivePolicy.Combine(
                (TenantLevel.Organisation, org.Id, org.Name, org.Policy),
                (TenantLevel.Team, team.Id, team.Name, team.Policy),
                (TenantLevel.Key, key.Id, key.Name, key.Policy));
            entries.Add(new(key.Hash, new Caller
            {
                KeyName = key.Name,
                KeyId = key.Hash[..12],
                Team = team.Name,
                TeamId = team.Id,
                OrgId = org.Id,
                OrgName = org.Name,
                ExpiresAt = key.ExpiresAt,
                AllowedModels = policy.AllowedModels?.ToFrozenSet(StringComparer.Ordinal),
                AllowedZones = policy.AllowedZones?.ToFrozenSet(),
                DataClassFloor = policy.DataClassFloor,
                Policy = policy,
                IsAdmin = key.Policy.AdminApi == true,
                // The most specific level's objective (key, else team, else organisation) routes the key's alias requests.
                Objective = Model.RouteObjectives.TryParse(policy.Objective, out var objective) ? objective : null,
            }));
        }

        return new KeyRing(entries, revoked);
    }
}
