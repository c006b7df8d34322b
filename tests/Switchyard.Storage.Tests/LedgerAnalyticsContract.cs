using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Core.Reports;
using Xunit;

namespace Switchyard.Storage.Tests;

/// <summary>
/// The aggregates and the console's reads, for every store: rows written with the ledger in the same batch, exact
/// against the records, never double-counted, and the request list's keyset pages agreeing with them.
/// </summary>
public abstract class LedgerAnalyticsContract : LedgerStoreContract
{
    private static readonly DateTimeOffset _t0 = new(2026, 3, 14, 22, 30, 0, TimeSpan.Zero);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The console's reads over the store under test.</summary>
    protected abstract ILedgerAnalytics Analytics { get; }

    /// <summary>Runs SQL on the store's database (to rewind a migration).</summary>
    protected abstract Task ExecuteSqlAsync(string sql);

    /// <summary>The version of the migration that created the aggregates.</summary>
    protected abstract int AggregatesMigration { get; }

    /// <summary>A varied day and a half of traffic: three teams, every outcome class, streams, fallbacks, exclusions, detections.</summary>
    protected static List<LedgerRecord> Traffic()
    {
        var records = new List<LedgerRecord>();
        for (var i = 0; i < 120; i++)
        {
            var outcome = (i % 11) switch
            {
                3 => LedgerOutcome.UpstreamFailed,
                5 => LedgerOutcome.Rejected,
                7 => LedgerOutcome.ClientDisconnected,
                9 => LedgerOutcome.StreamInterrupted,
                _ => LedgerOutcome.Success,
            };
            var served = outcome == LedgerOutcome.Rejected ? null : (i % 3 == 0 ? "llama-3.1-8b" : "gpt-4o");
            records.Add(Record($"t{i:D3}", _t0.AddMinutes(i * 17), key: $"k{i % 4}", model: i % 2 == 0 ? "auto" : "gpt-4o", served: served, outcome: outcome,
                usage: new Usage(100 + i, 10 + (i % 7), i % 5 == 0 ? 40 : 0, i % 13 == 0 ? 3 : 0), cost: 0.000001m * (i + 1)) with
            {
                Team = i % 3 == 0 ? null : $"team-{i % 3}",
                Org = "acme",
                HttpStatus = outcome switch
                {
                    LedgerOutcome.Success => 200,
                    LedgerOutcome.Rejected => i % 2 == 0 ? 429 : 403,
                    LedgerOutcome.ClientDisconnected => 499,
                    _ => i % 2 == 0 ? 429 : 502,
                },
                ErrorClass = outcome == LedgerOutcome.Rejected ? (i % 2 == 0 ? "budget_exceeded" : "data_class_forbidden") : null,
                DeploymentId = served is null ? null : served + "-dep",
                Provider = served is null ? null : "openai",
                TrustZone = served is null ? null : (served == "gpt-4o" ? "external" : "self-hosted"),
                DataClass = i % 4 == 0 ? "confidential" : "internal",
                Streamed = i % 2 == 1,
                TotalMs = 5 + (i * 37 % 900),
                UpstreamMs = 3 + (i * 37 % 800),
                OverheadMs = 0.25,
                BaselineCostUsd = i % 6 == 0 ? null : 0.00001m * (i + 1),
                TaskCategory = i % 5 == 0 ? null : "code",
                RouteObjective = i % 2 == 0 ? "cheapest-qualifying" : "weighted",
                PiiTypes = i % 8 == 0 ? "EMAIL,PHONE" : null,
                RouteExcluded = i % 10 == 0 ? """[{"deployment":"gpt-4o-dep","model":"gpt-4o","kind":"trust_zone","reason":"external zone not allowed"}]""" : null,
                Attempts = served is null ? [] : i % 4 == 1
                    ? [new AttemptRecord("other-dep", "UpstreamError", 500, 12.5), new AttemptRecord(served + "-dep", "Success", 200, 40)]
                    : [new AttemptRecord(served + "-dep", "Success", 200, 30 + i)],
            });
        }

        return records;
    }

    private static AggregateQuery Totals(AggregateGrain grain, params AggregateDimension[] groupBy) =>
        new(grain, 0, long.MaxValue, groupBy, false, AggregateFilter.None);

    [Fact]
    public async Task AppendAsync_Batches_AggregatesEqualTheRecordsHourlyAndDaily()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic[..50], Ct));
        await Run(Store.AppendAsync(traffic[50..], Ct));

        foreach (var grain in new[] { AggregateGrain.Hour, AggregateGrain.Day })
        {
            var rows = await Run(Analytics.ReadAggregatesAsync(Totals(grain, AggregateDimension.Team, AggregateDimension.Outcome), Ct));
            foreach (var group in traffic.GroupBy(r => (r.Team ?? "", OutcomeClass.Of(r.Outcome, r.HttpStatus, r.ErrorClass))))
            {
                var row = Assert.Single(rows, r => r.Values[0] == group.Key.Item1 && r.Values[1] == group.Key.Item2);
                Assert.Equal(group.Count(), row.Measures[AggregateMeasures.Requests]);
                Assert.Equal(group.Sum(r => r.CostUsd), row.Measures.CostUsd);
                Assert.Equal(group.Sum(r => (long)r.Usage.InputTokens), row.Measures[AggregateMeasures.InputTokens]);
                Assert.Equal(group.Sum(r => r.BaselineCostUsd ?? r.CostUsd), row.Measures.BaselineUsd);
                Assert.Equal(group.Count(r => r.BaselineCostUsd is null), row.Measures[AggregateMeasures.NoBaseline]);
                Assert.Equal(group.Sum(r => r.TotalMs), row.Measures.Doubles[AggregateMeasures.TotalMs], 6);
                Assert.Equal(group.Count(), row.Measures.Latency.ToArray().Sum());
            }

            Assert.Equal(traffic.GroupBy(r => (r.Team ?? "", OutcomeClass.Of(r.Outcome, r.HttpStatus, r.ErrorClass))).Count(), rows.Count);
        }

        var hours = await Run(Analytics.ReadAggregatesAsync(new AggregateQuery(AggregateGrain.Hour, 0, long.MaxValue, [], true, AggregateFilter.None), Ct));
        Assert.Equal(traffic.GroupBy(r => LedgerAggregator.HourOf(r.Timestamp.ToUnixTimeMilliseconds())).Select(g => (g.Key, (long)g.Count())).OrderBy(p => p.Key),
            hours.Select(h => (h.BucketMs!.Value, h.Measures[AggregateMeasures.Requests])));
        var days = await Run(Analytics.ReadAggregatesAsync(new AggregateQuery(AggregateGrain.Day, 0, long.MaxValue, [], true, AggregateFilter.None), Ct));
        Assert.Equal(traffic.GroupBy(r => LedgerAggregator.DayOf(r.Timestamp.ToUnixTimeMilliseconds())).Select(g => (g.Key, (long)g.Count())).OrderBy(p => p.Key),
            days.Select(d => (d.BucketMs!.Value, d.Measures[AggregateMeasures.Requests])));
    }

    [Fact]
    public async Task AppendAsync_DuplicateIds_CountedOnceInTheAggregates()
    {
        await Run(Store.AppendAsync([Record("a", cost: 1m), Record("b", cost: 2m), Record("a", cost: 50m)], Ct));
        await Run(Store.AppendAsync([Record("b", cost: 70m), Record("c", cost: 4m)], Ct));

        var total = Assert.Single(await Run(Analytics.ReadAggregatesAsync(Totals(AggregateGrain.Day), Ct)));

        Assert.Equal(3, total.Measures[AggregateMeasures.Requests]);
        Assert.Equal(7m, total.Measures.CostUsd);
    }

    [Fact]
    public async Task ReadAggregatesAsync_Filters_KeepOnlyMatchingRows()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic, Ct));
        var filter = AggregateFilter.None.With(AggregateDimension.Team, ["team-1", ""]).With(AggregateDimension.TrustZone, ["external"]);

        var total = Assert.Single(await Run(Analytics.ReadAggregatesAsync(new AggregateQuery(AggregateGrain.Hour, 0, long.MaxValue, [], false, filter), Ct)));

        Assert.Equal(traffic.Count(r => (r.Team is null || r.Team == "team-1") && r.TrustZone == "external"), total.Measures[AggregateMeasures.Requests]);
    }

    [Fact]
    public async Task ReadEventsAsync_ExclusionsDetectionsAndAttempts_CountedPerRecord()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic, Ct));

        var exclusions = await Run(Analytics.ReadEventsAsync(new EventQuery(AggregateEventKind.Exclusion, 0, long.MaxValue, ["detail"], false), Ct));
        var detections = await Run(Analytics.ReadEventsAsync(new EventQuery(AggregateEventKind.Detection, 0, long.MaxValue, ["subject"], false), Ct));
        var attempts = await Run(Analytics.ReadEventsAsync(new EventQuery(AggregateEventKind.Attempt, 0, long.MaxValue, ["subject", "detail"], false), Ct));

        Assert.Equal(traffic.Count(r => r.RouteExcluded is not null), Assert.Single(exclusions, e => e.Values[0] == "trust_zone").Count);
        Assert.Equal(traffic.Count(r => r.PiiTypes is not null), Assert.Single(detections, e => e.Values[0] == "EMAIL").Count);
        var failed = Assert.Single(attempts, e => e.Values[0] == "other-dep");
        Assert.Equal(traffic.Count(r => r.Attempts.Any(a => a.DeploymentId == "other-dep")), failed.Count);
        Assert.Equal(12.5 * failed.Count, failed.SumMs, 6);
        Assert.Equal(traffic.Where(r => r.Attempts.Any(a => a.DeploymentId == "other-dep")).Max(r => r.Timestamp.ToUnixTimeMilliseconds()), failed.LastMs);
    }

    [Fact]
    public async Task AggregateForReportAsync_WindowsWithPartialHours_EqualTheRecords()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic, Ct));
        var windows = new[]
        {
            (_t0.AddMinutes(-5), _t0.AddHours(40)),
            (_t0.AddMinutes(13), _t0.AddMinutes(50)),
            (_t0.AddMinutes(31), _t0.AddHours(26).AddMinutes(7)),
            (new DateTimeOffset(_t0.Date, TimeSpan.Zero), new DateTimeOffset(_t0.Date.AddDays(2), TimeSpan.Zero)),
        };

        foreach (var (from, to) in windows)
        {
            var rows = await Run(Store.AggregateForReportAsync(from, to, Ct));
            var inside = traffic.Where(r => r.Timestamp >= from && r.Timestamp < to).ToList();
            Assert.Equal(inside.Count, rows.Sum(r => r.Requests));
            Assert.Equal(inside.Sum(r => r.CostUsd), rows.Sum(r => r.CostUsd));
            Assert.Equal(inside.Sum(r => r.BaselineCostUsd ?? r.CostUsd), rows.Sum(r => r.BaselineCostUsd));
            Assert.Equal(inside.Count(r => r.Outcome != LedgerOutcome.Success), rows.Sum(r => r.Failures));
            Assert.Equal(inside.Count(r => r.BaselineCostUsd is null), rows.Sum(r => r.RequestsWithoutBaseline));
            Assert.Equal(inside.GroupBy(r => (r.Team, r.RequestedModel, r.TaskCategory, r.DataClass, r.ServedModel)).Count(), rows.Count);
        }
    }

    [Fact]
    public async Task ListRequestsAsync_KeysetPages_EveryMatchingRowOnceNewestFirst()
    {
        var traffic = Traffic();
        // Same-millisecond rows: the cursor must break ties by id.
        traffic.AddRange(Enumerable.Range(0, 7).Select(i => Record($"same-{i}", _t0.AddHours(3))));
        await Run(Store.AppendAsync(traffic, Ct));

        var seen = new List<LedgerRecord>();
        RequestCursor? cursor = null;
        var pages = 0;
        do
        {
            var page = await Run(Analytics.ListRequestsAsync(new RequestQuery { FromMs = 0, ToMs = long.MaxValue, Limit = 9, After = cursor }, Ct));
            Assert.True(page.Rows.Count <= 9);
            seen.AddRange(page.Rows);
            cursor = page.Next;
            pages++;
        }
        while (cursor is not null && pages < 100);

        Assert.Equal(traffic.Count, seen.Count);
        Assert.Equal(traffic.OrderByDescending(r => r.Timestamp).ThenByDescending(r => r.RequestId, StringComparer.Ordinal).Select(r => r.RequestId),
            seen.Select(r => r.RequestId));
    }

    [Fact]
    public async Task ListRequestsAsync_FilterByEveryOutcomeAndPrivacyAction_MatchesTheAggregates()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic, Ct));
        var byOutcome = await Run(Analytics.ReadAggregatesAsync(Totals(AggregateGrain.Day, AggregateDimension.Outcome), Ct));
        var byAction = await Run(Analytics.ReadAggregatesAsync(Totals(AggregateGrain.Day, AggregateDimension.PrivacyAction), Ct));

        foreach (var (dimension, names, rows) in new[] { (AggregateDimension.Outcome, OutcomeClass.All, byOutcome),
            (AggregateDimension.PrivacyAction, (IReadOnlyList<string>)[PrivacyAction.Allow, PrivacyAction.Block, PrivacyAction.Redact, PrivacyAction.Reroute], byAction) })
        {
            foreach (var name in names)
            {
                var page = await Run(Analytics.ListRequestsAsync(new RequestQuery
                {
                    FromMs = 0,
                    ToMs = long.MaxValue,
                    Limit = 500,
                    Filter = AggregateFilter.None.With(dimension, [name]),
                }, Ct));
                var expected = rows.SingleOrDefault(r => r.Values[0] == name)?.Measures[AggregateMeasures.Requests] ?? 0;
                Assert.True(expected == page.Rows.Count, $"{dimension} {name}: aggregates {expected}, list {page.Rows.Count}");
            }
        }

        Assert.Contains(byOutcome, r => r.Values[0] == OutcomeClass.BudgetExceeded);
        Assert.Contains(byAction, r => r.Values[0] == PrivacyAction.Reroute);
    }

    [Fact]
    public async Task ListRequestsAsync_RangesAndRequestId_Filter()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic, Ct));

        var costly = await Run(Analytics.ListRequestsAsync(new RequestQuery { FromMs = 0, ToMs = long.MaxValue, Limit = 500, MinCostUsd = 0.0001m, MaxLatencyMs = 500 }, Ct));
        var one = await Run(Analytics.ListRequestsAsync(new RequestQuery { FromMs = 0, ToMs = long.MaxValue, RequestId = "t007" }, Ct));

        Assert.Equal(traffic.Count(r => r.CostUsd >= 0.0001m && r.TotalMs <= 500), costly.Rows.Count);
        Assert.Equal("t007", Assert.Single(one.Rows).RequestId);
    }

    [Fact]
    public async Task InitializeAsync_RowsStoredBeforeTheAggregatesExisted_Backfilled()
    {
        var traffic = Traffic();
        await Run(Store.AppendAsync(traffic, Ct));
        var before = await Run(Analytics.ReadAggregatesAsync(Totals(AggregateGrain.Hour, AggregateDimension.Team, AggregateDimension.Outcome), Ct));
        // Rewind the migration: the tables, the new columns and the index as they were before it.
        await ExecuteSqlAsync($"DROP TABLE {AggregateSchema.Hourly}; DROP TABLE {AggregateSchema.Daily}; DROP TABLE {AggregateSchema.Events}; " +
            "DROP INDEX ix_ledger_ts_id; CREATE INDEX ix_ledger_ts ON ledger (ts_unix_ms); ALTER TABLE ledger DROP COLUMN trust_zone; " +
            $"ALTER TABLE ledger DROP COLUMN route_excluded; DELETE FROM schema_migrations WHERE version = {AggregatesMigration}");

        await Run(Store.InitializeAsync(Ct));

        var after = await Run(Analytics.ReadAggregatesAsync(Totals(AggregateGrain.Hour, AggregateDimension.Team, AggregateDimension.Outcome), Ct));
        Assert.Equal(before.Select(r => (r.Values[0], r.Values[1], r.Measures[AggregateMeasures.Requests], r.Measures.CostUsd)),
            after.Select(r => (r.Values[0], r.Values[1], r.Measures[AggregateMeasures.Requests], r.Measures.CostUsd)));
    }

    [Fact]
    public async Task SizeBytesAsync_AfterWrites_IsPositive()
    {
        await Run(Store.AppendAsync(Traffic(), Ct));

        Assert.True(await Run(Analytics.SizeBytesAsync(Ct)) > 0);
    }
}
