using System.Collections.Frozen;

namespace Switchyard.Core.Model;

/// <summary>How Route orders the candidates that passed the hard constraints.</summary>
public enum RouteObjective
{
    /// <summary>The alias's configured weights (canary splits): the order of the spine.</summary>
    Weighted,

    /// <summary>The cheapest candidate whose predicted quality reaches the task's threshold; if none does, the best-predicted.</summary>
    CheapestQualifying,

    /// <summary>The lowest expected latency (EWMA time to first token + output tokens at the EWMA rate).</summary>
    Fastest,

    /// <summary>The highest predicted quality.</summary>
    Best,

    /// <summary>
    /// The best value: the highest <c>quality − λ · estimated cost</c>, with λ the caller's quality per dollar
    /// (<see cref="QualityThresholds.QualityPerDollar"/>). A dearer model wins only where its predicted gain pays for
    /// its extra cost at that rate (a Lagrangian, budget-constrained pick).
    /// </summary>
    Value,
}

/// <summary>Names of <see cref="RouteObjective"/> as written in config, headers and the ledger.</summary>
public static class RouteObjectives
{
    public static readonly string[] Names = ["weighted", "cheapest-qualifying", "fastest", "best", "value"];

    public static string Name(RouteObjective objective) => Names[(int)objective];

    public static bool TryParse(string? text, out RouteObjective objective)
    {
        var index = Array.IndexOf(Names, text?.Trim().ToLowerInvariant());
        objective = index < 0 ? default : (RouteObjective)index;
        return index >= 0;
    }
}

/// <summary>
/// The quality side of an objective's policy: the minimum predicted quality per task category for
/// <see cref="RouteObjective.CheapestQualifying"/> (a default and optional per-category values), and the price of
/// quality for <see cref="RouteObjective.Value"/>.
/// </summary>
public sealed record QualityThresholds(double Default, FrozenDictionary<TaskCategory, double> PerCategory)
{
    /// <summary>Default λ of <see cref="RouteObjective.Value"/>, quality points per dollar (tuned on a dev fold, docs/routing.md).</summary>
    public const double StandardQualityPerDollar = 200;

    /// <summary>The product's default when neither alias nor key sets one.</summary>
    public static readonly QualityThresholds Standard = new(0.7, FrozenDictionary<TaskCategory, double>.Empty);

    /// <summary>
    /// λ of <see cref="RouteObjective.Value"/>: how much predicted quality (0–1 per request) one dollar of estimated
    /// cost is worth. 0 ignores cost (as <c>best</c>); larger values favour cheaper models.
    /// </summary>
    public double QualityPerDollar { get; init; } = StandardQualityPerDollar;

    public double For(TaskCategory category) => PerCategory.TryGetValue(category, out var t) ? t : Default;
}

/// <summary>What the request itself asked of Route (headers), applied only within the caller's policy.</summary>
/// <param name="Objective"><c>x-switchyard-objective</c>.</param>
/// <param name="MinQuality"><c>x-switchyard-min-quality</c>: may raise the threshold, never lower it.</param>
/// <param name="QualityPerDollar"><c>x-switchyard-quality-per-dollar</c>: may lower λ (value quality more), never raise it.</param>
public sealed record RouteOverrides(RouteObjective? Objective, double? MinQuality, double? QualityPerDollar = null)
{
    public static readonly RouteOverrides None = new(null, null);
}
