namespace Switchyard.Core.Common;

/// <summary>Costs are stored and counted as integer nano-dollars so sums are exact (ledger, budgets, reports).</summary>
public static class Money
{
    public static long ToNanoUsd(decimal usd) => (long)Math.Round(usd * 1_000_000_000m, MidpointRounding.AwayFromZero);

    public static decimal FromNanoUsd(long nano) => nano / 1_000_000_000m;
}
