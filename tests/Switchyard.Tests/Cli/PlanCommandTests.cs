using System.CommandLine;
using System.Text.Json;
using Switchyard.Cli;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Cli;

public sealed class PlanCommandTests : IDisposable
{
    private readonly string _out = Path.Combine(Path.GetTempPath(), "switchyard-plan-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_out))
        {
            Directory.Delete(_out, recursive: true);
        }
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args)
    {
        var command = PlanCommand.Create(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = command.Parse(args).Invoke(new InvocationConfiguration { Output = stdout, Error = stderr });
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public async Task Plan_LedgerWindow_DerivesWorkloadFromRecordedTrafficAndFlagsStillWin()
    {
        var dataDir = Path.Combine(_out, "data");
        using (var store = new Switchyard.Storage.Sqlite.SqliteLedgerStore(Path.Combine(dataDir, "switchyard.db")))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
            var at = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
            Switchyard.Core.Ledger.LedgerRecord Record(string id, int input, int output) => new()
            {
                RequestId = id,
                Timestamp = at,
                KeyName = "k",
                KeyId = "abc",
                ClientFormat = Switchyard.Core.Model.ApiFormat.OpenAI,
                Operation = Switchyard.Core.Model.Operation.ChatCompletion,
                RequestedModel = "auto",
                ServedModel = "llama-3.1-8b",
                Outcome = Switchyard.Core.Ledger.LedgerOutcome.Success,
                HttpStatus = 200,
                Usage = new Switchyard.Core.Model.Usage(input, output),
            };
            await store.AppendAsync([Record("a", 600_000, 200_000), Record("b", 300_000, 100_000)], TestContext.Current.CancellationToken);
        }

        // Window 2026-11-20 .. 2026-11-22 = 2 days: (900,000 + 300,000) ÷ 2 = 600,000 tokens/day; r = 900,000 ÷ 300,000 = 3.
        var (exit, stdout, stderr) = await RunAsync(
            "--from", "2026-11-20", "--to", "2026-11-22", "--data-dir", dataDir, "--api", "gpt-4o-mini",
            "--gpus-per-replica", "1", "--gpu-hour-usd", "2", "--replica-tokens-per-second", "1000", "--min-replicas", "1", "--out", _out, "--json");
        var (overridden, stdout2, _) = await RunAsync(
            "--from", "2026-11-20", "--to", "2026-11-22", "--data-dir", dataDir, "--tokens-per-day", "5000000", "--api", "gpt-4o-mini",
            "--gpus-per-replica", "1", "--gpu-hour-usd", "2", "--replica-tokens-per-second", "1000", "--min-replicas", "1", "--out", _out, "--json");

        Assert.True(exit == 0, stderr);
        var workload = JsonDocument.Parse(stdout).RootElement.GetProperty("workload");
        Assert.Equal(600_000m, workload.GetProperty("tokens_per_day").GetDecimal());
        Assert.Equal(3m, workload.GetProperty("input_output_ratio").GetDecimal());
        Assert.Contains("ledger", workload.GetProperty("source").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, overridden);
        var workload2 = JsonDocument.Parse(stdout2).RootElement.GetProperty("workload");
        Assert.Equal(5_000_000m, workload2.GetProperty("tokens_per_day").GetDecimal());
        Assert.Equal(3m, workload2.GetProperty("input_output_ratio").GetDecimal());
    }

    [Fact]
    public async Task Plan_LedgerWindowWithoutLedger_FailsWithClearMessage()
    {
        var (exit, _, stderr) = await RunAsync("--days", "7", "--data-dir", Path.Combine(_out, "nowhere"), "--api", "gpt-4o-mini");

        Assert.Equal(2, exit);
        Assert.Contains("No ledger at", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plan_ServedModelWithAThroughputMeasurement_SelfHostsThatModelWithoutMoreFlags()
    {
        // docs/planner.md's example: --served-model alone names the model to self-host; its replica throughput comes
        // from throughput.csv (it failed with "replica throughput is required").
        var dataDir = Path.Combine(_out, "data");
        using (var store = new Switchyard.Storage.Sqlite.SqliteLedgerStore(Path.Combine(dataDir, "switchyard.db")))
        {
            await store.InitializeAsync(TestContext.Current.CancellationToken);
            await store.AppendAsync([new Switchyard.Core.Ledger.LedgerRecord
            {
                RequestId = "served",
                Timestamp = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero),
                KeyName = "k",
                KeyId = "abc",
                ClientFormat = Switchyard.Core.Model.ApiFormat.OpenAI,
                Operation = Switchyard.Core.Model.Operation.ChatCompletion,
                RequestedModel = "auto",
                ServedModel = "llama-3.1-8b",
                Outcome = Switchyard.Core.Ledger.LedgerOutcome.Success,
                HttpStatus = 200,
                Usage = new Switchyard.Core.Model.Usage(600_000, 200_000),
            }], TestContext.Current.CancellationToken);
        }

        var (exit, stdout, stderr) = await RunAsync(
            "--days", "30", "--data-dir", dataDir, "--served-model", "llama-3.1-8b", "--api", "gpt-4o-mini", "--gpu", "H100 SXM 80GB", "--out", _out, "--json");

        Assert.True(exit == 0, stderr);
        var root = JsonDocument.Parse(stdout).RootElement;
        Assert.StartsWith("throughput.csv", root.GetProperty("self_hosted").GetProperty("throughput_source").GetString(), StringComparison.Ordinal);
        Assert.Contains(root.GetProperty("assumptions").EnumerateArray(), a => a.GetString()!.Contains("Llama-3.1-8B-Instruct on 1 × H100", StringComparison.Ordinal));
    }

    private async Task<(int Exit, string Stdout, string Stderr)> RunAsync(params string[] args)
    {
        var command = PlanCommand.Create(new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)));
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        var exit = await command.Parse(args).InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, TestContext.Current.CancellationToken);
        return (exit, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void Plan_JsonWithCatalogAndExplicitPrices_PrintsRequiredKeysAndWritesCharts()
    {
        // 100M tokens/day, r = 1; self-hosted 1 GPU × $2/h, 1,000 tok/s at 0.5 → 43.2M/day per replica;
        // ceil(100M ÷ 43.2M) = 3 replicas → 3 × 1,460 = $4,380/month; $/M = 1,460 ÷ 1,314.144 = 1.110989.
        // mine at $10/M: 100M × 30.42 × 10 ÷ 10^6 = $30,420; T* = 1,460 ÷ 0.0003042 = 4,799,474.03 (1 replica).
        var (exit, stdout, stderr) = Run(
            "--tokens-per-day", "100000000", "--input-output-ratio", "1",
            "--api", "gpt-4o-mini", "--api-price", "mine=10/10",
            "--gpus-per-replica", "1", "--gpu-hour-usd", "2", "--replica-tokens-per-second", "1000",
            "--utilization", "0.5", "--min-replicas", "1", "--staff-usd-month", "0", "--fixed-usd-month", "0",
            "--out", _out, "--json");

        Assert.True(exit == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        var mine = root.GetProperty("api").GetProperty("mine");
        Assert.Equal(30420m, mine.GetProperty("monthly_cost_usd").GetDecimal());
        Assert.Equal(4_799_474.03m, mine.GetProperty("break_even_tokens_per_day").GetDecimal());
        var mini = root.GetProperty("api").GetProperty("gpt-4o-mini");
        Assert.Equal(JsonValueKind.Null, mini.GetProperty("break_even_tokens_per_day").ValueKind); // $0.375/M < $1.11/M
        Assert.True(mini.TryGetProperty("monthly_cost_usd", out _));
        var self = root.GetProperty("self_hosted");
        Assert.Equal(3, self.GetProperty("replicas").GetInt32());
        Assert.Equal(4380m, self.GetProperty("monthly_cost_usd").GetDecimal());
        Assert.Equal(1.110989m, self.GetProperty("usd_per_million_tokens").GetDecimal());
        Assert.Contains(root.GetProperty("warnings").EnumerateArray(), w => w.GetString()!.Contains("gpt-4o-mini", StringComparison.Ordinal));
        Assert.True(new FileInfo(Path.Combine(_out, PlanCommand.PngFileName)).Length > 0);
        Assert.True(new FileInfo(Path.Combine(_out, PlanCommand.SvgFileName)).Length > 0);
    }

    [Fact]
    public void Plan_InputFileWithFlagOverride_PrintsTableWithConventions()
    {
        Directory.CreateDirectory(_out);
        var file = Path.Combine(_out, "plan.yaml");
        File.WriteAllText(file, """
            tokens_per_day: 1000000
            input_output_ratio: 3
            api_prices: { mine: "1/2" }
            gpu_hour_usd: 2
            replica_tokens_per_second: 1000
            """);

        var (exit, stdout, stderr) = Run("--input", file, "--tokens-per-day", "2000000", "--out", _out);

        Assert.True(exit == 0, stderr);
        Assert.Contains("2,000,000 tokens/day", stdout, StringComparison.Ordinal);
        Assert.Contains("730 hours and 30.42 days per month", stdout, StringComparison.Ordinal);
        Assert.Contains("Cheapest at this volume: mine", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Plan_MissingRequiredInputs_ExitsWith2AndListsErrors()
    {
        var (exit, _, stderr) = Run("--api", "gpt-4o", "--out", _out);
        Assert.Equal(2, exit);
        Assert.Contains("tokens per day is required", stderr, StringComparison.Ordinal);
        Assert.Contains("replica throughput is required", stderr, StringComparison.Ordinal);
    }
}
