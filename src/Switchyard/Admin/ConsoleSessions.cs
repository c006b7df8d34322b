using System.Net;
using System.Security.Cryptography;
using System.Text;
using Switchyard.Core.Accounts;
namespace Switchyard.Admin;

/// <summary>
/// Console sign-in: accounts with PBKDF2 passwords, sessions as an HttpOnly, SameSite=Strict cookie (Secure over HTTPS,
/// or always, per <c>console.secure_cookies</c>) whose SHA-256 is stored with a CSRF token, and a one-time link for the
/// first sign-in. Until some account has a password, the console answers only to loopback clients. Every sign-in,
/// failed or not, and every sign-out is written to the audit log.
/// </summary>
internal sealed class ConsoleSessions
{
    public const string CookieName = "switchyard_session";
    public const string CsrfHeader = "X-CSRF-Token";
    public const string CsrfField = "_csrf";

    /// <summary>The account the one-time link signs in (created without a password if missing).</summary>
    public const string FirstAdmin = "admin";

    private readonly IConsoleStore _store;
    private readonly ConsoleSettings _settings;
    private readonly TimeProvider _time;
    private readonly AuditLog _audit;
    private string? _oneTimeToken;
    private volatile bool _passwordSet;
    private volatile bool _passwordKnown;

    public ConsoleSessions(IConsoleStore store, ConsoleSettings settings, TimeProvider time, AuditLog audit)
    {
        _store = store;
        _settings = settings;
        _time = time;
        _audit = audit;
    }

    /// <summary>Whether some account has a password (the console then answers beyond loopback).</summary>
    public async Task<bool> PasswordSetAsync(CancellationToken cancellationToken)
    {
        if (!_passwordKnown || !_passwordSet)
        {
            _passwordSet = (await _store.ListAccountsAsync(cancellationToken)).Any(a => a.HasPassword);
            _passwordKnown = true;
        }

        return _passwordSet;
    }

    /// <summary>Whether this client may use the console now: always from loopback, from elsewhere once a password exists.</summary>
    public async Task<bool> ReachableAsync(HttpContext context) =>
        IsLoopback(context.Connection.RemoteIpAddress) || await PasswordSetAsync(context.RequestAborted);

    public static bool IsLoopback(IPAddress? address) => address is not null && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address);

    /// <summary>Issues the one-time sign-in token (replacing any earlier one) and returns it.</summary>
    public string IssueOneTimeToken()
    {
        var token = Base64Url(RandomNumberGenerator.GetBytes(24));
        Volatile.Write(ref _oneTimeToken, token);
        return token;
    }

    /// <summary>The session of the request's cookie, as a principal; null when absent, expired or its account is gone.</summary>
    public async Task<AdminPrincipal?> AuthenticateAsync(HttpContext context)
    {
        if (await SessionAsync(context) is not { } session)
        {
            return null;
        }

        var account = (await _store.ListAccountsAsync(context.RequestAborted)).FirstOrDefault(a => a.Name == session.Account);
        return account is null || AdminPrincipal.ParseRole(account.Role) is not { } role || !await ReachableAsync(context)
            ? null
            : new AdminPrincipal(account.Name, role, role == AdminRole.TeamViewer ? account.Teams : null, ViaSession: true);
    }

    /// <summary>The CSRF token of the request's session (what forms embed).</summary>
    public async Task<string?> CsrfTokenAsync(HttpContext context) => (await SessionAsync(context))?.CsrfToken;

    /// <summary>Whether a change carries its session's CSRF token (header or form field) and, when the browser says where it comes from, the same origin.</summary>
    public bool CsrfValid(HttpContext context)
    {
        var session = context.Items[typeof(ConsoleSession)] as ConsoleSession;
        if (session is null)
        {
            return false;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, $"{context.Request.Scheme}://{context.Request.Host}", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        var presented = context.Request.Headers[CsrfHeader].ToString();
        if (presented.Length == 0 && context.Request.HasFormContentType && context.Request.Form.TryGetValue(CsrfField, out var field))
        {
            presented = field.ToString();
        }

        return presented.Length > 0 && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(presented), Encoding.UTF8.GetBytes(session.CsrfToken));
    }

    /// <summary>Checks a password and starts a session; null (and an audited failure) when it does not match.</summary>
    public async Task<AdminPrincipal?> SignInAsync(HttpContext context, string name, string password)
    {
        var account = (await _store.ListAccountsAsync(context.RequestAborted)).FirstOrDefault(a => a.Name == name);
        // The hash runs even for an unknown name, so timing does not tell which names exist.
        var ok = PasswordHasher.Verify(password, account?.HasPassword == true ? account.PasswordHash : _dummyHash) && account?.HasPassword == true;
        if (!ok || account is null)
        {
            await _audit.WriteAsync(name, "login_failed", name, "password", context.RequestAborted);
            return null;
        }

        await StartAsync(context, account, "password");
        return new AdminPrincipal(account.Name, AdminPrincipal.ParseRole(account.Role) ?? AdminRole.TeamViewer, account.Teams, true);
    }

    /// <summary>Redeems the one-time link (once): signs in the first admin account, created without a password when missing.</summary>
    public async Task<bool> RedeemAsync(HttpContext context, string token)
    {
        var expected = Volatile.Read(ref _oneTimeToken);
        if (expected is null || !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(token), Encoding.UTF8.GetBytes(expected))
            || Interlocked.CompareExchange(ref _oneTimeToken, null, expected) != expected)
        {
            await _audit.WriteAsync("(link)", "login_failed", FirstAdmin, "one-time link invalid or used", context.RequestAborted);
            return false;
        }

        var accounts = await _store.ListAccountsAsync(context.RequestAborted);
        var account = accounts.FirstOrDefault(a => a.Name == FirstAdmin && a.Role == "admin");
        if (account is null)
        {
            account = new ConsoleAccount(FirstAdmin, "admin", [], PasswordHasher.NoPassword, _time.GetUtcNow());
            await _store.SaveAccountAsync(account, context.RequestAborted);
        }

        await StartAsync(context, account, "one-time link");
        return true;
    }

    public async Task SignOutAsync(HttpContext context)
    {
        if (await SessionAsync(context) is { } session)
        {
            await _store.DeleteSessionAsync(session.IdHash, context.RequestAborted);
            await _audit.WriteAsync(session.Account, "logout", session.Account, "", context.RequestAborted);
        }

        context.Response.Cookies.Delete(CookieName, Options(context, DateTimeOffset.UnixEpoch));
    }

    /// <summary>A password was set or an account changed: re-read whether the console may leave loopback.</summary>
    public void AccountsChanged() => _passwordKnown = false;

    private async Task StartAsync(HttpContext context, ConsoleAccount account, string how)
    {
        var id = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = _time.GetUtcNow();
        var session = new ConsoleSession(Hash(id), account.Name, Base64Url(RandomNumberGenerator.GetBytes(24)), now, now + _settings.Config.SessionLifetime);
        await _store.SaveSessionAsync(session, context.RequestAborted);
        context.Response.Cookies.Append(CookieName, id, Options(context, session.ExpiresAt));
        context.Items[typeof(ConsoleSession)] = session;
        await _audit.WriteAsync(account.Name, "login", account.Name, how, context.RequestAborted);
    }

    private async Task<ConsoleSession?> SessionAsync(HttpContext context)
    {
        if (context.Items[typeof(ConsoleSession)] is ConsoleSession cached)
        {
            return cached;
        }

        if (!context.Request.Cookies.TryGetValue(CookieName, out var id) || string.IsNullOrEmpty(id) || id.Length > 256)
        {
            return null;
        }

        var session = await _store.FindSessionAsync(Hash(id), context.RequestAborted);
        if (session is null || session.ExpiresAt <= _time.GetUtcNow())
        {
            return null;
        }

        context.Items[typeof(ConsoleSession)] = session;
        return session;
    }

    private CookieOptions Options(HttpContext context, DateTimeOffset expires) => new()
    {
        HttpOnly = true,
        SameSite = SameSiteMode.Strict,
        Path = "/",
        Expires = expires,
        Secure = _settings.Config.SecureCookies switch
        {
            "always" => true,
            "never" => false,
            _ => context.Request.IsHttps,
        },
    };

    private static readonly string _dummyHash = PasswordHasher.Hash("switchyard-dummy-password", 1000);

    private static string Hash(string id) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
