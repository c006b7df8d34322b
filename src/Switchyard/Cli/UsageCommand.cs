using System.CommandLine;
using System.Globalization;
using Switchyard.Common;
using Switchyard.Ledger;
using Switchyard.Storage.Sqlite;

namespace Switchyard.Cli;

/// <summary><c>switchyard usage</c>: spend by day, key and model from the ledger.</summary>
internal static class UsageCommand
{
    public static Command Create()
    {
        var dataDir = new Option<string>("--data-dir") { Description = "Directory of the embedded store.", DefaultValueFactory = _ => "data" };
        var days = new Option<int>("--days") { Description = "How many days back (including today).", DefaultValueFactory = _ => 30 };
        var csv = new Option<bool>("--csv") { Description = "Print CSV instead of a table." };
        var command = new Command("usage", "Print spend by day, key and model from the ledger.") { dataDir, days, csv };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var (opened, error) = await LedgerFile.OpenAsync(parse.GetValue(dataDir)!, cancellationToken);
            if (opened is null)
            {
                await Console.Error.WriteLineAsync(error);
                return 1;
            }

            using var store = opened;
            var now = TimeProvider.System.GetUtcNow();
            var from = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1 - parse.GetValue(days));
            var rows = await store.SummarizeAsync(from, now.AddSeconds(1), cancellationToken);
            Print(rows, parse.GetValue(csv), Console.Out);
            return 0;
        });
        return command;
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
