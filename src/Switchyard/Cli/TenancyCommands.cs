using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Switchyard.Core.Common;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Ledger;
namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard orgs|teams|keys …</c>: manage the tenancy in the store the gateway reads (docs/tenancy.md).
/// Policies are JSON, as in the admin API (<c>--policy '{"budget_daily_usd": 5, "requests_per_minute": 60}'</c>).
/// </summary>
internal static class TenancyCommands
{
    public static IEnumerable<Command> Create(TimeProvider time, Func<string, string?> environment, TextWriter output, TextWriter errors)
    {
        yield return Orgs(time, environment, output, errors);
        yield return Teams(time, environment, output, errors);
        yield return Keys(time, environment, output, errors);
    }

    private static Command Orgs(TimeProvider time, Func<string, string?> environment, TextWriter output, TextWriter errors)
    {
        var orgs = new Command("orgs", "Manage organisations.");
        var name = new Argument<string>("name") { Description = "Organisation name." };
        var policy = PolicyOption();
        var create = new Command("create", "Create an organisation.") { name, policy };
        Run(create, time, environment, errors, create: true, async (admin, _, parse, ct) =>
        {
            var (p, error) = ParsePolicy(parse.GetValue(policy));
            if (error is not null)
            {
                return Fail(errors, error);
            }

            var result = await admin.CreateOrganisationAsync(parse.GetValue(name)!, p, ct);
            return result.Value is { } org ? Ok(output, $"{org.Id}\t{org.Name}") : Fail(errors, result.Error!);
        });
        orgs.Subcommands.Add(create);

        var list = new Command("list", "List organisations.");
        Run(list, time, environment, errors, create: false, async (admin, _, _, ct) =>
        {
            var snapshot = await admin.LoadAsync(ct);
            await output.WriteLineAsync("id\tname\tpolicy");
            foreach (var o in snapshot.Organisations)
            {
                await output.WriteLineAsync($"{o.Id}\t{o.Name}\t{TenancyCodec.WritePolicy(o.Policy)}");
            }

            return 0;
        });
        orgs.Subcommands.Add(list);
        orgs.Subcommands.Add(PolicyCommand(TenantLevel.Organisation, time, environment, output, errors));
        return orgs;
    }

    private static Command Teams(TimeProvider time, Func<string, string?> environment, TextWriter output, TextWriter errors)
    {
        var teams = new Command("teams", "Manage teams.");
        var name = new Argument<string>("name") { Description = "Team name." };
        var org = new Option<string>("--org") { Description = "Organisation id or name.", Required = true };
        var policy = PolicyOption();
        var create = new Command("create", "Create a team in an organisation.") { name, org, policy };
        Run(create, time, environment, errors, create: true, async (admin, _, parse, ct) =>
        {
            var (p, error) = ParsePolicy(parse.GetValue(policy));
            if (error is not null)
            {
                return Fail(errors, error);
            }

            var result = await admin.CreateTeamAsync(parse.GetValue(org)!, parse.GetValue(name)!, p, ct);
            return result.Value is { } team ? Ok(output, $"{team.Id}\t{team.Name}") : Fail(errors, result.Error!);
        });
        teams.Subcommands.Add(create);

        var list = new Command("list", "List teams with their spend counters.");
        Run(list, time, environment, errors, create: false, async (admin, store, _, ct) =>
        {
            var snapshot = await admin.LoadAsync(ct);
            await output.WriteLineAsync("id\torg\tname\tpolicy\tspent_usd");
            foreach (var t in snapshot.Teams)
            {
                var orgName = snapshot.Organisations.FirstOrDefault(o => o.Id == t.OrgId)?.Name ?? t.OrgId;
                var counters = await store.Budgets.ReadCountersAsync(EffectivePolicy.Scope(TenantLevel.Team, t.Id) + "|", ct);
                await output.WriteLineAsync($"{t.Id}\t{orgName}\t{t.Name}\t{TenancyCodec.WritePolicy(t.Policy)}\t{Counters(counters)}");
            }

            return 0;
        });
        teams.Subcommands.Add(list);
        teams.Subcommands.Add(PolicyCommand(TenantLevel.Team, time, environment, output, errors));
        return teams;
    }

    private static Command Keys(TimeProvider time, Func<string, string?> environment, TextWriter output, TextWriter errors)
    {
        var keys = new Command("keys", "Manage virtual keys (shown once, stored hashed).");
        var name = new Argument<string>("name") { Description = "Key name (shown in the ledger)." };
        var team = new Option<string>("--team") { Description = "Team id or name.", Required = true };
        var expiresIn = new Option<string?>("--expires-in") { Description = "Lifetime, e.g. 30d, 12h (default: no expiry)." };
        var policy = PolicyOption();
        var create = new Command("create", "Create a key; prints the key once (first line).") { name, team, expiresIn, policy };
        Run(create, time, environment, errors, create: true, async (admin, _, parse, ct) =>
        {
            var (p, error) = ParsePolicy(parse.GetValue(policy));
            if (error is not null)
            {
                return Fail(errors, error);
            }

            DateTimeOffset? expires = null;
            if (parse.GetValue(expiresIn) is { } lifetime)
            {
                if (!DurationText.TryParse(lifetime, out var span) || span <= TimeSpan.Zero)
                {
                    return Fail(errors, $"--expires-in: '{lifetime}' is not a duration such as 30d or 12h");
                }

                expires = time.GetUtcNow() + span;
            }

            var result = await admin.CreateKeyAsync(parse.GetValue(team)!, parse.GetValue(name)!, p, expires, ct);
            if (result.Value is not { } issued)
            {
                return Fail(errors, result.Error!);
            }

            await output.WriteLineAsync(issued.Secret);
            await output.WriteLineAsync($"id {issued.Key.Id}  name {issued.Key.Name}  expires {Format(issued.Key.ExpiresAt)}  (the key is shown once: store it now)");
            return 0;
        });
        keys.Subcommands.Add(create);

        var list = new Command("list", "List keys (prefix, state, expiry).");
        Run(list, time, environment, errors, create: false, async (admin, _, _, ct) =>
        {
            var snapshot = await admin.LoadAsync(ct);
            var now = time.GetUtcNow();
            await output.WriteLineAsync("id\tname\tteam\tprefix\tstate\texpires");
            foreach (var k in snapshot.Keys)
            {
                var teamName = snapshot.Teams.FirstOrDefault(t => t.Id == k.TeamId)?.Name ?? k.TeamId;
                await output.WriteLineAsync($"{k.Id}\t{k.Name}\t{teamName}\t{k.DisplayPrefix}…\t{State(k, now)}\t{Format(k.ExpiresAt)}");
            }

            return 0;
        });
        keys.Subcommands.Add(list);

        var reference = new Argument<string>("key") { Description = "Key id (or a unique key name)." };
        var show = new Command("show", "Show a key: its team and organisation, state, policy, and the budgets (with this period's spend) and limits it answers to.") { reference };
        Run(show, time, environment, errors, create: false, async (admin, store, parse, ct) =>
        {
            var snapshot = await admin.LoadAsync(ct);
            if (TenancyAdmin.Find(snapshot.Keys, parse.GetValue(reference)!, k => k.Id, k => k.Name) is not { } key)
            {
                return Fail(errors, $"no key '{parse.GetValue(reference)}'");
            }

            await ShowKeyAsync(snapshot, key, store.Budgets, time.GetUtcNow(), output, ct);
            return 0;
        });
        keys.Subcommands.Add(show);

        var overlap = new Option<string>("--overlap") { Description = "How long the old key keeps working (default 24h).", DefaultValueFactory = _ => "24h" };
        var rotate = new Command("rotate", "Issue a replacement key; the old one works for the overlap, then expires.") { reference, overlap };
        Run(rotate, time, environment, errors, create: false, async (admin, _, parse, ct) =>
        {
            if (!DurationText.TryParse(parse.GetValue(overlap)!, out var span))
            {
                return Fail(errors, $"--overlap: '{parse.GetValue(overlap)}' is not a duration such as 1h or 0s");
            }

            var result = await admin.RotateKeyAsync(parse.GetValue(reference)!, span, ct);
            if (result.Value is not { } issued)
            {
                return Fail(errors, result.Error!);
            }

            await output.WriteLineAsync(issued.Secret);
            await output.WriteLineAsync($"id {issued.Key.Id} replaces {issued.Previous!.Id}, which expires {Format(issued.Previous.ExpiresAt)}  (the key is shown once)");
            return 0;
        });
        keys.Subcommands.Add(rotate);

        var revoke = new Command("revoke", "Revoke a key (refused by every replica within the key poll interval).") { reference };
        Run(revoke, time, environment, errors, create: false, async (admin, _, parse, ct) =>
        {
            var result = await admin.RevokeKeyAsync(parse.GetValue(reference)!, ct);
            return result.Value is { } key ? Ok(output, $"{key.Id} revoked at {Format(key.RevokedAt)}") : Fail(errors, result.Error!);
        });
        keys.Subcommands.Add(revoke);
        keys.Subcommands.Add(PolicyCommand(TenantLevel.Key, time, environment, output, errors));
        return keys;
    }

    /// <summary>
    /// What an operator needs to know of a key: whose it is, whether it works, its own policy, and every budget and
    /// rate limit it answers to (its organisation's and team's too) with the current period's spend. Never the hash.
    /// </summary>
    private static async Task ShowKeyAsync(TenancySnapshot snapshot, VirtualKey key, IBudgetStore budgets, DateTimeOffset now, TextWriter output, CancellationToken ct)
    {
        var team = snapshot.Teams.FirstOrDefault(t => t.Id == key.TeamId);
        var org = team is null ? null : snapshot.Organisations.FirstOrDefault(o => o.Id == team.OrgId);
        var state = State(key, now) switch
        {
            "revoked" => $"revoked at {Format(key.RevokedAt)}",
            "expired" => $"expired at {Format(key.ExpiresAt)}",
            "rotating" => $"rotating: replaced by {key.RotatedTo}, works until {Format(key.ExpiresAt)}",
            var s => s,
        };
        await output.WriteLineAsync($"id       {key.Id}");
        await output.WriteLineAsync($"name     {key.Name}");
        await output.WriteLineAsync($"team     {team?.Name ?? "?"} ({key.TeamId})");
        await output.WriteLineAsync($"org      {org?.Name ?? "?"} ({team?.OrgId ?? "?"})");
        await output.WriteLineAsync($"prefix   {key.DisplayPrefix}…");
        await output.WriteLineAsync($"state    {state}");
        await output.WriteLineAsync($"created  {Format(key.CreatedAt)}");
        await output.WriteLineAsync($"expires  {Format(key.ExpiresAt)}");
        await output.WriteLineAsync($"policy   {TenancyCodec.WritePolicy(key.Policy)}");
        if (team is null || org is null)
        {
            return;
        }

        var effective = EffectivePolicy.Combine(
            (TenantLevel.Organisation, org.Id, org.Name, org.Policy), (TenantLevel.Team, team.Id, team.Name, team.Policy), (TenantLevel.Key, key.Id, key.Name, key.Policy));
        foreach (var budget in effective.Budgets)
        {
            var counter = BudgetCounters.Counter(budget.Scope, budget.Period, now);
            var current = (await budgets.ReadCountersAsync(budget.Scope + "|", ct)).FirstOrDefault(c => c.Counter == counter);
            var period = budget.Period switch { BudgetPeriod.Day => " today (UTC)", BudgetPeriod.Month => " this month (UTC)", _ => "" };
            await output.WriteLineAsync($"budget   {budget.Label}: {Usd(current?.SpentNanoUsd ?? 0)} spent of ${budget.LimitUsd.ToString(CultureInfo.InvariantCulture)}{period}, {Usd(current?.ReservedNanoUsd ?? 0)} reserved");
        }

        foreach (var limit in effective.RateLimits)
        {
            string?[] parts =
            [
                limit.RequestsPerMinute is { } r ? $"{r} requests/min" : null,
                limit.TokensPerMinute is { } t ? $"{t} tokens/min" : null,
                limit.MaxConcurrent is { } c ? $"{c} concurrent" : null,
            ];
            await output.WriteLineAsync($"limits   {limit.Label}: {string.Join(", ", parts.Where(p => p is not null))}");
        }
    }

    private static string Usd(long nano) => "$" + Money.FromNanoUsd(nano).ToString("0.######", CultureInfo.InvariantCulture);

    private static Command PolicyCommand(TenantLevel level, TimeProvider time, Func<string, string?> environment, TextWriter output, TextWriter errors)
    {
        var reference = new Argument<string>("ref") { Description = "Id or unique name." };
        var json = new Argument<string>("policy") { Description = "The whole policy as JSON (replaces the current one)." };
        var command = new Command("policy", $"Replace the {EffectivePolicy.LevelName(level)}'s policy.") { reference, json };
        Run(command, time, environment, errors, create: false, async (admin, _, parse, ct) =>
        {
            var (p, error) = ParsePolicy(parse.GetValue(json));
            if (error is not null)
            {
                return Fail(errors, error);
            }

            var result = await admin.SetPolicyAsync(level, parse.GetValue(reference)!, p!, ct);
            return result.Value is not null ? Ok(output, "policy saved") : Fail(errors, result.Error!);
        });
        return command;
    }

    private static Option<string?> PolicyOption() =>
        new("--policy") { Description = "Policy JSON, e.g. {\"budget_daily_usd\": 5, \"requests_per_minute\": 60, \"allowed_models\": [\"auto\"]}." };

    private static void Run(Command command, TimeProvider time, Func<string, string?> environment, TextWriter errors, bool create,
        Func<TenancyAdmin, OpenedStore, ParseResult, CancellationToken, Task<int>> action)
    {
        var store = new StoreOptions();
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (opened, error) = await store.OpenAsync(parse, create, environment, cancellationToken);
            if (opened is null)
            {
                return Fail(errors, error!);
            }

            await using (opened)
            {
                return await action(new TenancyAdmin(opened.Tenancy, time), opened, parse, cancellationToken);
            }
        });
    }

    internal static (TenantPolicy? Policy, string? Error) ParsePolicy(string? json)
    {
        if (string.IsNullOrWhiteSpace(json))
        {
            return (null, null);
        }

        try
        {
            var policy = JsonSerializer.Deserialize(json, TenancyJsonContext.Default.TenantPolicy) ?? TenantPolicy.None;
            return TenancyAdmin.PolicyError(policy) is { } error ? (null, error) : (policy, null);
        }
        catch (JsonException ex)
        {
            return (null, "invalid policy JSON: " + ex.Message);
        }
    }

    private static string Counters(IReadOnlyList<BudgetCounterState> counters) =>
        counters.Count == 0 ? "-" : string.Join(' ', counters.Select(c => c.Counter[(c.Counter.IndexOf('|', StringComparison.Ordinal) + 1)..] + "=$" +
            Money.FromNanoUsd(c.SpentNanoUsd).ToString("0.######", CultureInfo.InvariantCulture)));

    private static string State(VirtualKey key, DateTimeOffset now) =>
        key.RevokedAt is not null ? "revoked" : key.ExpiresAt <= now ? "expired" : key.RotatedTo is not null ? "rotating" : "active";

    private static string Format(DateTimeOffset? t) => t?.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "never";

    private static int Ok(TextWriter output, string line)
    {
        output.WriteLine(line);
        return 0;
    }

    private static int Fail(TextWriter errors, string message)
    {
        errors.WriteLine(message);
        return 1;
    }
}
