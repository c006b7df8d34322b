using System.CommandLine;
using System.Text.Json;
using Switchyard.Cli;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Ledger;
using Switchyard.Storage.Sqlite;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Cli;

public sealed partial class ReportCommandTests : IDisposable
{
    private static readonly DateTimeOffset _t0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "switchyard-report-" + Guid.NewGuid().ToString("N")[..12]);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (Directory.Exists(_directory))
        {
            Directory.Delete(_directory, recursive: true);
        }
    }

    private const string Config = """
        providers:
          local-sim:
            type: simulated
            zone: self-hosted
        deployments:
          - id: sim-large
            provider: local-sim
            model: llama-3.3-70b
        models:
          llama-3.3-70b:
            catalog: deepinfra/llama-3.3-70b-instruct
            capabilities: [streaming]
            open_weights: true
        keys:
          - name: dev
            key: sk-dev-report-key
        """;

    private static LedgerRecord Record(string id, DateTimeOffset at, string team, Usage usage, decimal cost, decimal baseline) => new()
    {
        RequestId = id,
        Timestamp = at,
        KeyName = "dev",
        KeyId = "0123456789ab",
        Team = team,
        ClientFormat = ApiFormat.OpenAI,
        Operation = Operation.ChatCompletion,
        RequestedModel = "auto",
        ServedModel = "llama-3.3-70b",
        Outcome = LedgerOutcome.Success,
        HttpStatus = 200,
        Usage = usage,
        CostUsd = cost,
        DataClass = "internal",
        BaselineModel = "gpt-4o",
        BaselineCostUsd = baseline,
    };

    [Fact]
    public async Task Report_Json_PrintsExactSavingsAndThePlannerVerdict()
    {
        var dataDir = Path.Combine(_directory, "data");
        var configPath = Path.Combine(_directory, "switchyard.yaml");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(configPath, Config, Ct);
        using (var store = new SqliteLedgerStore(Path.Combine(dataDir, "switchyard.db")))
        {
            await store.InitializeAsync(Ct);
            await store.AppendAsync(
            [
                Record("a", _t0, "ml", new Usage(3_000_000, 1_000_000), 1.09m, 17.5m),
                Record("b", _t0.AddHours(1), "web", new Usage(1_000_000, 1_000_000), 0.63m, 12.5m),
                Record("outside", _t0.AddDays(5), "web", new Usage(1, 1), 1m, 2m),
            ], Ct);
        }

        var command = ReportCommand.Create(new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero)), _ => null);
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await command.Parse(["--data-dir", dataDir, "--config", configPath, "--from", "2026-11-01", "--to", "2026-11-03", "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);

        Assert.True(exit == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var root = doc.RootElement;
        Assert.Equal(2m, root.GetProperty("days").GetDecimal());
        var total = root.GetProperty("total");
        Assert.Equal(2, total.GetProperty("requests").GetInt64());
        Assert.Equal(1.72m, total.GetProperty("cost_usd").GetDecimal());
        Assert.Equal(30m, total.GetProperty("baseline_cost_usd").GetDecimal());
        Assert.Equal(28.28m, total.GetProperty("saving_usd").GetDecimal());
        Assert.Equal(94.27m, total.GetProperty("saving_percent").GetDecimal());
        Assert.Equal(["ml", "web"], root.GetProperty("by_team").EnumerateArray().Select(t => t.GetProperty("name").GetString()));
        var verdict = Assert.Single(root.GetProperty("planner").EnumerateArray());
        Assert.Equal("llama-3.3-70b", verdict.GetProperty("model").GetString());
        Assert.Equal("self-hosted", verdict.GetProperty("kind").GetString());
        Assert.Equal(3_000_000m, verdict.GetProperty("tokens_per_day").GetDecimal()); // 6M tokens ÷ 2 days
        Assert.Equal("Llama-3.3-70B-Instruct", verdict.GetProperty("throughput_model").GetString());
        Assert.False(string.IsNullOrEmpty(verdict.GetProperty("verdict").GetString()));
    }

    [Fact]
    public async Task Report_TextAndJson_ProductTextNamesNoTrackerIssue()
    {
        var dataDir = Path.Combine(_directory, "data");
        var configPath = Path.Combine(_directory, "switchyard.yaml");
        Directory.CreateDirectory(_directory);
        await File.WriteAllTextAsync(configPath, Config, Ct);
        using (var store = new SqliteLedgerStore(Path.Combine(dataDir, "switchyard.db")))
        {
            await store.InitializeAsync(Ct);
            await store.AppendAsync([Record("a", _t0, "ml", new Usage(3_000_000, 1_000_000), 1.09m, 17.5m)], Ct);
        }

        var command = ReportCommand.Create(new FakeTimeProvider(new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero)), _ => null);
        foreach (var format in new string[][] { [], ["--csv"], ["--json"] })
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();
            string[] args = ["--data-dir", dataDir, "--config", configPath, "--from", "2026-11-01", "--to", "2026-11-03", .. format];
            var exit = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);

            Assert.True(exit == 0, stderr.ToString());
            Assert.DoesNotMatch(IssueReference(), stdout.ToString());
        }
    }

    [System.Text.RegularExpressions.GeneratedRegex(@"\bissue\s*#?\d+", System.Text.RegularExpressions.RegexOptions.IgnoreCase)]
    private static partial System.Text.RegularExpressions.Regex IssueReference();

    [Fact]
    public async Task Report_MissingConfig_ExitsTwoAndSaysWhy()
    {
        var command = ReportCommand.Create(TimeProvider.System, _ => null);
        var stderr = new StringWriter();
        var exit = await command.Parse(["--data-dir", _directory, "--config", Path.Combine(_directory, "nope.yaml")])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = stderr }, Ct);

        Assert.Equal(2, exit);
        Assert.Contains("nope.yaml", stderr.ToString(), StringComparison.Ordinal);
    }
}
