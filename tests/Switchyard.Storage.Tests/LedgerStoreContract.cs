using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Xunit;

namespace Switchyard.Storage.Tests;

/// <summary>
/// The one behaviour every <see cref="ILedgerStore"/> must have. A store joins by subclassing and creating a
/// fresh, empty store in <see cref="CreateStoreAsync"/> (SQLite: a temp file; PostgreSQL: a throwaway schema).
/// </summary>
public abstract class LedgerStoreContract : IAsyncLifetime
{
    private static readonly TimeSpan _timeout = TimeSpan.FromSeconds(30);
    private static readonly DateTimeOffset _day1 = new(2026, 3, 14, 9, 26, 53, 589, TimeSpan.Zero);

    private ILedgerStore? _store;

    protected ILedgerStore Store => _store ?? throw new InvalidOperationException("not initialised");

    /// <summary>Creates an empty store; <see cref="ILedgerStore.InitializeAsync"/> is called by the contract.</summary>
    protected abstract Task<ILedgerStore> CreateStoreAsync(CancellationToken cancellationToken);

    /// <summary>Releases whatever <see cref="CreateStoreAsync"/> created.</summary>
    protected abstract ValueTask DeleteStoreAsync(ILedgerStore store);

    public async ValueTask InitializeAsync()
    {
        _store = await CreateStoreAsync(TestContext.Current.CancellationToken).WaitAsync(_timeout, TestContext.Current.CancellationToken);
        await Run(Store.InitializeAsync(TestContext.Current.CancellationToken));
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await DeleteStoreAsync(_store);
        }

        GC.SuppressFinalize(this);
    }

    protected static Task Run(Task task) => task.WaitAsync(_timeout, TestContext.Current.CancellationToken);

    protected static Task<T> Run<T>(Task<T> task) => task.WaitAsync(_timeout, TestContext.Current.CancellationToken);

    protected static LedgerRecord Record(string id, DateTimeOffset? at = null, string key = "team-a", string model = "gpt-4o-mini",
        string? served = "gpt-4o-mini", LedgerOutcome outcome = LedgerOutcome.Success, Usage usage = default, decimal cost = 0m) => new()
        {
            RequestId = id,
            Timestamp = at ?? _day1,
            KeyName = key,
            KeyId = "abcdef012345",
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            RequestedModel = model,
            ServedModel = served,
            Outcome = outcome,
            HttpStatus = outcome == LedgerOutcome.Success ? 200 : 502,
            Usage = usage,
            CostUsd = cost,
        };

    [Fact]
    public async Task InitializeAsync_CalledAgain_IsIdempotentAndKeepsRecords()
    {
        await Run(Store.AppendAsync([Record("r1")], TestContext.Current.CancellationToken));

        await Run(Store.InitializeAsync(TestContext.Current.CancellationToken));
        await Run(Store.InitializeAsync(TestContext.Current.CancellationToken));

        Assert.Equal(1, await Run(Store.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AppendThenFind_EveryField_RoundTripsExactly()
    {
        var record = new LedgerRecord
        {
            RequestId = "req-0001-ünï",
            Timestamp = _day1,
            KeyName = "svc-checkout",
            KeyId = "0123456789ab",
            Team = "payments",
            ClientFormat = ApiFormat.Anthropic,
            Operation = Operation.Embeddings,
            RequestedModel = "auto",
            ServedModel = "claude-haiku",
            DeploymentId = "anthropic-haiku-eu",
            Provider = "anthropic",
            Simulated = true,
            Outcome = LedgerOutcome.StreamInterrupted,
            HttpStatus = 200,
            ErrorClass = "upstream_reset",
            Usage = new Usage(1234, 567, 1024, 89, Estimated: true),
            CostUsd = 0.000005625m,
            PriceVersion = "catalog:anthropic/claude-haiku@2026-01-01",
            TotalMs = 1234.5,
            UpstreamMs = 1200.25,
            OverheadMs = 0.125,
            Streamed = true,
            DataClass = "confidential",
            RouteReason = "alias auto -> claude-haiku (weight 3)",
            Attempts =
            [
                new AttemptRecord("openai-mini", "RateLimited", 429, 12.5),
                new AttemptRecord("anthropic-haiku-eu", "Success", 200, 1187.75),
            ],
            FallbackExtraCostUsd = -0.000001875m,
        };

        await Run(Store.AppendAsync([record], TestContext.Current.CancellationToken));
        var found = await Run(Store.FindAsync(record.RequestId, TestContext.Current.CancellationToken));

        Assert.NotNull(found);
        Assert.Equal(record.Attempts, found.Attempts);
        Assert.Equal(0.000005625m, found.CostUsd);
        Assert.Equal(record.Timestamp, found.Timestamp);
        Assert.Equal(record with { Attempts = found.Attempts }, found);
    }

    [Fact]
    public async Task AppendThenFind_NullsAndDefaults_RoundTrip()
    {
        var record = Record("minimal", served: null, outcome: LedgerOutcome.Rejected);

        await Run(Store.AppendAsync([record], TestContext.Current.CancellationToken));
        var found = await Run(Store.FindAsync("minimal", TestContext.Current.CancellationToken));

        Assert.NotNull(found);
        Assert.Null(found.Team);
        Assert.Null(found.ServedModel);
        Assert.Null(found.DeploymentId);
        Assert.Null(found.Provider);
        Assert.Null(found.ErrorClass);
        Assert.Null(found.PriceVersion);
        Assert.Null(found.DataClass);
        Assert.Null(found.RouteReason);
        Assert.Empty(found.Attempts);
        Assert.Null(found.FallbackExtraCostUsd);
        Assert.Equal(default, found.Usage);
        Assert.Equal(0m, found.CostUsd);
        Assert.Equal(record with { Attempts = found.Attempts }, found);
    }

    [Fact]
    public async Task FindAsync_UnknownId_ReturnsNull()
    {
        Assert.Null(await Run(Store.FindAsync("nope", TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task AppendAsync_DuplicateIdInLaterBatch_NotWrittenTwiceAndFirstKept()
    {
        await Run(Store.AppendAsync([Record("a", cost: 1.5m), Record("b")], TestContext.Current.CancellationToken));

        await Run(Store.AppendAsync([Record("a", cost: 99m), Record("c")], TestContext.Current.CancellationToken));

        Assert.Equal(3, await Run(Store.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(1.5m, (await Run(Store.FindAsync("a", TestContext.Current.CancellationToken)))!.CostUsd);
    }

    [Fact]
    public async Task AppendAsync_BatchLargerThanOneStatement_EveryRowOnceAndDuplicatesSkipped()
    {
        // 4,000 rows is more than one statement's 65,535 parameters allow (PostgreSQL chunks the INSERT): the
        // chunks are written in one transaction, in order, and a duplicate inside the batch or of an earlier batch
        // is skipped with the first copy kept.
        await Run(Store.AppendAsync([Record("early", cost: 2m)], TestContext.Current.CancellationToken));
        var batch = Enumerable.Range(0, 4_000).Select(i => Record($"r{i}", cost: 0.001m)).ToList();
        batch.Add(Record("r5", cost: 7m));
        batch.Add(Record("r3999", cost: 7m));
        batch.Add(Record("early", cost: 7m));

        await Run(Store.AppendAsync(batch, TestContext.Current.CancellationToken));

        Assert.Equal(4_001, await Run(Store.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Equal(0.001m, (await Run(Store.FindAsync("r5", TestContext.Current.CancellationToken)))!.CostUsd);
        Assert.Equal(0.001m, (await Run(Store.FindAsync("r3999", TestContext.Current.CancellationToken)))!.CostUsd);
        Assert.Equal(2m, (await Run(Store.FindAsync("early", TestContext.Current.CancellationToken)))!.CostUsd);
        var summary = Assert.Single(await Run(Store.SummarizeAsync(_day1.AddDays(-1), _day1.AddDays(1), TestContext.Current.CancellationToken)));
        Assert.Equal(4_001, summary.Requests);
        Assert.Equal(6m, summary.CostUsd);
    }

    [Fact]
    public async Task AppendAsync_EmptyBatch_WritesNothing()
    {
        await Run(Store.AppendAsync([], TestContext.Current.CancellationToken));

        Assert.Equal(0, await Run(Store.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task CountAsync_SeveralBatches_CountsEveryRecord()
    {
        for (var batch = 0; batch < 5; batch++)
        {
            await Run(Store.AppendAsync([.. Enumerable.Range(0, 20).Select(i => Record($"b{batch}-{i}"))], TestContext.Current.CancellationToken));
        }

        Assert.Equal(100, await Run(Store.CountAsync(TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task SummarizeAsync_GroupsByDayKeyAndModelWithExactSums()
    {
        var day2 = _day1.AddDays(1);
        await Run(Store.AppendAsync(
        [
            Record("1", _day1, "k1", usage: new Usage(100, 10, 40), cost: 0.000005625m),
            Record("2", _day1.AddHours(1), "k1", usage: new Usage(200, 20, 0), cost: 0.000001m),
            Record("3", _day1, "k1", model: "auto", served: "claude-haiku", usage: new Usage(5, 5), cost: 0.1m),
            Record("4", _day1, "k2", outcome: LedgerOutcome.UpstreamFailed),
            Record("5", day2, "k1", usage: new Usage(7, 3, 1), cost: 0.333333333m),
            Record("6", _day1, "k1", model: "auto", served: null, outcome: LedgerOutcome.Rejected),
        ], TestContext.Current.CancellationToken));

        var rows = await Run(Store.SummarizeAsync(new DateTimeOffset(_day1.Date, TimeSpan.Zero), new DateTimeOffset(_day1.Date.AddDays(3), TimeSpan.Zero), TestContext.Current.CancellationToken));

        Assert.Equal(
        [
            new UsageSummaryRow("2026-03-14", "k1", "auto", 1, 0, 0, 0, 0m, 1),
            new UsageSummaryRow("2026-03-14", "k1", "claude-haiku", 1, 5, 5, 0, 0.1m, 0),
            new UsageSummaryRow("2026-03-14", "k1", "gpt-4o-mini", 2, 300, 30, 40, 0.000006625m, 0),
            new UsageSummaryRow("2026-03-14", "k2", "gpt-4o-mini", 1, 0, 0, 0, 0m, 1),
            new UsageSummaryRow("2026-03-15", "k1", "gpt-4o-mini", 1, 7, 3, 1, 0.333333333m, 0),
        ], rows);
    }

    [Fact]
    public async Task SummarizeAsync_Window_IncludesFromExcludesTo()
    {
        var from = new DateTimeOffset(2026, 3, 14, 0, 0, 0, TimeSpan.Zero);
        var to = from.AddDays(1);
        await Run(Store.AppendAsync(
        [
            Record("before", from.AddMilliseconds(-1), cost: 1m),
            Record("at-from", from, cost: 2m),
            Record("inside", to.AddMilliseconds(-1), cost: 4m),
            Record("at-to", to, cost: 8m),
        ], TestContext.Current.CancellationToken));

        var rows = await Run(Store.SummarizeAsync(from, to, TestContext.Current.CancellationToken));

        var row = Assert.Single(rows);
        Assert.Equal(2, row.Requests);
        Assert.Equal(6m, row.CostUsd);
        Assert.Equal("2026-03-14", row.Day);
    }

    [Fact]
    public async Task SummarizeAsync_Empty_ReturnsNoRows()
    {
        Assert.Empty(await Run(Store.SummarizeAsync(_day1.AddDays(-1), _day1.AddDays(1), TestContext.Current.CancellationToken)));
    }

    [Fact]
    public async Task RollUpAsync_OldRows_MovedIntoDailyAggregatesWithSpendUnchanged()
    {
        var day2 = _day1.AddDays(1);
        var day3 = _day1.AddDays(2);
        await Run(Store.AppendAsync(
        [
            Record("1", _day1, "k1", usage: new Usage(100, 10, 40, 7), cost: 0.000005625m) with { Team = "search", Org = "acme" },
            Record("2", _day1.AddHours(1), "k1", usage: new Usage(200, 20), cost: 0.000001m) with { Team = "search", Org = "acme" },
            Record("3", _day1, "k2", outcome: LedgerOutcome.UpstreamFailed),
            Record("4", day2, "k1", usage: new Usage(7, 3, 1), cost: 0.333333333m) with { Team = "search", Org = "acme" },
            Record("5", day3, "k1", usage: new Usage(1, 1), cost: 1m) with { Team = "search", Org = "acme" },
        ], TestContext.Current.CancellationToken));
        var from = new DateTimeOffset(_day1.Date, TimeSpan.Zero);
        var to = from.AddDays(5);
        var before = await Run(Store.SpendAsync(from, to, TestContext.Current.CancellationToken));

        var moved = await Run(Store.RollUpAsync(new DateTimeOffset(day3.Date, TimeSpan.Zero), TestContext.Current.CancellationToken));
        // A second pass over the same cut-off finds nothing left to move and changes no sum.
        var movedAgain = await Run(Store.RollUpAsync(new DateTimeOffset(day3.Date, TimeSpan.Zero), TestContext.Current.CancellationToken));

        Assert.Equal(4, moved);
        Assert.Equal(0, movedAgain);
        Assert.Equal(1, await Run(Store.CountAsync(TestContext.Current.CancellationToken)));
        Assert.Null(await Run(Store.FindAsync("1", TestContext.Current.CancellationToken)));
        Assert.Equal(before, await Run(Store.SpendAsync(from, to, TestContext.Current.CancellationToken)));
        Assert.Equal(1.333339958m, (await Run(Store.SummarizeAsync(from, to, TestContext.Current.CancellationToken))).Sum(r => r.CostUsd));
    }

    [Fact]
    public async Task AggregateForReportAsync_FallbackRecords_CountedWithTheirExactExtraCost()
    {
        await Run(Store.AppendAsync(
        [
            Record("first-choice", _day1, cost: 0.000002m),
            Record("fell-back", _day1, served: "gpt-4o", cost: 0.0000375m) with { FallbackExtraCostUsd = 0.000035125m },
            Record("cheaper-fallback", _day1, cost: 0.000001m) with { FallbackExtraCostUsd = -0.000000250m },
        ], TestContext.Current.CancellationToken));

        var rows = await Run(Store.AggregateForReportAsync(_day1.AddHours(-1), _day1.AddHours(1), TestContext.Current.CancellationToken));

        Assert.Equal((2L, 0.000034875m), (rows.Sum(r => r.FallbackRequests), rows.Sum(r => r.FallbackExtraCostUsd)));
        Assert.Equal((1L, 0.000035125m), rows.Where(r => r.ServedModel == "gpt-4o").Select(r => (r.FallbackRequests, r.FallbackExtraCostUsd)).Single());
    }

    [Fact]
    public async Task SpendAsync_GroupsByDayOrgTeamKeyAndModel()
    {
        await Run(Store.AppendAsync(
        [
            Record("1", _day1, "k1", usage: new Usage(100, 10, 40, 5), cost: 0.25m) with { Team = "search", Org = "acme" },
            Record("2", _day1, "k1", usage: new Usage(1, 2), cost: 0.5m) with { Team = "search", Org = "acme" },
            Record("3", _day1, "k3", outcome: LedgerOutcome.UpstreamFailed) with { Team = "ads", Org = "acme" },
            Record("4", _day1, "k2"),
        ], TestContext.Current.CancellationToken));

        var rows = await Run(Store.SpendAsync(_day1.AddHours(-1), _day1.AddHours(1), TestContext.Current.CancellationToken));

        Assert.Equal(
        [
            new SpendRow("2026-03-14", "", "", "k2", "abcdef012345", "gpt-4o-mini", 1, 0, 0, 0, 0, 0m, 0),
            new SpendRow("2026-03-14", "acme", "ads", "k3", "abcdef012345", "gpt-4o-mini", 1, 0, 0, 0, 0, 0m, 1),
            new SpendRow("2026-03-14", "acme", "search", "k1", "abcdef012345", "gpt-4o-mini", 2, 101, 12, 40, 5, 0.75m, 0),
        ], rows);
    }
}
