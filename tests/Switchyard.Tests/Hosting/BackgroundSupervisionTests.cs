using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Switchyard.Core.Gate;
using Switchyard.Core.Ledger;
using Switchyard.Core.Stores;
using Switchyard.Hosting;
using Switchyard.Ledger;
using Switchyard.Storage.Sqlite;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Hosting;

/// <summary>
/// Invariant 8 (issue 13, defect 1): no failure of a background task stops the host; it is logged, counted, retried and
/// shown by health — <c>/health/ready</c> names the failing task and since when, <c>/admin/health</c> says why.
/// </summary>
public sealed class BackgroundSupervisionTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static StringContent Chat() => new("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json");

    private static async Task<JsonNode> GetJsonAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
    }

    private static async Task<JsonNode> WaitForAsync(HttpClient client, string path, Func<JsonNode, bool> condition, string what)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonNode last;
        do
        {
            last = await GetJsonAsync(client, path);
            if (condition(last))
            {
                return last;
            }

            await Task.Delay(25, Ct);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"{what} within 30 s; last {path}: {last.ToJsonString()}");
        return last;
    }

    private static JsonNode? Entry(JsonNode health, string name) =>
        health["background_tasks"]!.AsArray().SingleOrDefault(t => t!["name"]!.GetValue<string>() == name);

    [Fact]
    public async Task Reload_YamlSyntaxError_KeepsServingAndHealthShowsTheLocatedRejection()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(upstream.BaseUrl);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();
        var generation = app.Service<Core.Route.RouteTableHolder>().Current.Generation;
        // The edit of issue 13: an unclosed flow sequence with more lines after it (YamlDotNet threw InvalidOperationException).
        var broken = config.Replace("capabilities: [streaming, tools, parallel_tool_calls, vision, json_object, json_schema]", "capabilities: [streaming, tools",
            StringComparison.Ordinal);
        Assert.NotEqual(config, broken);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(broken)));

        await File.WriteAllTextAsync(app.ConfigPath, broken, Ct);
        var health = await WaitForAsync(client, "/admin/health", h => h["config"]!["file_sha256"]?.GetValue<string>() == hash, "the broken file was not processed");

        var rejection = health["config"]!["rejection"]!;
        var error = rejection["errors"]![0]!.GetValue<string>();
        var line = broken[..broken.IndexOf("[streaming, tools", StringComparison.Ordinal)].Count(c => c == '\n') + 1;
        Assert.StartsWith($"{app.ConfigPath}:{line}:", error, StringComparison.Ordinal);
        Assert.Contains("'['", error, StringComparison.Ordinal);
        Assert.Equal(generation, health["config"]!["generation"]!.GetValue<int>());
        Assert.False(app.Service<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
        using var response = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Reload_FileDeletedThenRestored_KeepsServingAndReloads()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(upstream.BaseUrl);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        File.Delete(app.ConfigPath);
        await WaitForAsync(client, "/admin/health", h => h["config"]!["rejection"] is { } r && r["sha256"] is null, "the deletion was not noticed");
        using (var during = await client.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        await File.WriteAllTextAsync(app.ConfigPath, config.Replace("  auto:\n", "  back:\n    targets:\n      - model: gpt-4o-mini\n  auto:\n", StringComparison.Ordinal), Ct);
        var health = await WaitForAsync(client, "/admin/health", h => h["config"]!["rejection"] is null, "the restored file was not loaded");
        Assert.NotNull(health["config"]!["loaded_at"]);
        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"back","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task KeyPoll_StoreFails_ReadyIsDegradedNamingTheTaskThenRecovers()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var store = new FailingSwitch();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl, extra: "storage:\n  key_poll_interval: 50ms"), TestConfig.Keys,
            services => services.Replace(ServiceDescriptor.Singleton<ITenancyStore>(sp => new FlakyTenancyStore(sp.GetRequiredService<SqliteTenancyStore>(), store))));
        using var client = app.CreateClient();

        store.Failing = true;
        var ready = await WaitForAsync(client, "/health/ready", r => r["status"]!.GetValue<string>() == "degraded", "key-poll's failure was not shown");
        var failing = Assert.Single(ready["failing"]!.AsArray());
        Assert.Equal("key-poll", failing!["name"]!.GetValue<string>());
        Assert.NotNull(failing["since"]);
        var health = await GetJsonAsync(client, "/admin/health");
        Assert.Contains("store unreachable (test)", Entry(health, "key-poll")!["last_error"]!.GetValue<string>(), StringComparison.Ordinal);
        using (var during = await client.PostAsync("/v1/chat/completions", Chat(), Ct))
        {
            Assert.Equal(HttpStatusCode.OK, during.StatusCode);
        }

        store.Failing = false;
        await WaitForAsync(client, "/health/ready", r => r["status"]!.GetValue<string>() == "ready", "key-poll did not recover");
        health = await GetJsonAsync(client, "/admin/health");
        Assert.True(Entry(health, "key-poll")!["total_failures"]!.GetValue<long>() >= 1);
        Assert.False(Entry(health, "key-poll")!["failing"]!.GetValue<bool>());
    }

    [Fact]
    public async Task LedgerWriter_StoreFails_HealthShowsItAndNoRecordIsLost()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var store = new FailingSwitch { Failing = true };
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys,
            services => services.Replace(ServiceDescriptor.Singleton<ILedgerStore>(sp => new FlakyLedgerStore(sp.GetRequiredService<SqliteLedgerStore>(), store))));
        using var client = app.CreateClient();

        for (var i = 0; i < 5; i++)
        {
            using var response = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var ready = await WaitForAsync(client, "/health/ready", r => r["status"]!.GetValue<string>() == "degraded", "the ledger writer's failure was not shown");
        Assert.Equal(LedgerWriter.TaskName, ready["failing"]![0]!["name"]!.GetValue<string>());
        store.Failing = false;
        await WaitForAsync(client, "/health/ready", r => r["status"]!.GetValue<string>() == "ready", "the ledger writer did not recover");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await app.Ledger.CountAsync(Ct) < 5 && DateTime.UtcNow < deadline)
        {
            await Task.Delay(25, Ct);
        }

        Assert.Equal(5, await app.Ledger.CountAsync(Ct));
    }

    [Fact]
    public async Task HostedService_Throws_HostKeepsServing()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys,
            services => services.AddHostedService<ThrowingService>());
        using var client = app.CreateClient();

        await WaitForAsync(client, "/health/live", _ => ThrowingService.Threw, "the throwing service did not run");
        using var response = await client.PostAsync("/v1/chat/completions", Chat(), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(app.Service<IHostApplicationLifetime>().ApplicationStopping.IsCancellationRequested);
    }

    [Theory]
    [InlineData(200, 1, 200)]
    [InlineData(200, 2, 400)]
    [InlineData(200, 4, 1600)]
    [InlineData(200, 30, 30_000)]
    [InlineData(10, 1, 100)]
    [InlineData(3_600_000, 1, 3_600_000)]
    [InlineData(3_600_000, 5, 3_600_000)]
    public void Backoff_DoublesFromTheIntervalUpToTheCap(int intervalMs, int failures, int expectedMs) =>
        Assert.Equal(TimeSpan.FromMilliseconds(expectedMs), SupervisedService.Backoff(TimeSpan.FromMilliseconds(intervalMs), failures));

    private sealed class FailingSwitch
    {
        private volatile bool _failing;

        public bool Failing
        {
            get => _failing;
            set => _failing = value;
        }

        public void ThrowIfFailing()
        {
            if (_failing)
            {
                throw new IOException("store unreachable (test)");
            }
        }
    }

    /// <summary>The real SQLite store, with its reads failing while the switch is on (a database gone away).</summary>
    private sealed class FlakyTenancyStore(ITenancyStore inner, FailingSwitch fault) : ITenancyStore
    {
        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task<long> ChangeCounterAsync(CancellationToken cancellationToken)
        {
            fault.ThrowIfFailing();
            return inner.ChangeCounterAsync(cancellationToken);
        }

        public Task<TenancySnapshot> LoadAsync(CancellationToken cancellationToken) => inner.LoadAsync(cancellationToken);

        public Task SaveOrganisationAsync(Organisation organisation, CancellationToken cancellationToken) => inner.SaveOrganisationAsync(organisation, cancellationToken);

        public Task SaveTeamAsync(Team team, CancellationToken cancellationToken) => inner.SaveTeamAsync(team, cancellationToken);

        public Task SaveKeysAsync(IReadOnlyList<VirtualKey> keys, CancellationToken cancellationToken) => inner.SaveKeysAsync(keys, cancellationToken);
    }

    /// <summary>The real SQLite ledger, with its writes failing while the switch is on.</summary>
    private sealed class FlakyLedgerStore(ILedgerStore inner, FailingSwitch fault) : ILedgerStore
    {
        public Task InitializeAsync(CancellationToken cancellationToken) => inner.InitializeAsync(cancellationToken);

        public Task AppendAsync(IReadOnlyList<LedgerRecord> batch, CancellationToken cancellationToken)
        {
            fault.ThrowIfFailing();
            return inner.AppendAsync(batch, cancellationToken);
        }

        public Task<long> CountAsync(CancellationToken cancellationToken) => inner.CountAsync(cancellationToken);

        public Task<LedgerRecord?> FindAsync(string requestId, CancellationToken cancellationToken) => inner.FindAsync(requestId, cancellationToken);

        public Task<IReadOnlyList<UsageSummaryRow>> SummarizeAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.SummarizeAsync(from, to, cancellationToken);

        public Task<IReadOnlyList<LedgerReportRow>> AggregateForReportAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.AggregateForReportAsync(from, to, cancellationToken);

        public Task<IReadOnlyList<SpendRow>> SpendAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken) =>
            inner.SpendAsync(from, to, cancellationToken);

        public Task<long> RollUpAsync(DateTimeOffset before, CancellationToken cancellationToken) => inner.RollUpAsync(before, cancellationToken);
    }

    private sealed class ThrowingService : BackgroundService
    {
        public static volatile bool Threw;

        protected override async Task ExecuteAsync(CancellationToken stoppingToken)
        {
            await Task.Yield();
            Threw = true;
            throw new InvalidOperationException("a background service bug (test)");
        }
    }
}
