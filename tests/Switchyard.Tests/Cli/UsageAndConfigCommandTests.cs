using System.Text;
using Switchyard.Cli;
using Switchyard.Core.Ledger;
using Switchyard.Core.Model;
using Switchyard.Ledger;
using Switchyard.Storage.Sqlite;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Switchyard.Tests.Hosting;
using Xunit;

namespace Switchyard.Tests.Cli;

public sealed class UsageAndConfigCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Usage_AfterTraffic_PrintsSpendByDayKeyAndModelWithExactTotals()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        for (var i = 0; i < 3; i++)
        {
            using var response = await client.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
            Assert.True(response.IsSuccessStatusCode);
        }

        await app.StopAsync();
        using var store = new SqliteLedgerStore(Path.Combine(app.DataDir, "switchyard.db"));
        var rows = await store.SummarizeAsync(DateTimeOffset.UnixEpoch, DateTimeOffset.MaxValue, Ct);
        using var text = new StringWriter();
        using var csv = new StringWriter();

        UsageCommand.Print(rows, csv: false, text);
        UsageCommand.Print(rows, csv: true, csv);

        var row = Assert.Single(rows);
        Assert.Equal(("test", "gpt-4o-mini", 3L), (row.KeyName, row.Model, row.Requests));
        Assert.Equal(3 * OpenAIWire.PromptTokens, row.InputTokens);
        // 3 × 0.000005625 USD (see ChatCompletionsTests for the per-request arithmetic).
        Assert.Equal(0.000016875m, row.CostUsd);
        Assert.Contains("gpt-4o-mini", text.ToString(), StringComparison.Ordinal);
        Assert.Contains("0.000017", text.ToString(), StringComparison.Ordinal);
        var lines = csv.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal("day,key,model,requests,input_tokens,output_tokens,cached_tokens,cost_usd,failures", lines[0]);
        Assert.EndsWith(",test,gpt-4o-mini,3,33,21,9,0.000016875,0", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Usage_FailuresAndWindow_AreCountedSeparatelyAndFiltered()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("switchyard-usage-").FullName, "switchyard.db");
        using var store = new SqliteLedgerStore(path);
        await store.InitializeAsync(Ct);
        var day1 = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        LedgerRecord Record(string id, DateTimeOffset at, LedgerOutcome outcome, decimal cost) => new()
        {
            RequestId = id,
            Timestamp = at,
            KeyName = "k",
            KeyId = "abc",
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            RequestedModel = "auto",
            ServedModel = "m",
            Outcome = outcome,
            HttpStatus = outcome == LedgerOutcome.Success ? 200 : 502,
            Usage = new Usage(10, 5),
            CostUsd = cost,
        };
        await store.AppendAsync([Record("a", day1, LedgerOutcome.Success, 0.001m), Record("b", day1, LedgerOutcome.UpstreamFailed, 0m),
            Record("c", day1.AddDays(1), LedgerOutcome.Success, 0.002m)], Ct);

        var firstDay = await store.SummarizeAsync(day1.Date, day1.Date.AddDays(1), Ct);

        var row = Assert.Single(firstDay);
        Assert.Equal(("2026-03-01", 2L, 1L, 0.001m), (row.Day, row.Requests, row.Failures, row.CostUsd));
    }

    [Fact]
    public void ConfigCheck_ExampleConfig_IsValid()
    {
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = ConfigCommand.Check(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"), output, errors, _ => null);

        Assert.Equal(0, code);
        Assert.Contains("OK", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("", errors.ToString());
    }

    [Fact]
    public async Task ConfigCheck_BrokenFile_ListsEveryErrorAndExits1()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("switchyard-check-").FullName, "bad.yaml");
        await File.WriteAllTextAsync(path, "providers:\n  p: { type: openai }\ndeployments:\n  - { id: d, provider: q, model: m }\n", Ct);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = ConfigCommand.Check(path, output, errors, _ => null);

        Assert.Equal(1, code);
        var text = errors.ToString();
        Assert.Contains("3 error(s)", text, StringComparison.Ordinal);
        Assert.Contains("providers.p.base_url", text, StringComparison.Ordinal);
        Assert.Contains("deployments[0].provider", text, StringComparison.Ordinal);
        Assert.Contains("deployments[0].model", text, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigCheck_ProviderKeyUnset_IsValidWithWarning()
    {
        var path = Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml");
        var text = File.ReadAllText(path).Replace("  # openai:\n  #   type: openai\n  #   base_url: https://api.openai.com/v1\n  #   api_key_env: OPENAI_API_KEY",
            "  openai:\n    type: openai\n    base_url: https://api.openai.com/v1\n    api_key_env: OPENAI_API_KEY", StringComparison.Ordinal);
        var copy = Path.Combine(Directory.CreateTempSubdirectory("switchyard-check-").FullName, "switchyard.yaml");
        File.WriteAllText(copy, text);
        using var output = new StringWriter();
        using var errors = new StringWriter();

        var code = ConfigCommand.Check(copy, output, errors, _ => null);

        Assert.Equal(0, code);
        Assert.Contains("provider 'openai' skipped: environment variable OPENAI_API_KEY is not set", output.ToString(), StringComparison.Ordinal);
    }
}
