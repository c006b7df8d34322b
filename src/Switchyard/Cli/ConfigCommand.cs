using System.CommandLine;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Simulated;
namespace Switchyard.Cli;

/// <summary><c>switchyard config check FILE</c>: validates a configuration offline, reporting every error at once.</summary>
internal static class ConfigCommand
{
    public static Command Create()
    {
        var file = new Argument<string>("file") { Description = "The configuration file to check." };
        var check = new Command("check", "Validate a configuration file without starting the gateway.") { file };
        check.SetAction(parse => Check(parse.GetValue(file)!, Console.Out, Console.Error, Environment.GetEnvironmentVariable));
        return new Command("config", "Work with configuration files.") { check };
    }

    public static int Check(string path, TextWriter output, TextWriter errors, Func<string, string?> environment)
    {
        var (config, loadErrors) = ConfigLoader.LoadFile(path);
        if (loadErrors.Count > 0)
        {
            errors.WriteLine($"{path}: {loadErrors.Count} error(s)");
            foreach (var error in loadErrors)
            {
                errors.WriteLine("  " + error);
            }

            return 1;
        }

        IProviderAdapterFactory[] factories = [new OpenAIAdapterFactory(TimeProvider.System), new AnthropicAdapterFactory(TimeProvider.System), new GeminiAdapterFactory(TimeProvider.System), .. CloudFactories.All(TimeProvider.System), new SimulatedAdapterFactory(TimeProvider.System, SharedRandomSource.Instance)];
        RouteTable table;
        try
        {
            table = new RouteTableCompiler(factories, TimeProvider.System, environment).Compile(config);
        }
        catch (ConfigException ex)
        {
            errors.WriteLine($"{path}: {ex.Errors.Count} error(s)");
            foreach (var error in ex.Errors)
            {
                errors.WriteLine("  " + error);
            }

            return 1;
        }

        output.WriteLine($"{path}: OK — {config.Providers.Count} providers, {config.Deployments.Count} deployments, {table.Models.Count} models, {table.Aliases.Count} aliases, {table.Keys.Count} client keys.");
        foreach (var warning in table.Warnings)
        {
            output.WriteLine("  warning: " + warning);
        }

        return 0;
    }
}
