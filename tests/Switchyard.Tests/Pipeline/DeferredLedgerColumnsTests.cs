using System.Net;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Gate;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Pipeline;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Pipeline;

/// <summary>
/// A pinned model or a weighted alias is routed without the task analysis; the ledger writer classifies the request
/// and writes the route candidates after the response, so the ledger row is the same as when Inspect classified it.
/// </summary>
public sealed class DeferredLedgerColumnsTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Config(string url) => $$"""
        server:
          ledger_flush_interval: 50ms
        providers:
          own:
            type: openai
            base_url: {{url}}
            zone: self-hosted
        deployments:
          - id: own-8b
            provider: own
            model: llama-3.1-8b
          - id: own-70b
            provider: own
            model: llama-3.3-70b
        models:
          llama-3.1-8b:
            catalog: together/llama-3.1-8b-instruct-turbo
          llama-3.3-70b:
            catalog: together/llama-3.3-70b-instruct-turbo
        aliases:
          canary:
            targets:
              - model: llama-3.1-8b
                weight: 1
          auto:
            objective: cheapest-qualifying
            targets:
              - model: llama-3.3-70b
              - model: llama-3.1-8b
        keys:
          - name: test
            key: {{SwitchyardAppFactory.TestKey}}
        """;

    private static StringContent Body(string model, string prompt, bool stream = false) =>
        new("{\"model\":\"" + model + "\"" + (stream ? ",\"stream\":true" : "") + ",\"messages\":[{\"role\":\"system\",\"content\":\"Be brief.\"},{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}",
            Encoding.UTF8, "application/json");

    [Fact]
    public async Task PinnedWeightedAndStreamed_MathPrompt_LedgerHasTaskCategoryAndCandidates()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var pinned = await client.PostAsync("/v1/chat/completions", Body("llama-3.1-8b", TestPrompts.HardPhysicsJson), Ct);
        using var weighted = await client.PostAsync("/v1/chat/completions", Body("canary", TestPrompts.HardPhysicsJson), Ct);
        using var streamed = await client.PostAsync("/v1/chat/completions", Body("llama-3.1-8b", TestPrompts.HardPhysicsJson, stream: true), Ct);
        _ = await streamed.Content.ReadAsStringAsync(Ct);
        using var ranked = await client.PostAsync("/v1/chat/completions", Body("auto", TestPrompts.HardPhysicsJson), Ct);

        foreach (var response in new[] { pinned, weighted, streamed, ranked })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        await app.StopAsync();
        foreach (var (response, deployment, objective) in new[] { (pinned, "own-8b", "weighted"), (weighted, "own-8b", "weighted"), (streamed, "own-8b", "weighted") })
        {
            var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
            Assert.NotNull(record);
            Assert.Equal("math", record.TaskCategory);
            Assert.Equal(objective, record.RouteObjective);
            using var candidates = JsonDocument.Parse(record.RouteCandidates!);
            var only = Assert.Single(candidates.RootElement.EnumerateArray());
            Assert.Equal(deployment, only.GetProperty("deployment").GetString());
            Assert.False(only.TryGetProperty("quality", out _));
        }

        // The ranked alias classified before routing, as it always did: same category, candidates with their quality.
        var rankedRecord = await app.Ledger.FindAsync(ranked.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.Equal("math", rankedRecord!.TaskCategory);
        using var rankedCandidates = JsonDocument.Parse(rankedRecord.RouteCandidates!);
        Assert.Equal(2, rankedCandidates.RootElement.GetArrayLength());
        Assert.All(rankedCandidates.RootElement.EnumerateArray(), c => Assert.InRange(c.GetProperty("quality").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task Embeddings_NotClassified_LedgerTaskCategoryStaysNull()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var response = await client.PostAsync("/v1/embeddings",
            new StringContent("{\"model\":\"text-embedding-3-small\",\"input\":\"Solve 2x + 3 = 7 for x.\"}", Encoding.UTF8, "application/json"), Ct);

        await app.StopAsync();
        var record = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.NotNull(record);
        Assert.Null(record.TaskCategory);
    }

    [Theory]
    [InlineData("pinned", null, null, false)]
    [InlineData("weighted", null, null, false)]
    [InlineData("ranked", null, null, true)]
    [InlineData("weighted", RouteObjective.Best, null, true)]
    [InlineData("weighted", null, RouteObjective.CheapestQualifying, true)]
    [InlineData("ranked", RouteObjective.Weighted, null, false)]
    [InlineData("ranked", null, RouteObjective.Weighted, false)]
    public void RouteNeedsTask_OnlyWhenAnAliasRanksByQuality(string model, RouteObjective? asked, RouteObjective? keyObjective, bool expected)
    {
        var table = new RouteTableCompiler([new InertAdapterFactory()], new FakeTimeProvider(), static _ => null).Compile(new GatewayConfig
        {
            Providers = [new ProviderConfig { Name = "own", Type = "inert", Zone = TrustZone.SelfHosted }],
            Models = [new ModelConfig { Name = "pinned", Price = new PriceOverride(1m, 2m, null, null) }],
            Deployments = [new DeploymentConfig { Id = "d", Provider = "own", Model = "pinned" }],
            Aliases =
            [
                new AliasConfig { Name = "weighted", Targets = [new("pinned", 1)] },
                new AliasConfig { Name = "ranked", Targets = [new("pinned", 1)], Objective = RouteObjective.CheapestQualifying },
            ],
        });
        var caller = new Caller { KeyName = "test", KeyId = "000000000000", Objective = keyObjective };
        var request = new CanonicalRequest { ClientFormat = ApiFormat.OpenAI, Operation = Operation.ChatCompletion, Model = model };

        Assert.Equal(expected, InspectStage.RouteNeedsTask(table, request, caller, new RouteOverrides(asked, null)));
        Assert.False(InspectStage.RouteNeedsTask(table, request with { Operation = Operation.Embeddings }, caller, new RouteOverrides(asked, null)));
    }
}
