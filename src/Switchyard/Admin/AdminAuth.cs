using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Endpoints;
using Switchyard.Gate;
namespace Switchyard.Admin;

/// <summary>
/// Who calls <c>/admin/api/v1</c>: an admin key (<c>Authorization: Bearer</c>: the master key of
/// <c>server.admin_key_env</c> or a stored key with <c>admin_api: true</c>, role admin) or a console session.
/// The principal is kept on the request for the handlers.
/// </summary>
internal sealed class AdminAuth
{
    private const string ItemKey = "switchyard.admin.principal";
    private readonly RouteTableHolder _routes;
    private readonly TenantDirectory _tenants;
    private readonly ConsoleSessions _sessions;

    public AdminAuth(RouteTableHolder routes, TenantDirectory tenants, ConsoleSessions sessions)
    {
        _routes = routes;
        _tenants = tenants;
        _sessions = sessions;
    }

    /// <summary>The principal an earlier filter authenticated on this request, if any.</summary>
    public static AdminPrincipal? PrincipalOf(HttpContext context) => context?.Items[ItemKey] as AdminPrincipal;

    /// <summary>Authenticates the request; null when it carries no valid credential.</summary>
    public async Task<AdminPrincipal?> AuthenticateAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (PrincipalOf(context) is { } known)
        {
            return known;
        }

        AdminPrincipal? principal = null;
        if (context.Request.Headers.Authorization.Count > 0)
        {
            if (AdminApi.IsAuthorized(context.Request, _routes.Current, _tenants) == AdminAccess.Allowed)
            {
                principal = new AdminPrincipal("admin-key", AdminRole.Admin, null, ViaSession: false);
            }
        }
        else
        {
            principal = await _sessions.AuthenticateAsync(context);
        }

        if (principal is not null)
        {
            context.Items[ItemKey] = principal;
        }

        return principal;
    }

    /// <summary>
    /// The filter of the v1 group: 401 without a credential; a change (any method but GET/HEAD) needs the admin role
    /// and, from a session, the CSRF token; <paramref name="minimum"/> for reads.
    /// </summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext invocation, EndpointFilterDelegate next, AdminRole minimum)
    {
        var context = invocation.HttpContext;
        var auth = context.RequestServices.GetRequiredService<AdminAuth>();
        var principal = await auth.AuthenticateAsync(context);
        if (principal is null)
        {
            return TypedResults.Problem(statusCode: 401, title: "Unauthorized",
                detail: "Sign in to the console or send an admin key (Authorization: Bearer).");
        }

        var changes = !HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method);
        var needed = changes ? AdminRole.Admin : minimum;
        if (principal.Role < needed)
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: $"Role {AdminPrincipal.RoleName(principal.Role)} may not {(changes ? "change anything" : "read this")}; it needs {AdminPrincipal.RoleName(needed)}.");
        }

        if (changes && principal.ViaSession && !auth._sessions.CsrfValid(context))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden",
                detail: "A change from a console session needs its CSRF token (header X-CSRF-Token or form field _csrf) from the same origin.");
        }

        return await next(invocation);
    }
}
