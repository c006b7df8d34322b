using System.Globalization;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
namespace Switchyard.Pipeline;

/// <summary>
/// The per-request routing headers: <c>x-switchyard-objective</c>
/// (cheapest-qualifying, fastest, best, value, weighted), <c>x-switchyard-min-quality</c> (0–1, may only raise the
/// threshold) and <c>x-switchyard-quality-per-dollar</c> (λ of <c>value</c>, ≥ 0, may only lower the policy's). Route
/// applies them within the caller's policy; a malformed value is a 400 naming the header.
/// </summary>
internal static class RouteHeaders
{
    public const string ObjectiveHeader = "x-switchyard-objective";
    public const string MinQualityHeader = "x-switchyard-min-quality";
    public const string QualityPerDollarHeader = "x-switchyard-quality-per-dollar";

    public static (RouteOverrides Overrides, Problem? Error) Read(HttpRequest request)
    {
        RouteObjective? objective = null;
        double? minQuality = null;
        double? qualityPerDollar = null;
        if (request.Headers.TryGetValue(ObjectiveHeader, out var o) && o.ToString() is { Length: > 0 } text)
        {
            if (!RouteObjectives.TryParse(text, out var parsed))
            {
                return (RouteOverrides.None, new Problem(400, "invalid_header", $"Invalid {ObjectiveHeader} header: use {string.Join(", ", RouteObjectives.Names)}.") { Param = ObjectiveHeader });
            }

            objective = parsed;
        }

        if (request.Headers.TryGetValue(MinQualityHeader, out var q) && q.ToString() is { Length: > 0 } number)
        {
            if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value is < 0 or > 1 || double.IsNaN(value))
            {
                return (RouteOverrides.None, new Problem(400, "invalid_header", $"Invalid {MinQualityHeader} header: use a number between 0 and 1.") { Param = MinQualityHeader });
            }

            minQuality = value;
        }

        if (request.Headers.TryGetValue(QualityPerDollarHeader, out var l) && l.ToString() is { Length: > 0 } rate)
        {
            if (!double.TryParse(rate, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0 || !double.IsFinite(value))
            {
                return (RouteOverrides.None, new Problem(400, "invalid_header", $"Invalid {QualityPerDollarHeader} header: use a number of quality points per dollar, 0 or more.") { Param = QualityPerDollarHeader });
            }

            qualityPerDollar = value;
        }

        return objective is null && minQuality is null && qualityPerDollar is null
            ? (RouteOverrides.None, null)
            : (new RouteOverrides(objective, minQuality, qualityPerDollar), null);
    }
}
