using System.CommandLine;

namespace Switchyard.Cli;

/// <summary>The one executable's verbs: <c>serve</c> (the default), <c>config check</c>, <c>usage</c>, <c>plan</c>.</summary>
internal static class SwitchyardCli
{
    public static Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Switchyard: one API in front of every language model, routed by privacy, capability, cost and latency.");
        root.Subcommands.Add(PlanCommand.Create(TimeProvider.System));
        return root.Parse(args).InvokeAsync();
    }
}
