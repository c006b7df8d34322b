using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Gate;

/// <summary>
/// The rules one level of the tenancy (organisation, team or key) sets. Every field is optional: null means
/// "this level does not restrict it". A request must satisfy the policy of its key, its team and its
/// organisation at once (<see cref="EffectivePolicy"/>), so the effective rule is always the most restrictive.
/// </summary>
public sealed record TenantPolicy
{
    public static readonly TenantPolicy None = new();

    /// <summary>Model and alias names this level may use; null means all.</summary>
    public IReadOnlyList<string>? AllowedModels { get; init; }

    /// <summary>Trust zones this level's requests may reach; null means all.</summary>
    public IReadOnlyList<TrustZone>? AllowedZones { get; init; }

    /// <summary>The lowest data class any request of this level gets.</summary>
    public DataClass? DataClassFloor { get; init; }

    /// <summary>Spend limit per UTC day, in USD, for this level's traffic as a whole.</summary>
    public decimal? BudgetDailyUsd { get; init; }

    /// <summary>Spend limit per UTC calendar month, in USD.</summary>
    public decimal? BudgetMonthlyUsd { get; init; }

    /// <summary>Spend limit over the level's lifetime, in USD.</summary>
    public decimal? BudgetTotalUsd { get; init; }

    /// <summary>Requests per minute for this level's traffic as a whole.</summary>
    public int? RequestsPerMinute { get; init; }

    /// <summary>Tokens (input + output) per minute.</summary>
    public int? TokensPerMinute { get; init; }

    /// <summary>Requests in flight at once.</summary>
    public int? MaxConcurrent { get; init; }

    /// <summary>Name of the routing objective used when the request names none; the most specific level wins.</summary>
    public string? Objective { get; init; }

    /// <summary>Key level only: the key may also call the admin API (an admin key, besides the master key).</summary>
    public bool? AdminApi { get; init; }

    /// <summary>
    /// Output tokens a budget reservation assumes for a request that sets no <c>max_tokens</c>, on a model whose
    /// catalog entry sets no <c>reserved_output_tokens</c>; the most specific level wins (docs/tenancy.md).
    /// </summary>
    public int? ReservedOutputTokens { get; init; }

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasBudget => BudgetDailyUsd is not null || BudgetMonthlyUsd is not null || BudgetTotalUsd is not null;

    [System.Text.Json.Serialization.JsonIgnore]
    public bool HasRateLimit => RequestsPerMinute is not null || TokensPerMinute is not null || MaxConcurrent is not null;
}

/// <summary>Which level of the tenancy a policy, budget or limit belongs to.</summary>
public enum TenantLevel
{
    Organisation,
    Team,
    Key,
}

/// <summary>One level's budget over one period, with the counter that tracks it.</summary>
/// <param name="Scope">Counter scope, e.g. <c>team:t_123</c>.</param>
/// <param name="Label">Human name for errors, e.g. <c>team 'search' daily budget</c>.</param>
/// <param name="Period">Which period the limit covers.</param>
/// <param name="LimitUsd">The limit.</param>
public sealed record BudgetLimit(string Scope, string Label, BudgetPeriod Period, decimal LimitUsd);

/// <summary>The period a budget covers; counters roll over at UTC day or month boundaries.</summary>
public enum BudgetPeriod
{
    Day,
    Month,
    Total,
}

/// <summary>One level's rate limits, counted for every request of that level's scope.</summary>
public sealed record RateLimit(string Scope, string Label, int? RequestsPerMinute, int? TokensPerMinute, int? MaxConcurrent);

/// <summary>
/// The policy a request runs under: the most restrictive combination of its organisation's, team's and key's.
/// Allowed sets intersect; the data-class floor is the highest; budgets and rate limits of every level apply,
/// each to its own level's traffic; the objective is the most specific one set.
/// </summary>
public sealed record EffectivePolicy
{
    public static readonly EffectivePolicy Unrestricted = new();

    public IReadOnlySet<string>? AllowedModels { get; init; }
    public IReadOnlySet<TrustZone>? AllowedZones { get; init; }
    public DataClass DataClassFloor { get; init; } = DataClass.Public;
    public IReadOnlyList<BudgetLimit> Budgets { get; init; } = [];
    public IReadOnlyList<RateLimit> RateLimits { get; init; } = [];
    public string? Objective { get; init; }

    /// <summary>The most specific level's <see cref="TenantPolicy.ReservedOutputTokens"/>; null when no level sets one.</summary>
    public int? ReservedOutputTokens { get; init; }

    /// <summary>Combines levels, most general first (organisation, team, key); any may be absent.</summary>
    public static EffectivePolicy Combine(params ReadOnlySpan<(TenantLevel Level, string Id, string Name, TenantPolicy? Policy)> levels)
    {
        HashSet<string>? models = null;
        HashSet<TrustZone>? zones = null;
        var floor = DataClass.Public;
        var budgets = new List<BudgetLimit>();
        var limits = new List<RateLimit>();
        string? objective = null;
        int? reserved = null;
        foreach (var (level, id, name, policy) in levels)
        {
            if (policy is null)
            {
                continue;
            }

            if (policy.AllowedModels is { } m && !(m.Count == 0 || m.Contains("*")))
            {
                if (models is null)
                {
                    models = new HashSet<string>(m, StringComparer.Ordinal);
                }
                else
                {
                    models.IntersectWith(m);
                }
            }

            if (policy.AllowedZones is { } z)
            {
                if (zones is null)
                {
                    zones = [.. z];
                }
                else
                {
                    zones.IntersectWith(z);
                }
            }

            if (policy.DataClassFloor is { } f && f > floor)
            {
                floor = f;
            }

            var scope = Scope(level, id);
            var label = LevelName(level) + " '" + name + "'";
            if (policy.BudgetDailyUsd is { } day)
            {
                budgets.Add(new BudgetLimit(scope, label + " daily budget", BudgetPeriod.Day, day));
            }

            if (policy.BudgetMonthlyUsd is { } month)
            {
                budgets.Add(new BudgetLimit(scope, label + " monthly budget", BudgetPeriod.Month, month));
            }

            if (policy.BudgetTotalUsd is { } total)
            {
                budgets.Add(new BudgetLimit(scope, label + " total budget", BudgetPeriod.Total, total));
            }

            if (policy.HasRateLimit)
            {
                limits.Add(new RateLimit(scope, label, policy.RequestsPerMinute, policy.TokensPerMinute, policy.MaxConcurrent));
            }

            objective = policy.Objective ?? objective;
            reserved = policy.ReservedOutputTokens ?? reserved;
        }

        return new EffectivePolicy
        {
            AllowedModels = models,
            AllowedZones = zones,
            DataClassFloor = floor,
            Budgets = budgets,
            RateLimits = limits,
            Objective = objective,
            ReservedOutputTokens = reserved,
        };
    }

    /// <summary>The counter scope of a level: <c>org:ID</c>, <c>team:ID</c>, <c>key:ID</c>.</summary>
    public static string Scope(TenantLevel level, string id) => level switch
    {
        TenantLevel.Organisation => "org:" + id,
        TenantLevel.Team => "team:" + id,
        _ => "key:" + id,
    };

    public static string LevelName(TenantLevel level) => level switch
    {
        TenantLevel.Organisation => "organisation",
        TenantLevel.Team => "team",
        _ => "key",
    };
}
