namespace Switchyard.Core.Gate;

/// <summary>
/// Where organisations, teams and virtual keys live (SQLite embedded, PostgreSQL shared). Every change bumps a
/// change counter so that every replica can poll one integer and reload its in-memory snapshot when it moved.
/// </summary>
public interface ITenancyStore
{
    /// <summary>Creates or migrates the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken);

    /// <summary>The change counter: increases with every saved organisation, team or key.</summary>
    Task<long> ChangeCounterAsync(CancellationToken cancellationToken);

    /// <summary>Everything, revoked and expired keys included (the gateway filters).</summary>
    Task<TenancySnapshot> LoadAsync(CancellationToken cancellationToken);

    /// <summary>Inserts or replaces an organisation by id.</summary>
    Task SaveOrganisationAsync(Organisation organisation, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces a team by id.</summary>
    Task SaveTeamAsync(Team team, CancellationToken cancellationToken);

    /// <summary>Inserts or replaces keys by id, in one transaction (a rotation saves the old and the new key together).</summary>
    Task SaveKeysAsync(IReadOnlyList<VirtualKey> keys, CancellationToken cancellationToken);
}
