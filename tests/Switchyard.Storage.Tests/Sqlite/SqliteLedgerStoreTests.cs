using Microsoft.Data.Sqlite;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Storage.Sqlite;
using Xunit;

namespace Switchyard.Storage.Tests.Sqlite;

/// <summary>The contract against an embedded SQLite file in a fresh temp directory.</summary>
public sealed class SqliteLedgerStoreTests : LedgerAnalyticsContract
{
    private string? _directory;

    protected override Switchyard.Core.Reports.ILedgerAnalytics Analytics => new SqliteAnalytics((SqliteLedgerStore)Store);

    protected override int AggregatesMigration => 7;

    protected override Task ExecuteSqlAsync(string sql) => ExecuteAsync(((SqliteLedgerStore)Store).DatabasePath, sql, TestContext.Current.CancellationToken);

    protected override Task<ILedgerStore> CreateStoreAsync(CancellationToken cancellationToken)
    {
        _directory = Path.Combine(Path.GetTempPath(), "switchyard-tests", Guid.NewGuid().ToString("N"));
        return Task.FromResult<ILedgerStore>(new SqliteLedgerStore(Path.Combine(_directory, "nested", "ledger.db")));
    }

    protected override ValueTask DeleteStoreAsync(ILedgerStore store)
    {
        ((SqliteLedgerStore)store).Dispose();
        SqliteConnection.ClearAllPools();
        if (_directory is not null && Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }

        return ValueTask.CompletedTask;
    }

    [Fact]
    public async Task AppendAsync_BatchOverSeveralChunksWithStoredDuplicates_EveryRowOnceAndEveryColumnRoundTrips()
    {
        var ct = TestContext.Current.CancellationToken;
        var stored = new[] { Full(7, "stored-first"), Full(150, "stored-first") };
        await Run(Store.AppendAsync(stored, ct));
        // 2 × 64 + 32 + 4 + 1 rows after the duplicates: every INSERT size the writer keeps is used, and rows 7 and
        // 150 repeat ids already stored while row 3 repeats one earlier in the same batch (the first copy stays).
        var batch = Enumerable.Range(0, 165).Select(i => Full(i, "batch")).ToList();
        batch.Insert(100, Full(3, "duplicate-in-batch"));

        await Run(Store.AppendAsync(batch, ct));

        var expected = batch.Where(r => r.KeyName == "batch").ToDictionary(r => r.RequestId);
        expected[stored[0].RequestId] = stored[0];
        expected[stored[1].RequestId] = stored[1];
        var actual = new Dictionary<string, LedgerRecord>();
        await using (var connection = new SqliteConnection($"Data Source={((SqliteLedgerStore)Store).DatabasePath};Pooling=false"))
        {
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT {LedgerCodec.Columns} FROM ledger";
            await using var reader = await command.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                var record = LedgerCodec.ReadRecord(reader);
                Assert.True(actual.TryAdd(record.RequestId, record), $"{record.RequestId} stored twice");
                Assert.Equal(LedgerCodec.Day(record.Timestamp), reader.GetString(2));
            }
        }

        Assert.Equal(165, actual.Count);
        foreach (var (id, want) in expected)
        {
            var got = actual[id];
            Assert.Equal(want.Attempts, got.Attempts);
            Assert.Equal(want with { Attempts = got.Attempts }, got);
        }
    }

    [Fact]
    public async Task AppendAsync_AfterAFailedBatch_ReopensTheWriterAndTheRetryIsStored()
    {
        var ct = TestContext.Current.CancellationToken;
        await Run(Store.AppendAsync([Full(1, "first")], ct));
        var retried = Enumerable.Range(10, 70).Select(i => Full(i, "retried")).ToList();
        var path = ((SqliteLedgerStore)Store).DatabasePath;

        // The table vanishes under the writer's prepared statements: the batch fails with SQLite's own error.
        await ExecuteAsync(path, "ALTER TABLE ledger RENAME TO ledger_away", ct);
        await Assert.ThrowsAsync<SqliteException>(() => Run(Store.AppendAsync(retried, ct)));
        await ExecuteAsync(path, "ALTER TABLE ledger_away RENAME TO ledger", ct);

        await Run(Store.AppendAsync(retried, ct));

        Assert.Equal(71, await Run(Store.CountAsync(ct)));
        var found = await Run(Store.FindAsync(retried[^1].RequestId, ct));
        Assert.Equal(retried[^1] with { Attempts = found!.Attempts }, found);
    }

    private static async Task ExecuteAsync(string path, string sql, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=false");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>A record with every column set and different per <paramref name="i"/> (nullable ones null on some rows).</summary>
    private static LedgerRecord Full(int i, string keyName) => new()
    {
        RequestId = $"req-{i:D4}-ü",
        Timestamp = new DateTimeOffset(2026, 3, 14, 23, 59, 0, TimeSpan.Zero).AddMilliseconds(i * 997),
        KeyName = keyName,
        KeyId = $"{i:x12}",
        Team = i % 4 == 0 ? null : $"team-{i % 3}",
        ClientFormat = i % 2 == 0 ? ApiFormat.OpenAI : ApiFormat.Anthropic,
        Operation = i % 5 == 0 ? Operation.Embeddings : Operation.ChatCompletion,
        RequestedModel = $"model-{i}",
        ServedModel = i % 6 == 0 ? null : $"served-{i}",
        DeploymentId = i % 7 == 0 ? null : $"dep-{i}",
        Provider = i % 8 == 0 ? null : "anthropic",
        Simulated = i % 3 == 0,
        Outcome = (LedgerOutcome)(i % Enum.GetValues<LedgerOutcome>().Length),
        HttpStatus = 200 + i,
        ErrorClass = i % 2 == 0 ? null : $"err-{i}",
        Usage = new Usage(i * 11, i * 13, i * 3, i * 2, Estimated: i % 2 == 1),
        CostUsd = i * 0.000000123m + 0.5m,
        PriceVersion = i % 9 == 0 ? null : $"catalog@{i}",
        TotalMs = i + 0.25,
        UpstreamMs = i * 0.5,
        OverheadMs = i / 8.0,
        Streamed = i % 2 == 0,
        DataClass = i % 3 == 1 ? null : "confidential",
        RouteReason = $"reason {i}",
        Attempts = i % 4 == 1 ? [] : [new AttemptRecord($"dep-{i}", "Success", 200, i + 0.75), new AttemptRecord("other", "RateLimited", 429, 1.5)],
        BaselineModel = i % 5 == 2 ? null : "gpt-4o",
        BaselineCostUsd = i % 3 == 2 ? null : i * 0.000001m,
        TaskCategory = i % 2 == 0 ? "code" : null,
        Org = i % 10 == 0 ? null : $"org-{i % 2}",
        EndUser = i % 3 == 0 ? null : $"user-{i}",
        PiiTypes = i % 4 == 3 ? "email,phone" : null,
        RouteObjective = i % 2 == 1 ? "cost" : null,
        RouteCandidates = i % 5 == 4 ? null : $"[\"a{i}\",\"b\"]",
        FallbackExtraCostUsd = i % 4 == 2 ? null : (i * 0.0000007m) - 0.00001m,
    };
}
