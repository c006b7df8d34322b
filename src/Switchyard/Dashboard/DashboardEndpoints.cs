using System.Collections.Frozen;
using System.Reflection;
using System.Security.Cryptography;
using Switchyard.Admin;

namespace Switchyard.Dashboard;

/// <summary>
/// The console at <c>/ui</c>: server-rendered Razor components (static SSR) on the same port and in the same binary,
/// with its assets (CSS, a small script, the vendored uPlot) embedded. Pages read through the same readers as
/// <c>/admin/api/v1</c> and change things by calling that API with the session's CSRF token. Sign-in is a form; until an
/// account has a password, only loopback clients are answered (the one-time link in the start-up banner signs in).
/// </summary>
internal static class DashboardEndpoints
{
    public const string CsrfItem = "switchyard.console.csrf";

    private static readonly FrozenDictionary<string, (byte[] Bytes, string Type, string ETag)> _assets = LoadAssets();

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Hosting.HostingJsonContext.MinimalApis)]
    public static WebApplication MapDashboard(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<ConsoleSettings>().DashboardEnabled)
        {
            return app;
        }

        app.MapGet("/ui/assets/{*path}", static (HttpContext context, string path) =>
        {
            if (!_assets.TryGetValue(path, out var asset))
            {
                return Results.NotFound();
            }

            context.Response.Headers.CacheControl = "public, max-age=3600";
            context.Response.Headers.ETag = asset.ETag;
            return context.Request.Headers.IfNoneMatch == asset.ETag ? Results.StatusCode(304) : Results.Bytes(asset.Bytes, asset.Type);
        });
        app.MapPost("/ui/session", LoginAsync).DisableAntiforgery();
        app.MapPost("/ui/logout", static async (HttpContext context, ConsoleSessions sessions, AdminAuth auth) =>
        {
            if (await auth.AuthenticateAsync(context) is not null && sessions.CsrfValid(context))
            {
                await sessions.SignOutAsync(context);
            }

            return Results.Redirect("/ui/login");
        }).DisableAntiforgery();
        app.UseWhen(static c => c.Request.Path.StartsWithSegments("/ui", StringComparison.Ordinal) && !c.Request.Path.StartsWithSegments("/ui/assets", StringComparison.Ordinal)
            && HttpMethods.IsGet(c.Request.Method), static branch => branch.Use(GuardAsync));
        app.MapRazorComponents<App>().DisableAntiforgery();
        return app;
    }

    /// <summary>Before any page: loopback-only until a password exists; the one-time link; a session, or the sign-in page.</summary>
    private static async Task GuardAsync(HttpContext context, RequestDelegate next)
    {
        var sessions = context.RequestServices.GetRequiredService<ConsoleSessions>();
        context.Response.Headers["X-Frame-Options"] = "DENY";
        context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-ancestors 'none'";
        context.Response.Headers["Referrer-Policy"] = "same-origin";
        if (!await sessions.ReachableAsync(context))
        {
            context.Response.StatusCode = 403;
            await context.Response.WriteAsync("The Switchyard console answers only on loopback until an admin password is set (sign in locally, or run: switchyard accounts create NAME --role admin).");
            return;
        }

        var login = context.Request.Path.Equals("/ui/login", StringComparison.Ordinal);
        if (login && context.Request.Query.TryGetValue("token", out var token) && token.ToString() is { Length: > 0 } t)
        {
            context.Response.Redirect(await sessions.RedeemAsync(context, t) ? "/ui" : "/ui/login?error=link");
            return;
        }

        var principal = await context.RequestServices.GetRequiredService<AdminAuth>().AuthenticateAsync(context);
        if (principal is null && !login)
        {
            context.Response.Redirect("/ui/login?return=" + Uri.EscapeDataString(context.Request.Path + context.Request.QueryString));
            return;
        }

        if (principal is { ViaSession: true })
        {
            context.Items[CsrfItem] = await sessions.CsrfTokenAsync(context);
        }

        await next(context);
    }

    private static async Task<IResult> LoginAsync(HttpContext context, ConsoleSessions sessions)
    {
        var origin = context.Request.Headers.Origin.ToString();
        if (!await sessions.ReachableAsync(context) || (origin.Length > 0 && !string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase)))
        {
            return Results.StatusCode(403);
        }

        if (!context.Request.HasFormContentType)
        {
            return Results.Redirect("/ui/login?error=form");
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        var back = form["return"].ToString();
        if (!back.StartsWith("/ui", StringComparison.Ordinal) || back.StartsWith("//", StringComparison.Ordinal))
        {
            back = "/ui";
        }

        return await sessions.SignInAsync(context, form["name"].ToString(), form["password"].ToString()) is null
            ? Results.Redirect("/ui/login?error=password&return=" + Uri.EscapeDataString(back))
            : Results.Redirect(back);
    }

    private static FrozenDictionary<string, (byte[], string, string)> LoadAssets()
    {
        var assembly = Assembly.GetExecutingAssembly();
        var assets = new Dictionary<string, (byte[], string, string)>(StringComparer.Ordinal);
        foreach (var name in assembly.GetManifestResourceNames().Where(n => n.StartsWith("dashboard/", StringComparison.Ordinal)))
        {
            using var stream = assembly.GetManifestResourceStream(name)!;
            using var copy = new MemoryStream();
            stream.CopyTo(copy);
            var bytes = copy.ToArray();
            var type = Path.GetExtension(name) switch
            {
                ".css" => "text/css; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                ".png" => "image/png",
                ".svg" => "image/svg+xml",
                _ => "application/octet-stream",
            };
            assets[name["dashboard/".Length..]] = (bytes, type, "\"" + Convert.ToHexStringLower(SHA256.HashData(bytes))[..16] + "\"");
        }

        return assets.ToFrozenDictionary(StringComparer.Ordinal);
    }
}
