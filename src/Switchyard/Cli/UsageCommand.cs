using System.CommandLine;
using System.Globalization;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Ledger;
namespace Switchyard.Cli;

/// <summary>
/// <c>switchyard usage</c>: spend by day, key and model from the ledger (live rows and rolled-up days alike), or by
/// any grouping of day, org, team, key and model with <c>--by</c>; <c>--database</c> reads a PostgreSQL store.
/// </summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var store = new StoreOptions();
        var days = new Option<int>("--days") { Description = "How many days back (including today).", DefaultValueFactory = _ => 30 };
        var csv = new Option<bool>("--csv") { Description = "Print CSV instead of a table." };
        var by = new Option<string?>("--by") { Description = "Group by any of day, org, team, key, model (comma-separated), e.g. --by team,model." };
        var command = new Command("usage", "Print spend by day, key and model (or --by org/team/key/model/day) from the ledger.") { days, csv, by };
        store.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (dimensions, byError) = SpendReport.ParseDimensions(parse.GetValue(by));
            if (dimensions is null)
            {
                await Console.Error.WriteLineAsync("--by: " + byError);
                return 1;
            }

            var (opened, error) = await store.OpenAsync(parse, create: false, Environment.GetEnvironmentVariable, cancellationToken);
            if (opened is null)
            {
                await Console.Error.WriteLineAsync(error);
                return 1;
            }

            await using (opened)
            {
                var now = TimeProvider.System.GetUtcNow();
                var from = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - parse.GetValue(days));
                if (parse.GetValue(by) is null)
                {
                    Print(await opened.Ledger.SummarizeAsync(from, now.AddSeconds(1), cancellationToken), parse.GetValue(csv), Console.Out);
                    return 0;
                }

                var groups = SpendReport.Group(await opened.Ledger.SpendAsync(from, now.AddSeconds(1), cancellationToken), dimensions);
                PrintGroups(groups, dimensions, parse.GetValue(csv), Console.Out);
                return 0;
            }
        });
        return command;
    }

    public static void PrintGroups(IReadOnlyList<SpendGroup> groups, IReadOnlyList<SpendDimension> by, bool csv, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(output);
        if (csv)
        {
            output.Write(SpendReport.Csv(groups, by));
            return;
        }

        output.WriteLine(string.Join("  ", by.Select(d => $"{SpendReport.Name(d),-20}")) + $"  {"requests",8}  {"input tok",10}  {"output tok",10}  {"cost USD",12}  {"failed",6}");
        foreach (var g in groups)
        {
            output.WriteLine(string.Join("  ", g.Keys.Select(k => $"{Fit(k.Length == 0 ? "-" : k, 20),-20}")) +
                $"  {g.Requests,8}  {g.InputTokens,10}  {g.OutputTokens,10}  {g.CostUsd,12:0.000000}  {g.Failures,6}");
        }

        output.WriteLine(string.Join("  ", by.Select((_, i) => $"{(i == 0 ? "total" : ""),-20}")) +
            $"  {groups.Sum(g => g.Requests),8}  {groups.Sum(g => g.InputTokens),10}  {groups.Sum(g => g.OutputTokens),10}  {groups.Sum(g => g.CostUsd),12:0.000000}  {groups.Sum(g => g.Failures),6}");
    }

    public static void Print(IReadOnlyList<UsageSummaryRow> rows, bool csv, TextWriter output)
    {
        if (csv)
        {
            output.WriteLine("day,key,model,requests,input_tokens,output_tokens,cached_tokens,cost_usd,failures");
            foreach (var r in rows)
            {
                output.WriteLine(string.Join(',', r.Day, Csv.Escape(r.KeyName), Csv.Escape(r.Model), r.Requests, r.InputTokens, r.OutputTokens, r.CachedTokens,
                    r.CostUsd.ToString("0.#########", CultureInfo.InvariantCulture), r.Failures));
            }

            return;
        }

        output.WriteLine($"{"day",-10}  {"key",-16}  {"model",-24}  {"requests",8}  {"input tok",10}  {"output tok",10}  {"cost USD",12}  {"failed",6}");
        foreach (var r in rows)
        {
            output.WriteLine($"{r.Day,-10}  {Fit(r.KeyName, 16),-16}  {Fit(r.Model, 24),-24}  {r.Requests,8}  {r.InputTokens,10}  {r.OutputTokens,10}  {r.CostUsd,12:0.000000}  {r.Failures,6}");
        }

        output.WriteLine($"{"total",-10}  {"",-16}  {"",-24}  {rows.Sum(r => r.Requests),8}  {rows.Sum(r => r.InputTokens),10}  {rows.Sum(r => r.OutputTokens),10}  {rows.Sum(r => r.CostUsd),12:0.000000}  {rows.Sum(r => r.Failures),6}");
    }

    private static string Fit(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";
}
