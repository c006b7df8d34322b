namespace Switchyard.Admin;

/// <summary>What a console account or an admin key may do.</summary>
internal enum AdminRole
{
    /// <summary>Reads a subset: the request list, figures and charts of its own teams only; changes nothing.</summary>
    TeamViewer,

    /// <summary>Reads everything; changes nothing.</summary>
    Viewer,

    /// <summary>Reads and changes everything.</summary>
    Admin,
}

/// <summary>Who is calling the admin API: an account signed in to the console, or an admin key.</summary>
/// <param name="Name">Account name, or <c>admin-key</c> / the stored key's name.</param>
/// <param name="Role">What it may do.</param>
/// <param name="Teams">The teams a team viewer sees (null: all).</param>
/// <param name="ViaSession">Authenticated by a console session cookie (changes then need the CSRF token).</param>
internal sealed record AdminPrincipal(string Name, AdminRole Role, IReadOnlyList<string>? Teams, bool ViaSession)
{
    public bool CanChange => Role == AdminRole.Admin;

    /// <summary>Whether the principal sees this team's data (the empty string: requests of keys without a team).</summary>
    public bool Sees(string? team) => Teams is null || (team is not null && Teams.Contains(team, StringComparer.Ordinal));

    public static string RoleName(AdminRole role) => role switch
    {
        AdminRole.Admin => "admin",
        AdminRole.Viewer => "viewer",
        _ => "team-viewer",
    };

    public static AdminRole? ParseRole(string? text) => text switch
    {
        "admin" => AdminRole.Admin,
        "viewer" => AdminRole.Viewer,
        "team-viewer" => AdminRole.TeamViewer,
        _ => null,
    };
}
