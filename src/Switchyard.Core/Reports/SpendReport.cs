using System.Globalization;
using System.Text;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Core.Planning;
namespace Switchyard.Core.Reports;

/// <summary>A dimension spend can be grouped by.</summary>
public enum SpendDimension
{
    Day,
    Org,
    Team,
    Key,
    Model,
}

/// <summary>One group of a spend report: the values of its dimensions and exact sums.</summary>
public sealed record SpendGroup(IReadOnlyList<string> Keys, long Requests, long InputTokens, long OutputTokens, long CachedTokens, long CacheWriteTokens,
    decimal CostUsd, long Failures);

/// <summary>
/// Spend by any combination of day, organisation, team, key and model (<c>switchyard usage --by</c>,
/// <c>GET /admin/spend?by=</c>), from the store's <see cref="SpendRow"/>s (live rows and daily roll-ups alike).
/// </summary>
public static class SpendReport
{
    /// <summary>Parses <c>team,model</c> style lists; null and an error for an unknown name.</summary>
    public static (IReadOnlyList<SpendDimension>? Dimensions, string? Error) ParseDimensions(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return ([SpendDimension.Day, SpendDimension.Key, SpendDimension.Model], null);
        }

        var list = new List<SpendDimension>();
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            SpendDimension? d = part.ToLowerInvariant() switch
            {
                "day" => SpendDimension.Day,
                "org" or "organisation" or "organization" => SpendDimension.Org,
                "team" => SpendDimension.Team,
                "key" => SpendDimension.Key,
                "model" => SpendDimension.Model,
                _ => null,
            };
            if (d is null)
            {
                return (null, $"unknown grouping '{part}' (use day, org, team, key, model, comma-separated)");
            }

            if (!list.Contains(d.Value))
            {
                list.Add(d.Value);
            }
        }

        return (list, null);
    }

    public static IReadOnlyList<SpendGroup> Group(IEnumerable<SpendRow> rows, IReadOnlyList<SpendDimension> by)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(by);
        return [.. rows
            .GroupBy(r => string.Join('\u001f', by.Select(d => Value(r, d))), StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g =>
            {
                var first = g.First();
                return new SpendGroup([.. by.Select(d => Value(first, d))], g.Sum(r => r.Requests), g.Sum(r => r.InputTokens), g.Sum(r => r.OutputTokens),
                    g.Sum(r => r.CachedTokens), g.Sum(r => r.CacheWriteTokens), g.Sum(r => r.CostUsd), g.Sum(r => r.Failures));
            })];
    }

    public static string Csv(IReadOnlyList<SpendGroup> groups, IReadOnlyList<SpendDimension> by)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(by);
        var text = new StringBuilder();
        text.Append(string.Join(',', by.Select(Name))).Append(",requests,input_tokens,output_tokens,cached_tokens,cache_write_tokens,cost_usd,failures\n");
        foreach (var g in groups)
        {
            text.Append(string.Join(',', g.Keys.Select(Common.Csv.Escape))).Append(',')
                .Append(string.Join(',', g.Requests, g.InputTokens, g.OutputTokens, g.CachedTokens, g.CacheWriteTokens,
                    g.CostUsd.ToString("0.#########", CultureInfo.InvariantCulture), g.Failures)).Append('\n');
        }

        return text.ToString();
    }

    public static string Name(SpendDimension d) => d switch
    {
        SpendDimension.Day => "day",
        SpendDimension.Org => "org",
        SpendDimension.Team => "team",
        SpendDimension.Key => "key",
        _ => "model",
    };

    private static string Value(SpendRow r, SpendDimension d) => d switch
    {
        SpendDimension.Day => r.Day,
        SpendDimension.Org => r.Org,
        SpendDimension.Team => r.Team,
        SpendDimension.Key => r.KeyName,
        _ => r.Model,
    };
}
