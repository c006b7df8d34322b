using System.Globalization;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
using Switchyard.Core.Reports;
namespace Switchyard.Core.Reports;

/// <summary>
/// A planner workload derived from the traffic the gateway actually saw: tokens per day, input:output ratio and
/// cached-input share over a ledger window, optionally for one served model. Flags and files still override it.
/// </summary>
public static class LedgerWorkload
{
    /// <summary>
    /// Tokens/day = (input + output tokens in the window) ÷ the window's length in days; ratio = input ÷ output;
    /// cached share = cached input ÷ input. Returns an error when the window holds no usable traffic.
    /// </summary>
    public static (PlanSpec? Spec, string? Error) FromLedger(IReadOnlyList<LedgerReportRow> rows, ReportWindow window, string? servedModel)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(window);
        long requests = 0, input = 0, output = 0, cached = 0;
        foreach (var row in rows)
        {
            if (servedModel is not null && !string.Equals(row.ServedModel, servedModel, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            requests += row.Requests;
            input += row.InputTokens;
            output += row.OutputTokens;
            cached += row.CachedTokens;
        }

        var scope = servedModel is null ? "" : $" for served model '{servedModel}'";
        var span = string.Create(CultureInfo.InvariantCulture, $"{window.From:yyyy-MM-dd HH:mm} – {window.To:yyyy-MM-dd HH:mm} UTC");
        if (input + output == 0)
        {
            return (null, $"the ledger has no tokens{scope} in {span}");
        }

        if (output == 0)
        {
            return (null, $"the ledger has no output tokens{scope} in {span}, so the input:output ratio is undefined");
        }

        var days = (decimal)(window.To - window.From).TotalDays;
        var spec = new PlanSpec
        {
            TokensPerDay = Math.Round((input + output) / days, 2),
            InputOutputRatio = Math.Round((decimal)input / output, 4),
            CachedInputFraction = input == 0 ? 0m : Math.Round((decimal)cached / input, 4),
            Source = string.Create(CultureInfo.InvariantCulture,
                $"ledger{scope}, {span}: {requests:N0} requests, {input:N0} input + {output:N0} output tokens ({cached:N0} cached) over {days:0.##} days"),
        };
        return (spec, null);
    }
}
