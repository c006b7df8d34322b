using System.CommandLine;

namespace Switchyard.Cli;

/// <summary>The one executable's verbs: <c>serve</c> (the default), <c>config check</c>, <c>usage</c>, <c>plan</c>, <c>report</c>, <c>orgs</c>, <c>teams</c>, <c>keys</c>, <c>eval-privacy</c>.</summary>
internal static class SwitchyardCli
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Switchyard: one API in front of every language model, routed by privacy, capability, cost and latency.");
        var serve = ServeCommand.Create();
        root.Subcommands.Add(serve);
        root.Subcommands.Add(ConfigCommand.Create());
        root.Subcommands.Add(UsageCommand.Create());
        root.Subcommands.Add(PlanCommand.Create(TimeProvider.System));
        root.Subcommands.Add(ReportCommand.Create(TimeProvider.System, Environment.GetEnvironmentVariable));
        foreach (var command in TenancyCommands.Create(TimeProvider.System, Environment.GetEnvironmentVariable, Console.Out, Console.Error))
        {
            root.Subcommands.Add(command);
        }
        root.Subcommands.Add(AccountsCommand.Create(TimeProvider.System, Environment.GetEnvironmentVariable, Console.In, Console.Out, Console.Error));
        root.Subcommands.Add(EvalPrivacyCommand.Create(TimeProvider.System));
        root.Subcommands.Add(TrainCommand.Create());
        root.Subcommands.Add(EvalCommand.Create());

        // No verb means serve, so `switchyard` alone starts the gateway.
        if (args.Length == 0 || args[0].StartsWith("--", StringComparison.Ordinal) && args[0] is not ("--help" or "--version"))
        {
            args = ["serve", .. args];
        }

        return root.Parse(args).InvokeAsync();
    }
}
