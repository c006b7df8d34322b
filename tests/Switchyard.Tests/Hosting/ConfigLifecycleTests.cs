using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Switchyard.Core.Snapshot;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Hosting;

public sealed class ConfigLifecycleTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Startup_InvalidConfig_FailsWithEveryErrorLocated()
    {
        const string Broken = """
            providers:
              p1: { type: openai, base_url: not-a-url, api_key: sk-inline-secret }
              p2: { type: carrier-pigeon }
            deployments:
              - { id: d1, provider: p9, model: m1 }
              - { id: d1, provider: p1, model: missing }
            models:
              m1: { context_window: -5, capabilities: [telepathy] }
            aliases:
              a1: { targets: [ { model: nope } ] }
            keys:
              - { name: k }
            surprise: true
            """;

        var ex = await Assert.ThrowsAsync<ConfigException>(() => SwitchyardAppFactory.StartAsync(Broken));

        var text = ex.Message;
        foreach (var expected in new[]
        {
            "providers.p1.base_url", "providers.p1.api_key", "providers.p2.type", "deployments[0].provider", "deployments[1].id",
            "deployments[1].model", "models.m1.context_window", "models.m1.capabilities", "aliases.a1.targets[0].model", "keys[0]", "unknown key 'surprise'",
        })
        {
            Assert.Contains(expected, text, StringComparison.Ordinal);
        }

        Assert.Contains("switchyard.yaml:2:", text, StringComparison.Ordinal);
        Assert.DoesNotContain("sk-inline-secret", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Startup_ProviderKeyVariableUnset_SkipsProviderAndSays503WithReason()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), environment: new Dictionary<string, string>());
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        var models = await client.GetFromJsonAsync<JsonNode>("/v1/models", Ct);

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Contains("PRIMARY_KEY is not set", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Empty(models!["data"]!.AsArray());
        Assert.Empty(upstream.Received);
    }

    [Fact]
    public async Task Reload_ValidChange_IsServedWithoutRestart()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var config = TestConfig.OpenAI(upstream.BaseUrl);
        await using var app = await SwitchyardAppFactory.StartAsync(config, TestConfig.Keys);
        using var client = app.CreateClient();

        await File.WriteAllTextAsync(app.ConfigPath, config.Replace("  auto:\n", "  fast:\n    targets:\n      - model: gpt-4o-mini\n  auto:\n", StringComparison.Ordinal), Ct);

        await Until.TrueAsync(async () =>
        {
            using var response = await client.PostAsync("/v1/chat/completions",
                new StringContent("""{"model":"fast","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
            return response.StatusCode == HttpStatusCode.OK;
        }, "the reloaded alias 'fast' is served", Ct);
    }

    [Fact]
    public async Task Reload_InvalidChange_KeepsRunningConfiguration()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        var logs = new RecordingLoggerProvider();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys,
            services => services.AddSingleton<ILoggerProvider>(logs));
        using var client = app.CreateClient();
        var before = app.Service<Core.Route.RouteTableHolder>().Current;

        await File.WriteAllTextAsync(app.ConfigPath, "providers: [this is not a mapping", Ct);
        // Wait until the watcher has read the file and refused it: only then does "nothing changed" mean something.
        await Until.TrueAsync(() => logs.Contains(Switchyard.Telemetry.EventIds.ConfigReloadFailed), "the invalid file is refused and logged", Ct);

        Assert.Same(before, app.Service<Core.Route.RouteTableHolder>().Current);
        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"auto","messages":[{"role":"user","content":"hi"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task Health_LiveAndReady_Answer200()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient(key: null);

        using var live = await client.GetAsync("/health/live", Ct);
        using var ready = await client.GetAsync("/health/ready", Ct);

        Assert.Equal(HttpStatusCode.OK, live.StatusCode);
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Contains("ready", await ready.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExampleConfig_StartsWithNoKeysAndAnswersWithSimulatedReplies()
    {
        var example = await File.ReadAllTextAsync(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"), Ct);
        await using var app = await SwitchyardAppFactory.StartAsync(example);
        using var client = app.CreateClient("sk-switchyard-local-dev");

        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent("""{"model":"auto","messages":[{"role":"user","content":"Hello!"}]}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("true", response.Headers.GetValues("x-switchyard-simulated").Single());
        var json = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("switchyard-simulated", json["system_fingerprint"]!.GetValue<string>());
        Assert.False(string.IsNullOrWhiteSpace(json["choices"]![0]!["message"]!["content"]!.GetValue<string>()));
    }

    [Theory]
    [InlineData("What is the capital of France?", "llama-3.1-8b")]
    [InlineData("A 2 kg block slides down a frictionless incline of 30 degrees from a height of 5 m. Compute its speed at the bottom and the time taken.", "llama-3.3-70b")]
    public async Task ExampleConfig_AutoSendsEasyWorkToTheSmallModelAndHardWorkToTheLargeOne(string prompt, string expected)
    {
        // The example's thresholds sit on the scale the quality model predicts (MMLU-Pro-like questions, where the 8B
        // averages 0.44 and the 70B 0.63): a bar both models miss would send everything to the 70B.
        var example = await File.ReadAllTextAsync(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"), Ct);
        await using var app = await SwitchyardAppFactory.StartAsync(example);
        using var client = app.CreateClient("sk-switchyard-local-dev");
        var body = new JsonObject
        {
            ["model"] = "auto",
            ["messages"] = new JsonArray(new JsonObject { ["role"] = "user", ["content"] = prompt }),
        };

        using var response = await client.PostAsync("/v1/chat/completions", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(expected, response.Headers.GetValues("x-switchyard-model").Single());
        Assert.StartsWith("cheapest-qualifying: " + expected, response.Headers.GetValues("x-switchyard-route").Single(), StringComparison.Ordinal);
    }
}
