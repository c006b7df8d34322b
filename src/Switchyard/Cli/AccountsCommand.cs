using System.CommandLine;
using Switchyard.Admin;
using Switchyard.Core.Accounts;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard accounts create|list|password|delete</c>: console accounts in the store the gateway reads (docs/console.md).
/// A password is read from standard input (one line) or <c>SWITCHYARD_ACCOUNT_PASSWORD</c>, never from an argument.
/// Every change is written to the audit log as done by <c>cli</c>.
/// </summary>
internal static class AccountsCommand
{
    public const string PasswordEnv = "SWITCHYARD_ACCOUNT_PASSWORD";

    public static Command Create(TimeProvider time, Func<string, string?> environment, TextReader input, TextWriter output, TextWriter errors)
    {
        var accounts = new Command("accounts", "Manage console accounts (roles admin, viewer, team-viewer).");
        var name = new Argument<string>("name") { Description = "Account name." };
        var role = new Option<string>("--role") { Description = "admin, viewer or team-viewer.", DefaultValueFactory = _ => "admin" };
        role.AcceptOnlyFromAmong("admin", "viewer", "team-viewer");
        var teams = new Option<string?>("--teams") { Description = "Teams a team-viewer sees (comma-separated)." };
        var create = new Command("create", "Create an account; the password is read from standard input or " + PasswordEnv + ".") { name, role, teams };
        Run(create, environment, errors, create: true, async (store, parse, ct) =>
        {
            if (await PasswordAsync(input, environment, errors) is not { } password)
            {
                return 2;
            }

            var accountName = parse.GetValue(name)!;
            if ((await store.ListAccountsAsync(ct)).Any(a => a.Name == accountName))
            {
                await errors.WriteLineAsync($"switchyard accounts: an account named '{accountName}' exists (use accounts password to change its password)");
                return 1;
            }

            var accountRole = parse.GetValue(role)!;
            var accountTeams = accountRole == "team-viewer" ? (parse.GetValue(teams) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) : [];
            await store.SaveAccountAsync(new ConsoleAccount(accountName, accountRole, accountTeams, PasswordHasher.Hash(password), time.GetUtcNow()), ct);
            await store.AppendAuditAsync(time.GetUtcNow(), "cli", "account_created", accountName, accountRole, ct);
            await output.WriteLineAsync($"{accountName}\t{accountRole}");
            return 0;
        });
        accounts.Subcommands.Add(create);

        var list = new Command("list", "List accounts (never their hashes).");
        Run(list, environment, errors, create: false, async (store, _, ct) =>
        {
            await output.WriteLineAsync("name\trole\tteams\tpassword");
            foreach (var a in await store.ListAccountsAsync(ct))
            {
                await output.WriteLineAsync($"{a.Name}\t{a.Role}\t{string.Join(',', a.Teams)}\t{(a.HasPassword ? "set" : "not set")}");
            }

            return 0;
        });
        accounts.Subcommands.Add(list);

        var passwordName = new Argument<string>("name") { Description = "Account name." };
        var password = new Command("password", "Set an account's password (from standard input or " + PasswordEnv + ").") { passwordName };
        Run(password, environment, errors, create: false, async (store, parse, ct) =>
        {
            var account = (await store.ListAccountsAsync(ct)).FirstOrDefault(a => a.Name == parse.GetValue(passwordName));
            if (account is null)
            {
                await errors.WriteLineAsync($"switchyard accounts: no account '{parse.GetValue(passwordName)}'");
                return 1;
            }

            if (await PasswordAsync(input, environment, errors) is not { } secret)
            {
                return 2;
            }

            await store.SaveAccountAsync(account with { PasswordHash = PasswordHasher.Hash(secret) }, ct);
            await store.AppendAuditAsync(time.GetUtcNow(), "cli", "password_set", account.Name, "", ct);
            return 0;
        });
        accounts.Subcommands.Add(password);

        var deleteName = new Argument<string>("name") { Description = "Account name." };
        var delete = new Command("delete", "Delete an account and end its sessions.") { deleteName };
        Run(delete, environment, errors, create: false, async (store, parse, ct) =>
        {
            var target = parse.GetValue(deleteName)!;
            if (!await store.DeleteAccountAsync(target, ct))
            {
                await errors.WriteLineAsync($"switchyard accounts: no account '{target}'");
                return 1;
            }

            await store.AppendAuditAsync(time.GetUtcNow(), "cli", "account_deleted", target, "", ct);
            return 0;
        });
        accounts.Subcommands.Add(delete);
        return accounts;
    }

    private static async Task<string?> PasswordAsync(TextReader input, Func<string, string?> environment, TextWriter errors)
    {
        var password = environment(PasswordEnv) ?? await input.ReadLineAsync();
        if (PasswordHasher.Weakness(password) is { } weak)
        {
            await errors.WriteLineAsync($"switchyard accounts: {weak} (read from standard input or {PasswordEnv})");
            return null;
        }

        return password;
    }

    private static void Run(Command command, Func<string, string?> environment, TextWriter errors, bool create, Func<IConsoleStore, ParseResult, CancellationToken, Task<int>> action)
    {
        var store = new StoreOptions();
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (opened, error) = await store.OpenAsync(parse, create, environment, cancellationToken);
            if (opened is null)
            {
                await errors.WriteLineAsync(error);
                return 1;
            }

            await using (opened)
            {
                return await action(opened.Console, parse, cancellationToken);
            }
        });
    }

}
