using System.CommandLine;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Reports;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Simulated;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard report</c>: what the traffic of a window cost as routed against the all-frontier baseline, split
/// by team, alias, task category, data class and served model, with the planner's verdict for every open model
/// that served traffic (docs/report.md). Models come from the configuration file, compiled as <c>config check</c> does.
/// </summary>
internal static class ReportCommand
{
    public static Command Create(TimeProvider time, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(time);
        var dataDir = new Option<string>("--data-dir") { Description = "Directory of the embedded store.", DefaultValueFactory = _ => "data" };
        var config = new Option<string>("--config", "-c") { Description = "Configuration file (for the models' catalog ids, open weights and zones).", DefaultValueFactory = _ => ServeCommand.DefaultConfig };
        var from = new Option<string?>("--from") { Description = "Window start: yyyy-MM-dd (midnight UTC) or an ISO 8601 timestamp." };
        var to = new Option<string?>("--to") { Description = "Window end, exclusive (default: now)." };
        var days = new Option<int?>("--days") { Description = $"Days back including today, when --from is not given (default {ReportWindow.DefaultDays})." };
        var json = new Option<bool>("--json") { Description = "Print the report as JSON (the same document as GET /admin/report)." };
        var csv = new Option<bool>("--csv") { Description = "Print the splits as CSV." };
        var command = new Command("report", "Savings report: cost as routed vs the all-frontier baseline, by team, alias, task category and data class, with planner verdicts.")
        {
            dataDir, config, from, to, days, json, csv,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var stdout = parse.InvocationConfiguration.Output;
            var stderr = parse.InvocationConfiguration.Error;
            var (window, windowError) = ReportWindow.Parse(parse.GetValue(from), parse.GetValue(to), parse.GetValue(days), time.GetUtcNow());
            if (window is null)
            {
                await stderr.WriteLineAsync("switchyard report: " + windowError);
                return 2;
            }

            var configPath = parse.GetValue(config)!;
            var table = Compile(configPath, environment, stderr);
            if (table is null)
            {
                return 2;
            }

            var (opened, error) = await LedgerFile.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            if (opened is null)
            {
                await stderr.WriteLineAsync(error);
                return 1;
            }

            using var store = opened;
            var report = await window.BuildAsync(store, table, cancellationToken);
            await stdout.WriteAsync(parse.GetValue(json) ? SavingsReportWriter.Json(report) + "\n"
                : parse.GetValue(csv) ? SavingsReportWriter.Csv(report)
                : SavingsReportWriter.Text(report));
            return 0;
        });
        return command;
    }

    private static RouteTable? Compile(string path, Func<string, string?> environment, TextWriter errors)
    {
        var (config, loadErrors) = ConfigLoader.LoadFile(path);
        IReadOnlyList<ConfigError> problems = loadErrors;
        if (problems.Count == 0)
        {
            IProviderAdapterFactory[] factories = [new OpenAIAdapterFactory(TimeProvider.System), new AnthropicAdapterFactory(TimeProvider.System), new GeminiAdapterFactory(TimeProvider.System), .. CloudFactories.All(TimeProvider.System), new SimulatedAdapterFactory(TimeProvider.System, SharedRandomSource.Instance)];
            try
            {
                return new RouteTableCompiler(factories, TimeProvider.System, environment).Compile(config);
            }
            catch (ConfigException ex)
            {
                problems = ex.Errors;
            }
        }

        errors.WriteLine($"switchyard report: {path}: {problems.Count} error(s) (the report needs the configured models; pass --config)");
        foreach (var error in problems)
        {
            errors.WriteLine("  " + error);
        }

        return null;
    }
}
