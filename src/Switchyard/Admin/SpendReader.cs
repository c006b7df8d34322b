using Switchyard.Core.Common;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Core.Stores;
using Switchyard.Gate;
using Switchyard.Ledger;
namespace Switchyard.Admin;

/// <summary>Spend of one group (team, key or model) in the window.</summary>
internal sealed record SpendLineDto(string Name, long Requests, long InputTokens, long OutputTokens, decimal CostUsd, string Drill);

/// <summary>
/// One budget's period: the limit, what the budget counter holds (exact, as admission sees it), the day-by-day
/// burn-down from the aggregates, and a linear forecast to the period's end.
/// </summary>
internal sealed record BudgetDto(string Level, string Name, string Period, decimal LimitUsd, decimal SpentUsd, decimal ReservedUsd, DateTimeOffset PeriodStart,
    DateTimeOffset? PeriodEnd, decimal? ForecastUsd, bool WillOverrun, IReadOnlyList<long> Days, IReadOnlyList<decimal> Cumulative);

/// <summary><c>GET /admin/api/v1/spend</c>.</summary>
internal sealed record SpendDto(WindowDto Window, decimal TotalUsd, ChartDto ByModelOverTime, IReadOnlyList<SpendLineDto> ByTeam, IReadOnlyList<SpendLineDto> ByKey,
    IReadOnlyList<SpendLineDto> ByModel, IReadOnlyList<BudgetDto> Budgets, ChartDto Rejections);

/// <summary>Reads Spend &amp; budgets.</summary>
internal sealed class SpendReader
{
    private readonly AggregateReads _reads;
    private readonly TenantDirectory _tenants;
    private readonly IBudgetStore _budgets;
    private readonly TimeProvider _time;

    public SpendReader(AggregateReads reads, TenantDirectory tenants, IBudgetStore budgets, TimeProvider time)
    {
        _reads = reads;
        _tenants = tenants;
        _budgets = budgets;
        _time = time;
    }

    public async Task<SpendDto> ReadAsync(ConsoleQuery query, AdminPrincipal principal, CancellationToken cancellationToken)
    {
        var totals = await _reads.TotalsAsync(query, [AggregateDimension.Team, AggregateDimension.KeyName, AggregateDimension.ServedModel], cancellationToken);
        var series = await _reads.SeriesAsync(query, [AggregateDimension.ServedModel, AggregateDimension.Outcome], cancellationToken);
        List<SpendLineDto> By(int column, AggregateDimension dimension) =>
            [.. totals.GroupBy(r => r.Values[column], StringComparer.Ordinal).Select(g =>
            {
                var m = new AggregateMeasures();
                foreach (var r in g)
                {
                    m.Add(r.Measures);
                }

                return new SpendLineDto(ChartData.Label(g.Key), m[AggregateMeasures.Requests], m[AggregateMeasures.InputTokens], m[AggregateMeasures.OutputTokens],
                    m.CostUsd, ConsoleQuery.ParameterOf(dimension) + "=" + Uri.EscapeDataString(ChartData.Label(g.Key)));
            }).OrderByDescending(l => l.CostUsd).ThenBy(l => l.Name, StringComparer.Ordinal)];
        var rejections = series.Where(r => r.Values[1] is OutcomeClass.RateLimited or OutcomeClass.BudgetExceeded).ToList();
        return new SpendDto(ChartData.Window(query, _reads), totals.Sum(r => r.Measures.CostUsd),
            ChartData.Lines(query, _reads, series, 0, AggregateDimension.ServedModel, "usd", m => (double)m.CostUsd),
            By(0, AggregateDimension.Team), By(1, AggregateDimension.KeyName), By(2, AggregateDimension.ServedModel),
            await BudgetsAsync(principal, cancellationToken),
            ChartData.Lines(query, _reads, rejections.Select(r => r with { Values = [r.Values[1]] }).ToList(), 0, AggregateDimension.Outcome, "requests",
                m => m[AggregateMeasures.Requests]));
    }

    private async Task<IReadOnlyList<BudgetDto>> BudgetsAsync(AdminPrincipal principal, CancellationToken cancellationToken)
    {
        var snapshot = _tenants.Snapshot;
        var now = _time.GetUtcNow();
        var teams = snapshot.Teams.ToDictionary(t => t.Id);
        var budgets = new List<BudgetDto>();
        var scopes = new List<(TenantLevel Level, string Id, string Name, TenantPolicy Policy, AggregateDimension Dimension, string Value, DateTimeOffset Created)>();
        if (principal.Teams is null)
        {
            scopes.AddRange(snapshot.Organisations.Select(o => (TenantLevel.Organisation, o.Id, o.Name, o.Policy, AggregateDimension.Org, o.Name, o.CreatedAt)));
        }

        scopes.AddRange(snapshot.Teams.Where(t => principal.Sees(t.Name)).Select(t => (TenantLevel.Team, t.Id, t.Name, t.Policy, AggregateDimension.Team, t.Name, t.CreatedAt)));
        scopes.AddRange(snapshot.Keys.Where(k => k.IsActiveAt(now) && teams.TryGetValue(k.TeamId, out var team) && principal.Sees(team.Name))
            .Select(k => (TenantLevel.Key, k.Id, k.Name, k.Policy, AggregateDimension.KeyId, k.Hash.Length >= 12 ? k.Hash[..12] : k.Hash, k.CreatedAt)));
        foreach (var scope in scopes.Where(s => s.Policy.HasBudget))
        {
            var id = EffectivePolicy.Scope(scope.Level, scope.Id);
            var counters = await _budgets.ReadCountersAsync(id + "|", cancellationToken);
            foreach (var (period, limit) in new (BudgetPeriod, decimal?)[] { (BudgetPeriod.Day, scope.Policy.BudgetDailyUsd), (BudgetPeriod.Month, scope.Policy.BudgetMonthlyUsd), (BudgetPeriod.Total, scope.Policy.BudgetTotalUsd) })
            {
                if (limit is not { } usd)
                {
                    continue;
                }

                var counter = counters.FirstOrDefault(c => c.Counter == BudgetCounters.Counter(id, period, now));
                var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
                var (start, end) = period switch
                {
                    BudgetPeriod.Day => (today, (DateTimeOffset?)today.AddDays(1)),
                    BudgetPeriod.Month => (new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero), new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1)),
                    _ => (new DateTimeOffset(scope.Created.UtcDateTime.Date, TimeSpan.Zero), null),
                };
                var spent = Money.FromNanoUsd(counter?.SpentNanoUsd ?? 0);
                var (days, cumulative) = await BurnDownAsync(scope.Dimension, scope.Value, start, now, cancellationToken);
                decimal? forecast = null;
                if (end is { } e)
                {
                    var elapsed = (decimal)Math.Max((now - start).TotalHours, 1);
                    forecast = Math.Round(spent / elapsed * (decimal)(e - start).TotalHours, 6);
                }

                budgets.Add(new BudgetDto(EffectivePolicy.LevelName(scope.Level), scope.Name, period.ToString().ToLowerInvariant(), usd, spent,
                    Money.FromNanoUsd(counter?.ReservedNanoUsd ?? 0), start, end, forecast, forecast > usd || spent > usd, days, cumulative));
            }
        }

        return budgets;
    }

    /// <summary>Cumulative spend per UTC day of the period so far (the daily aggregates of that team, key or organisation).</summary>
    private async Task<(IReadOnlyList<long>, IReadOnlyList<decimal>)> BurnDownAsync(AggregateDimension dimension, string value, DateTimeOffset start, DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        var from = LedgerAggregator.DayOf(start.ToUnixTimeMilliseconds());
        var to = LedgerAggregator.DayOf(now.ToUnixTimeMilliseconds()) + LedgerAggregator.DayMs;
        if (to - from > 400 * LedgerAggregator.DayMs)
        {
            from = to - (400 * LedgerAggregator.DayMs);
        }

        var rows = await _reads.Analytics.ReadAggregatesAsync(new AggregateQuery(AggregateGrain.Day, from, to, [], true,
            AggregateFilter.None.With(dimension, [value])), cancellationToken);
        var byDay = rows.ToDictionary(r => r.BucketMs!.Value, r => r.Measures.CostUsd);
        var days = new List<long>();
        var cumulative = new List<decimal>();
        var sum = 0m;
        for (var d = from; d < to; d += LedgerAggregator.DayMs)
        {
            sum += byDay.GetValueOrDefault(d);
            days.Add(d);
            cumulative.Add(sum);
        }

        return (days, cumulative);
    }
}
