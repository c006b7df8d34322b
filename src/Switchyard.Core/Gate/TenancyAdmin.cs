using Switchyard.Core.Stores;

namespace Switchyard.Core.Gate;

/// <summary>The result of an administrative change: the saved record, or why it was refused (a 4xx for the admin API, exit 1 for the CLI).</summary>
public sealed record AdminResult<T>(T? Value, string? Error, bool NotFound = false)
    where T : class;

/// <summary>Builders of <see cref="AdminResult{T}"/>.</summary>
public static class AdminResults
{
    public static AdminResult<T> Ok<T>(T value)
        where T : class => new(value, null);

    public static AdminResult<T> Invalid<T>(string error)
        where T : class => new(null, error);

    public static AdminResult<T> Missing<T>(string error)
        where T : class => new(null, error, NotFound: true);
}

/// <summary>A newly created or rotated key: the record and the secret, shown this once.</summary>
public sealed record IssuedKey(VirtualKey Key, string Secret, VirtualKey? Previous = null);

/// <summary>
/// Managing organisations, teams and keys: one place for the admin API and the <c>switchyard orgs|teams|keys</c>
/// verbs. References accept an id or a unique name. Every change goes through the store, whose change counter
/// tells every replica to reload.
/// </summary>
public sealed class TenancyAdmin
{
    private readonly ITenancyStore _store;
    private readonly TimeProvider _time;

    public TenancyAdmin(ITenancyStore store, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(time);
        _store = store;
        _time = time;
    }

    public Task<TenancySnapshot> LoadAsync(CancellationToken cancellationToken) => _store.LoadAsync(cancellationToken);

    public async Task<AdminResult<Organisation>> CreateOrganisationAsync(string name, TenantPolicy? policy, CancellationToken cancellationToken)
    {
        if ((NameError(name) ?? (policy is null ? null : PolicyError(policy))) is { } error)
        {
            return AdminResults.Invalid<Organisation>(error);
        }

        var snapshot = await _store.LoadAsync(cancellationToken);
        if (snapshot.Organisations.Any(o => o.Name == name))
        {
            return AdminResults.Invalid<Organisation>($"an organisation named '{name}' exists");
        }

        var org = new Organisation(VirtualKeyFactory.NewId("org"), name, policy ?? TenantPolicy.None, _time.GetUtcNow());
        await _store.SaveOrganisationAsync(org, cancellationToken);
        return AdminResults.Ok<Organisation>(org);
    }

    public async Task<AdminResult<Team>> CreateTeamAsync(string orgRef, string name, TenantPolicy? policy, CancellationToken cancellationToken)
    {
        if ((NameError(name) ?? (policy is null ? null : PolicyError(policy))) is { } error)
        {
            return AdminResults.Invalid<Team>(error);
        }

        var snapshot = await _store.LoadAsync(cancellationToken);
        var org = Find(snapshot.Organisations, orgRef, o => o.Id, o => o.Name);
        if (org is null)
        {
            return AdminResults.Missing<Team>($"no organisation '{orgRef}'");
        }

        if (snapshot.Teams.Any(t => t.OrgId == org.Id && t.Name == name))
        {
            return AdminResults.Invalid<Team>($"organisation '{org.Name}' has a team named '{name}'");
        }

        var team = new Team(VirtualKeyFactory.NewId("team"), org.Id, name, policy ?? TenantPolicy.None, _time.GetUtcNow());
        await _store.SaveTeamAsync(team, cancellationToken);
        return AdminResults.Ok<Team>(team);
    }

    public async Task<AdminResult<IssuedKey>> CreateKeyAsync(string teamRef, string name, TenantPolicy? policy, DateTimeOffset? expiresAt, CancellationToken cancellationToken)
    {
        if ((NameError(name) ?? (policy is null ? null : PolicyError(policy))) is { } error)
        {
            return AdminResults.Invalid<IssuedKey>(error);
        }

        var now = _time.GetUtcNow();
        if (expiresAt <= now)
        {
            return AdminResults.Invalid<IssuedKey>("expires_at must be in the future");
        }

        // Far enough for any real key, near enough that expiry arithmetic (the week expired keys are kept) cannot overflow.
        if (expiresAt > now.AddYears(100))
        {
            return AdminResults.Invalid<IssuedKey>("expires_at must be within 100 years");
        }

        var snapshot = await _store.LoadAsync(cancellationToken);
        var team = Find(snapshot.Teams, teamRef, t => t.Id, t => t.Name);
        if (team is null)
        {
            return AdminResults.Missing<IssuedKey>($"no team '{teamRef}' (use its id when two organisations have a team of that name)");
        }

        var (key, secret) = VirtualKeyFactory.Create(team.Id, name, policy, now, expiresAt);
        await _store.SaveKeysAsync([key], cancellationToken);
        return AdminResults.Ok<IssuedKey>(new IssuedKey(key, secret));
    }

    /// <summary>
    /// Issues a replacement key with the same team, name and policy; the old key keeps working for
    /// <paramref name="overlap"/> (so clients can switch without downtime), then expires.
    /// </summary>
    public async Task<AdminResult<IssuedKey>> RotateKeyAsync(string keyRef, TimeSpan overlap, CancellationToken cancellationToken)
    {
        if (overlap < TimeSpan.Zero || overlap > TimeSpan.FromDays(30))
        {
            return AdminResults.Invalid<IssuedKey>("the overlap must be between 0 and 30 days");
        }

        var snapshot = await _store.LoadAsync(cancellationToken);
        var old = Find(snapshot.Keys, keyRef, k => k.Id, k => k.Name);
        var now = _time.GetUtcNow();
        if (old is null)
        {
            return AdminResults.Missing<IssuedKey>($"no key '{keyRef}'");
        }

        if (!old.IsActiveAt(now))
        {
            return AdminResults.Invalid<IssuedKey>($"key '{old.Id}' is revoked or expired; create a new one instead");
        }

        var (fresh, secret) = VirtualKeyFactory.Create(old.TeamId, old.Name, old.Policy, now, old.ExpiresAt);
        var end = now + overlap;
        var retired = old with { ExpiresAt = old.ExpiresAt is { } e && e < end ? e : end, RotatedTo = fresh.Id };
        await _store.SaveKeysAsync([retired, fresh], cancellationToken);
        return AdminResults.Ok<IssuedKey>(new IssuedKey(fresh, secret, retired));
    }

    public async Task<AdminResult<VirtualKey>> RevokeKeyAsync(string keyRef, CancellationToken cancellationToken)
    {
        var snapshot = await _store.LoadAsync(cancellationToken);
        var key = Find(snapshot.Keys, keyRef, k => k.Id, k => k.Name);
        if (key is null)
        {
            return AdminResults.Missing<VirtualKey>($"no key '{keyRef}'");
        }

        var revoked = key with { RevokedAt = key.RevokedAt ?? _time.GetUtcNow() };
        await _store.SaveKeysAsync([revoked], cancellationToken);
        return AdminResults.Ok<VirtualKey>(revoked);
    }

    /// <summary>Replaces the policy of one organisation, team or key.</summary>
    public async Task<AdminResult<object>> SetPolicyAsync(TenantLevel level, string reference, TenantPolicy policy, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (PolicyError(policy) is { } error)
        {
            return AdminResults.Invalid<object>(error);
        }

        var snapshot = await _store.LoadAsync(cancellationToken);
        switch (level)
        {
            case TenantLevel.Organisation when Find(snapshot.Organisations, reference, o => o.Id, o => o.Name) is { } org:
                await _store.SaveOrganisationAsync(org with { Policy = policy }, cancellationToken);
                return AdminResults.Ok<object>(org with { Policy = policy });
            case TenantLevel.Team when Find(snapshot.Teams, reference, t => t.Id, t => t.Name) is { } team:
                await _store.SaveTeamAsync(team with { Policy = policy }, cancellationToken);
                return AdminResults.Ok<object>(team with { Policy = policy });
            case TenantLevel.Key when Find(snapshot.Keys, reference, k => k.Id, k => k.Name) is { } key:
                await _store.SaveKeysAsync([key with { Policy = policy }], cancellationToken);
                return AdminResults.Ok<object>(key with { Policy = policy });
            default:
                return AdminResults.Missing<object>($"no {EffectivePolicy.LevelName(level)} '{reference}'");
        }
    }

    /// <summary>Why a policy cannot be saved (negative limits), or null.</summary>
    /// <summary>The largest output reservation a policy may set (as <c>storage.default_reserved_output_tokens</c>).</summary>
    public const int MaxReservedOutputTokens = 10_000_000;

    public static string? PolicyError(TenantPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        if (policy.BudgetDailyUsd < 0 || policy.BudgetMonthlyUsd < 0 || policy.BudgetTotalUsd < 0)
        {
            return "budgets must not be negative";
        }

        if (policy.RequestsPerMinute < 0 || policy.TokensPerMinute < 0 || policy.MaxConcurrent < 0)
        {
            return "rate limits must not be negative";
        }

        if (policy.ReservedOutputTokens is < 1 or > MaxReservedOutputTokens)
        {
            return $"reserved_output_tokens must be between 1 and {MaxReservedOutputTokens}";
        }

        return null;
    }

    /// <summary>Finds by id, else by a name that is unique.</summary>
    public static T? Find<T>(IReadOnlyList<T> items, string reference, Func<T, string> id, Func<T, string> name)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items);
        var byId = items.FirstOrDefault(i => id(i) == reference);
        if (byId is not null)
        {
            return byId;
        }

        var byName = items.Where(i => name(i) == reference).Take(2).ToList();
        return byName.Count == 1 ? byName[0] : null;
    }

    private static string? NameError(string name) =>
        string.IsNullOrWhiteSpace(name) || name.Length > 128 || name.Any(char.IsControl) ? "a name is 1 to 128 printable characters" : null;
}
