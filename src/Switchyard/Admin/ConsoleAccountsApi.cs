using System.Globalization;
using System.Text;
using Switchyard.Core.Accounts;
using Switchyard.Core.Common;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Gate;
namespace Switchyard.Admin;

/// <summary>A console account as the API shows it (never its hash).</summary>
internal sealed record AccountDto(string Name, string Role, IReadOnlyList<string> Teams, bool HasPassword, DateTimeOffset CreatedAt);

/// <summary>Body of <c>POST /accounts</c> and <c>PUT /accounts/{name}</c>: omitted fields keep their value on a change.</summary>
internal sealed record AccountRequest(string? Name, string? Role, IReadOnlyList<string>? Teams, string? Password);

/// <summary>Body of <c>POST /session</c>: sign in to a console session from a script (the console's form does the same).</summary>
internal sealed record SignInRequest(string? Name, string? Password);

/// <summary>Body of <c>PUT /me/password</c>.</summary>
internal sealed record PasswordRequest(string? Current, string? Password);

/// <summary>A page of the audit log, newest first, and whether its hash chain holds.</summary>
internal sealed record AuditPageDto(IReadOnlyList<AuditEntry> Entries, long? NextBefore, bool ChainIntact, long? BrokenAt);

/// <summary>One step of the first-run checklist, ticked from real state.</summary>
internal sealed record OnboardingStepDto(string Id, string Title, bool Done, string How);

/// <summary><c>GET /admin/api/v1/onboarding</c>.</summary>
internal sealed record OnboardingDto(IReadOnlyList<OnboardingStepDto> Steps, bool Complete);

/// <summary>Console accounts, the audit log, the privacy review and the first-run checklist.</summary>
internal static class ConsoleAccountsApi
{
    public const string PrivacyReviewed = "privacy_policy_reviewed";

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = Hosting.HostingJsonContext.MinimalApis)]
    public static void Map(RouteGroupBuilder open, RouteGroupBuilder reads, RouteGroupBuilder viewer)
    {
        open.MapPost("/session", SignInAsync);
        reads.MapDelete("/session", static async (HttpContext c, ConsoleSessions sessions) =>
        {
            await sessions.SignOutAsync(c);
            c.Items[AdminApiV1.AuditedItem] = true;
            return TypedResults.NoContent();
        });
        viewer.MapGet("/accounts", ListAsync);
        viewer.MapPost("/accounts", CreateAsync);
        viewer.MapPut("/accounts/{name}", ChangeAsync);
        viewer.MapDelete("/accounts/{name}", DeleteAsync);
        reads.MapPut("/me/password", static (HttpContext c, IConsoleStore s, ConsoleSessions sessions, AuditLog audit) => OwnPasswordAsync(c, s, sessions, audit));
        viewer.MapGet("/audit", AuditAsync);
        viewer.MapPost("/privacy/reviewed", static async (HttpContext c, AuditLog audit) =>
        {
            await audit.WriteAsync(AdminAuth.PrincipalOf(c)!.Name, PrivacyReviewed, "privacy", "data-class policy reviewed", c.RequestAborted);
            c.Items[AdminApiV1.AuditedItem] = true;
            return TypedResults.NoContent();
        });
        reads.MapGet("/onboarding", OnboardingAsync);
    }

    private static async Task<IResult> SignInAsync(HttpContext context, ConsoleSessions sessions)
    {
        if (!await sessions.ReachableAsync(context))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "Until an account has a password, the console answers only on loopback.");
        }

        var (body, error) = await AdminApiV1.ReadBodyAsync(context, AdminV1Json.Default.SignInRequest);
        if (body is null)
        {
            return error!;
        }

        if (body.Name is not { Length: > 0 } name || body.Password is not { Length: > 0 } password)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["name and password are required"] }, title: "Invalid sign-in");
        }

        var principal = await sessions.SignInAsync(context, name, password);
        return principal is null
            ? TypedResults.Problem(statusCode: 401, title: "Unauthorized", detail: "Wrong name or password.")
            : TypedResults.Json(new MeDto(principal.Name, AdminPrincipal.RoleName(principal.Role), principal.Teams, true, await sessions.CsrfTokenAsync(context)),
                AdminV1Json.Default.MeDto);
    }

    private static async Task<IResult> ListAsync(HttpContext context, IConsoleStore store)
    {
        if (AdminOnly(context) is { } denied)
        {
            return denied;
        }

        var accounts = await store.ListAccountsAsync(context.RequestAborted);
        return TypedResults.Json(accounts.Select(Dto).ToList(), AdminV1Json.Default.ListAccountDto);
    }

    private static async Task<IResult> CreateAsync(HttpContext context, IConsoleStore store, ConsoleSessions sessions, TimeProvider time)
    {
        var (body, error) = await AdminApiV1.ReadBodyAsync(context, AdminV1Json.Default.AccountRequest);
        if (body is null)
        {
            return error!;
        }

        var problems = new Dictionary<string, string[]>(StringComparer.Ordinal);
        if (body.Name is not { Length: > 0 and <= 64 } name || name.Any(c => char.IsControl(c) || c is ',' or '/' or ' '))
        {
            problems["name"] = ["1 to 64 characters, no spaces, commas or slashes"];
        }

        if (AdminPrincipal.ParseRole(body.Role) is null)
        {
            problems["role"] = ["admin, viewer or team-viewer"];
        }

        if (PasswordHasher.Weakness(body.Password) is { } weak)
        {
            problems["password"] = [weak];
        }

        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "Invalid account");
        }

        var accounts = await store.ListAccountsAsync(context.RequestAborted);
        if (accounts.Any(a => a.Name == body.Name))
        {
            return TypedResults.Problem(statusCode: 409, title: "Conflict", detail: $"an account named '{body.Name}' exists");
        }

        var account = new ConsoleAccount(body.Name!, body.Role!, body.Role == "team-viewer" ? body.Teams ?? [] : [], PasswordHasher.Hash(body.Password!), time.GetUtcNow());
        await store.SaveAccountAsync(account, context.RequestAborted);
        sessions.AccountsChanged();
        return TypedResults.Json(Dto(account), AdminV1Json.Default.AccountDto, statusCode: 201);
    }

    private static async Task<IResult> ChangeAsync(HttpContext context, string name, IConsoleStore store, ConsoleSessions sessions)
    {
        var (body, error) = await AdminApiV1.ReadBodyAsync(context, AdminV1Json.Default.AccountRequest);
        if (body is null)
        {
            return error!;
        }

        var account = (await store.ListAccountsAsync(context.RequestAborted)).FirstOrDefault(a => a.Name == name);
        if (account is null)
        {
            return TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"no account '{name}'");
        }

        if ((body.Role is not null && AdminPrincipal.ParseRole(body.Role) is null) || (body.Password is not null && PasswordHasher.Weakness(body.Password) is not null))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]>
            {
                ["account"] = [body.Role is not null && AdminPrincipal.ParseRole(body.Role) is null ? "role: admin, viewer or team-viewer" : PasswordHasher.Weakness(body.Password)!],
            }, title: "Invalid account");
        }

        var role = body.Role ?? account.Role;
        account = account with
        {
            Role = role,
            Teams = role == "team-viewer" ? body.Teams ?? account.Teams : [],
            PasswordHash = body.Password is { } p ? PasswordHasher.Hash(p) : account.PasswordHash,
        };
        await store.SaveAccountAsync(account, context.RequestAborted);
        sessions.AccountsChanged();
        return TypedResults.Json(Dto(account), AdminV1Json.Default.AccountDto);
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, string name, IConsoleStore store, ConsoleSessions sessions)
    {
        if (AdminAuth.PrincipalOf(context)!.Name == name)
        {
            return TypedResults.Problem(statusCode: 409, title: "Conflict", detail: "an account cannot delete itself");
        }

        var deleted = await store.DeleteAccountAsync(name, context.RequestAborted);
        sessions.AccountsChanged();
        return deleted ? TypedResults.NoContent() : TypedResults.Problem(statusCode: 404, title: "Not found", detail: $"no account '{name}'");
    }

    /// <summary>Any signed-in account sets its own password (with the current one, unless it has none yet: the first admin after the one-time link).</summary>
    private static async Task<IResult> OwnPasswordAsync(HttpContext context, IConsoleStore store, ConsoleSessions sessions, AuditLog audit)
    {
        var principal = AdminAuth.PrincipalOf(context)!;
        var (body, error) = await AdminApiV1.ReadBodyAsync(context, AdminV1Json.Default.PasswordRequest);
        if (body is null)
        {
            return error!;
        }

        var account = (await store.ListAccountsAsync(context.RequestAborted)).FirstOrDefault(a => a.Name == principal.Name);
        if (account is null || !principal.ViaSession)
        {
            return TypedResults.Problem(statusCode: 409, title: "Conflict", detail: "only a console account signed in with a session has a password");
        }

        if (PasswordHasher.Weakness(body.Password) is { } weak)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["password"] = [weak] }, title: "Invalid password");
        }

        if (account.HasPassword && !PasswordHasher.Verify(body.Current ?? "", account.PasswordHash))
        {
            return TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "the current password does not match");
        }

        await store.SaveAccountAsync(account with { PasswordHash = PasswordHasher.Hash(body.Password!) }, context.RequestAborted);
        sessions.AccountsChanged();
        await audit.WriteAsync(principal.Name, "password_set", principal.Name, "", context.RequestAborted);
        context.Items[AdminApiV1.AuditedItem] = true;
        return TypedResults.NoContent();
    }

    private static async Task<IResult> AuditAsync(HttpContext context, IConsoleStore store, long? before, int? limit, string? format)
    {
        if (limit is < 1 or > 10_000 || format is not (null or "json" or "csv"))
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["query"] = ["limit is 1 to 10000; format is json or csv"] }, title: "Invalid query");
        }

        var entries = await store.ReadAuditAsync(before, limit ?? 200, context.RequestAborted);
        var broken = AuditChain.Verify(entries.Reverse());
        if (format == "csv")
        {
            var sb = new StringBuilder("seq,at,actor,action,subject,detail,prev_hash,hash\n");
            foreach (var e in entries)
            {
                sb.Append(string.Join(',', e.Seq.ToString(CultureInfo.InvariantCulture), e.At.ToString("O", CultureInfo.InvariantCulture), Csv.Escape(e.Actor),
                    Csv.Escape(e.Action), Csv.Escape(e.Subject), Csv.Escape(e.Detail), e.PrevHash, e.Hash)).Append('\n');
            }

            return TypedResults.Text(sb.ToString(), "text/csv", Encoding.UTF8);
        }

        return TypedResults.Json(new AuditPageDto(entries, entries.Count == (limit ?? 200) ? entries[entries.Count - 1].Seq : null, broken is null, broken), AdminV1Json.Default.AuditPageDto);
    }

    private static async Task<IResult> OnboardingAsync(HttpContext context, IServiceProvider services) =>
        TypedResults.Json(await OnboardingStateAsync(context, services), AdminV1Json.Default.OnboardingDto);

    /// <summary>The checklist, ticked from real state: the ledger, the route table, the stored keys, the audit log.</summary>
    public static async Task<OnboardingDto> OnboardingStateAsync(HttpContext context, IServiceProvider services)
    {
        var analytics = services.GetRequiredService<ILedgerAnalytics>();
        var routes = services.GetRequiredService<RouteTableHolder>();
        var tenants = services.GetRequiredService<TenantDirectory>();
        var store = services.GetRequiredService<IConsoleStore>();
        var time = services.GetRequiredService<TimeProvider>();
        var now = time.GetUtcNow().ToUnixTimeMilliseconds();
        var rows = await analytics.ReadAggregatesAsync(new AggregateQuery(AggregateGrain.Day, 0, now + LedgerAggregator.DayMs, [], false, AggregateFilter.None),
            context.RequestAborted);
        var totals = rows.Count > 0 ? rows[0].Measures : new AggregateMeasures();
        var reviewed = (await store.ReadAuditAsync(null, 1000, context.RequestAborted)).Any(e => e.Action == PrivacyReviewed);
        var table = routes.Current;
        var real = table.Models.Values.SelectMany(m => m.Deployments).Any(d => !d.Adapter.IsSimulated);
        var host = $"{context.Request.Scheme}://{context.Request.Host}";
        OnboardingStepDto[] steps =
        [
            new("first_request", "First request received", totals[AggregateMeasures.Requests] > 0,
                $"curl -s {host}/v1/chat/completions -H \"Authorization: Bearer sk-switchyard-local-dev\" -H \"Content-Type: application/json\" -d '{{\"model\": \"auto\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello!\"}}]}}'"),
            new("real_provider", "A real provider added", real, "set OPENAI_API_KEY (or another provider's key), uncomment its provider, deployment and model in the config file; the gateway reloads it"),
            new("client_key", "A client key created", tenants.Snapshot.Keys.Count > 0, "Keys & teams → create a key (or: switchyard keys create NAME --team TEAM)"),
            new("privacy_reviewed", "Data-class policy reviewed", reviewed, "Privacy & audit → review the data-class policy and mark it reviewed"),
            new("first_savings", "First savings figure", totals.BaselineUsd - totals.CostUsd > 0, "route an alias across a cheaper and a frontier model; Savings shows the difference"),
        ];
        return new OnboardingDto(steps, steps.All(s => s.Done));
    }

    private static Microsoft.AspNetCore.Http.HttpResults.ProblemHttpResult? AdminOnly(HttpContext context) => AdminAuth.PrincipalOf(context)!.Role == AdminRole.Admin
        ? null
        : TypedResults.Problem(statusCode: 403, title: "Forbidden", detail: "only an admin manages accounts");

    private static AccountDto Dto(ConsoleAccount a) => new(a.Name, a.Role, a.Teams, a.HasPassword, a.CreatedAt);
}
