using Switchyard.Core.Planning;

namespace Switchyard.Core.Reports;

/// <summary>The fixed conventions of every plan; printed with its output so the figures can be checked by hand.</summary>
public static class PlanConventions
{
    /// <summary>Hours in a billing month.</summary>
    public const decimal HoursPerMonth = 730m;

    /// <summary>Days in a month (365 ÷ 12, rounded).</summary>
    public const decimal DaysPerMonth = 30.42m;

    /// <summary>Seconds in a day.</summary>
    public const decimal SecondsPerDay = 86_400m;

    /// <summary>Prices older than this many days are reported as stale.</summary>
    public const int StalePriceDays = 90;

    /// <summary>The conventions as lines of text.</summary>
    public static IReadOnlyList<string> Describe(decimal peakFactor) =>
    [
        "730 hours and 30.42 days per month; monthly tokens = tokens/day × 30.42.",
        "Blended API $/M for input:output ratio r = (r × input + output) ÷ (r + 1); cached input tokens are priced at the cached-input price.",
        $"Peak tokens/s = tokens/day × peak factor ({peakFactor.ToString(System.Globalization.CultureInfo.InvariantCulture)}) ÷ 86,400.",
        "Self-hosted $/month = replicas × GPUs/replica × $/GPU-hour × 730 + staff + fixed; replicas = max(min, ceil(peak tokens/s ÷ (replica tokens/s × utilisation))): a step function, not a rate.",
        "Self-hosted $/M at target utilisation = GPUs/replica × $/GPU-hour × 730 ÷ (replica tokens/s × utilisation × 86,400 × 30.42) × 10^6 (GPU cost only; staff and fixed excluded).",
        "Break-even T* (tokens/day): API $/month = self-hosted $/month, solved per replica count k and kept only when T* fits k replicas' usable capacity (k × replica tokens/s × utilisation × 86,400 ÷ peak factor); the smallest such T* is reported with its k.",
    ];
}
