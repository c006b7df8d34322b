using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Common;
using Switchyard.Core.Ledger;
using Switchyard.Ledger;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Gate;

/// <summary>
/// The budget reservation policy through the real gateway (docs/tenancy.md): a request without <c>max_tokens</c>
/// reserves the configured default, not the model's whole output limit; the reservation settles to the real cost;
/// when the real output exceeds the reservation the overshoot is that one excess, and the next request is refused
/// with <c>x-should-retry: false</c>.
/// </summary>
public sealed class BudgetReservationTests
{
    // gpt-4o-mini at catalog prices: $0.15 in, $0.60 out per million tokens.
    private const decimal OutputUsdPerToken = 0.60m / 1_000_000m;
    private const decimal InputUsdPerToken = 0.15m / 1_000_000m;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<SwitchyardAppFactory> StartAsync(FakeUpstream upstream) =>
        SwitchyardAppFactory.StartAsync(
            TestConfig.OpenAI(upstream.BaseUrl, server: "  admin_key_env: ADMIN_KEY"),
            new Dictionary<string, string>(TestConfig.Keys) { ["ADMIN_KEY"] = TenancyHttp.AdminKey });

    private static StringContent Chat() => new("""{"model":"auto","messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

    private static StringContent Message() => new("""{"model":"auto","max_tokens":16,"messages":[{"role":"user","content":"hello"}]}""", Encoding.UTF8, "application/json");

    [Fact]
    public async Task Budget_NoMaxTokens_ReservesTheDefaultNotTheWholeOutput_AndSettlesToTheRealCost()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        // 1,024 output tokens reserve $0.0006; 4,096 (the old reservation here) would need $0.0025.
        var team = await admin.CreateTeamAsync("acme", "search", """{"budget_daily_usd":0.002}""", Ct);
        var (_, secret) = await admin.CreateKeyAsync(team, "svc", Ct);
        using var client = app.CreateClient(secret);

        using var response = await client.PostAsync("/v1/chat/completions", Chat(), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        await app.StopAsync();
        var served = await app.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        var counter = Assert.Single(await app.Service<Switchyard.Core.Stores.IBudgetStore>().ReadCountersAsync("team:" + team + "|", Ct));
        Assert.Equal(Money.ToNanoUsd(served!.CostUsd), counter.SpentNanoUsd);
        Assert.Equal(0, counter.ReservedNanoUsd);
    }

    [Fact]
    public async Task Budget_RealOutputExceedsTheReservation_OvershootIsThatExcess_ThenRefusedWithoutRetry()
    {
        await using var upstream = await FakeUpstream.StartAsync();
        await using var app = await StartAsync(upstream);
        using var admin = new TenancyHttp(app.BaseAddress, TenancyHttp.AdminKey);
        // The key reserves 1 output token; the upstream writes 7. The reservation fits $0.000004, the real cost does not.
        var limit = 0.000004m;
        var team = await admin.CreateTeamAsync("acme", "search", $$"""{"budget_daily_usd":{{limit}}}""", Ct);
        var (_, secret) = await admin.CreateKeyAsync(team, "svc", Ct, """{"reserved_output_tokens":1}""");
        using var client = app.CreateClient(secret);

        using var first = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
        using var second = await client.PostAsync("/v1/chat/completions", Chat(), Ct);
        using var anthropic = await client.PostAsync("/v1/messages", Message(), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        foreach (var refused in new[] { second, anthropic })
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.Equal("false", refused.Headers.GetValues("x-should-retry").Single());
            Assert.Contains("daily budget", await refused.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal("budget_exceeded", JsonNode.Parse(await second.Content.ReadAsStringAsync(Ct))!["error"]!["code"]!.GetValue<string>());
        Assert.Equal("rate_limit_error", JsonNode.Parse(await anthropic.Content.ReadAsStringAsync(Ct))!["error"]!["type"]!.GetValue<string>());
        Assert.Single(upstream.Received);
        await app.StopAsync();
        var served = await app.Ledger.FindAsync(first.Headers.GetValues("x-request-id").Single(), Ct);
        var counter = Assert.Single(await app.Service<Switchyard.Core.Stores.IBudgetStore>().ReadCountersAsync("team:" + team + "|", Ct));
        Assert.Equal(Money.ToNanoUsd(served!.CostUsd), counter.SpentNanoUsd);
        // Overshoot: the output beyond the reservation (and the input estimate's error), from the one request in flight.
        var overshoot = served.CostUsd - limit;
        Assert.True(overshoot > 0, $"cost {served.CostUsd} should exceed the limit {limit}");
        Assert.True(overshoot <= (OpenAIWire.CompletionTokens - 1) * OutputUsdPerToken + OpenAIWire.PromptTokens * InputUsdPerToken, $"overshoot {overshoot}");
    }
}
