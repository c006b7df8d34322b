using System.Globalization;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Gate;

/// <summary>Budget counter ids: one per scope and period instance (UTC day, UTC month, or all time).</summary>
public static class BudgetCounters
{
    public static string Counter(string scope, BudgetPeriod period, DateTimeOffset now) => period switch
    {
        BudgetPeriod.Day => scope + "|d:" + now.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        BudgetPeriod.Month => scope + "|m:" + now.UtcDateTime.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        _ => scope + "|total",
    };

    /// <summary>The charges a request of <paramref name="caller"/> must fit in now; empty when it has no budget.</summary>
    public static IReadOnlyList<BudgetCharge> ChargesFor(Caller caller, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(caller);
        var budgets = caller.Policy.Budgets;
        if (budgets.Count == 0)
        {
            return [];
        }

        var charges = new BudgetCharge[budgets.Count];
        for (var i = 0; i < budgets.Count; i++)
        {
            var b = budgets[i];
            charges[i] = new BudgetCharge(Counter(b.Scope, b.Period, now), Money.ToNanoUsd(b.LimitUsd), b.Label);
        }

        // One order everywhere: PostgreSQL locks the rows in this order, so two reservations never deadlock.
        Array.Sort(charges, static (a, b) => string.CompareOrdinal(a.Counter, b.Counter));
        return charges;
    }
}
