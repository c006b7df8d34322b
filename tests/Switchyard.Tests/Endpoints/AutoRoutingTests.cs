using System.Net;
using System.Text;
using System.Text.Json;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Endpoints;

/// <summary>The <c>auto</c> alias end to end: HTTP in, the objective picks the upstream, HTTP out, ledger.</summary>
public sealed class AutoRoutingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Config(string cheapUrl, string frontierUrl) => $$"""
        server:
          ledger_flush_interval: 50ms
        providers:
          cheap:
            type: openai
            base_url: {{cheapUrl}}
            api_key_env: PRIMARY_KEY
            zone: external
          own:
            type: openai
            base_url: {{frontierUrl}}
            zone: self-hosted
        deployments:
          - id: cheap-8b
            provider: cheap
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
          auto:
            objective: cheapest-qualifying
            thresholds: { default: 0.5 }
            targets:
              - model: llama-3.3-70b
              - model: llama-3.1-8b
          thrifty:
            objective: value
            thresholds: { quality_per_dollar: 1000000 }
            targets:
              - model: llama-3.3-70b
              - model: llama-3.1-8b
          lavish:
            objective: value
            thresholds: { quality_per_dollar: 0 }
            targets:
              - model: llama-3.3-70b
              - model: llama-3.1-8b
        keys:
          - name: test
            key: {{SwitchyardAppFactory.TestKey}}
            team: qa
            allowed_objectives: [cheapest-qualifying, best]
        """;

    private static StringContent Body(string prompt, string model = "auto") =>
        new("{\"model\":\"" + model + "\",\"messages\":[{\"role\":\"user\",\"content\":\"" + prompt + "\"}]}", Encoding.UTF8, "application/json");

    [Fact]
    public async Task Auto_EasyPromptGoesToTheCheapModel_HardPromptToTheFrontierOne_LedgerKeepsTheDecision()
    {
        await using var cheap = await FakeUpstream.StartAsync();
        await using var frontier = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(cheap.BaseUrl, frontier.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        using var easy = await client.PostAsync("/v1/chat/completions", Body("What is the capital of France?"), Ct);
        using var hard = await client.PostAsync("/v1/chat/completions", Body(TestPrompts.HardPhysicsJson), Ct);

        Assert.Equal(HttpStatusCode.OK, easy.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hard.StatusCode);
        Assert.Equal("llama-3.1-8b", easy.Headers.GetValues("x-switchyard-model").Single());
        Assert.Equal("llama-3.3-70b", hard.Headers.GetValues("x-switchyard-model").Single());
        Assert.StartsWith("cheapest-qualifying: llama-3.1-8b (qa q ", easy.Headers.GetValues("x-switchyard-route").Single(), StringComparison.Ordinal);
        Assert.Single(cheap.Received);
        Assert.Single(frontier.Received);

        await app.StopAsync();
        var record = await app.Ledger.FindAsync(hard.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.NotNull(record);
        Assert.Equal("math", record.TaskCategory);
        Assert.Equal("cheapest-qualifying", record.RouteObjective);
        using var candidates = JsonDocument.Parse(record.RouteCandidates!);
        Assert.Equal(["own-70b", "cheap-8b"], candidates.RootElement.EnumerateArray().Select(c => c.GetProperty("deployment").GetString()));
        Assert.All(candidates.RootElement.EnumerateArray(), c => Assert.InRange(c.GetProperty("quality").GetDouble(), 0, 1));
    }

    [Fact]
    public async Task Auto_ObjectiveHeader_WithinPolicyApplies_OutsideIs403_MalformedIs400()
    {
        await using var cheap = await FakeUpstream.StartAsync();
        await using var frontier = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(cheap.BaseUrl, frontier.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        async Task<HttpResponseMessage> Send(string objective)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Body("What is the capital of France?") };
            request.Headers.Add("x-switchyard-objective", objective);
            return await client.SendAsync(request, Ct);
        }

        using var best = await Send("best");
        using var fastest = await Send("fastest");
        using var bogus = await Send("cheapest");

        Assert.Equal(HttpStatusCode.OK, best.StatusCode);
        Assert.Equal("llama-3.3-70b", best.Headers.GetValues("x-switchyard-model").Single());
        Assert.Equal(HttpStatusCode.Forbidden, fastest.StatusCode);
        Assert.Contains("objective_not_allowed", await fastest.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Contains("x-switchyard-objective", await bogus.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Value_QualityPerDollarHeader_MayLowerThePoliciesLambdaNeverRaiseIt_MalformedIs400()
    {
        await using var cheap = await FakeUpstream.StartAsync();
        await using var frontier = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(cheap.BaseUrl, frontier.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();

        async Task<HttpResponseMessage> Send(string alias, string? rate)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Body(TestPrompts.HardPhysicsJson, alias) };
            if (rate is not null)
            {
                request.Headers.Add("x-switchyard-quality-per-dollar", rate);
            }

            return await client.SendAsync(request, Ct);
        }

        using var thrifty = await Send("thrifty", null);
        using var thriftyLowered = await Send("thrifty", "0");
        using var lavish = await Send("lavish", null);
        using var lavishRaised = await Send("lavish", "1e9");
        using var bogus = await Send("thrifty", "-3");

        // λ = 10^6 quality per dollar: the 70B's extra cost outweighs its gain; λ = 0: quality alone decides.
        Assert.Equal("llama-3.1-8b", thrifty.Headers.GetValues("x-switchyard-model").Single());
        Assert.StartsWith("value: llama-3.1-8b (math q ", thrifty.Headers.GetValues("x-switchyard-route").Single(), StringComparison.Ordinal);
        Assert.Equal("llama-3.3-70b", thriftyLowered.Headers.GetValues("x-switchyard-model").Single());
        Assert.Equal("llama-3.3-70b", lavish.Headers.GetValues("x-switchyard-model").Single());
        Assert.Equal("llama-3.3-70b", lavishRaised.Headers.GetValues("x-switchyard-model").Single());
        Assert.Equal(HttpStatusCode.BadRequest, bogus.StatusCode);
        Assert.Contains("x-switchyard-quality-per-dollar", await bogus.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(3, frontier.Received.Count);
        Assert.Single(cheap.Received);
    }

    [Fact]
    public async Task Auto_RestrictedRequest_ReachesOnlyTheSelfHostedUpstream()
    {
        await using var cheap = await FakeUpstream.StartAsync();
        await using var frontier = await FakeUpstream.StartAsync();
        await using var app = await SwitchyardAppFactory.StartAsync(Config(cheap.BaseUrl, frontier.BaseUrl), TestConfig.Keys);
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = Body("What is the capital of France?") };
        request.Headers.Add("x-switchyard-data-class", "restricted");

        using var response = await client.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("own-70b", response.Headers.GetValues("x-switchyard-deployment").Single());
        Assert.Empty(cheap.Received);
    }
}
