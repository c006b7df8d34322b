using System.Net.Http.Headers;
using System.Text;
using Switchyard.Core.Ledger;
using Switchyard.Core.Reports;
using Switchyard.Ledger;
using Switchyard.Testing.Upstreams;
namespace Switchyard.Testing.Host;

/// <summary>
/// A gateway that has served real, varied traffic through fake upstreams, for the admin API and console tests: an
/// external provider (gpt-4o-mini, gpt-4o), a self-hosted one (llama-3.1-8b), a failing one (gpt-4.1); successes,
/// streams, a restricted prompt rerouted to the self-hosted zone, one refused for its data class, an upstream failure,
/// an unknown model, embeddings. Every record is in the ledger when <see cref="StartAsync"/> returns.
/// </summary>
public sealed class ConsoleGateway : IAsyncDisposable
{
    public const string AdminKey = "sk-admin-console-test-0123456789";

    private readonly FakeUpstream[] _upstreams;

    private ConsoleGateway(SwitchyardAppFactory app, FakeUpstream[] upstreams, IReadOnlyList<string> requestIds)
    {
        App = app;
        _upstreams = upstreams;
        RequestIds = requestIds;
    }

    public SwitchyardAppFactory App { get; }

    /// <summary>The request ids the traffic got (x-request-id), in order.</summary>
    public IReadOnlyList<string> RequestIds { get; }

    public static string Config(string cloud, string onprem, string broken, string console = "") => $$"""
        server:
          ledger_flush_interval: 50ms
          admin_key_env: SWITCHYARD_ADMIN_KEY
        {{console}}
        providers:
          cloud: { type: openai, base_url: {{cloud}}, api_key_env: PRIMARY_KEY, zone: external, timeout: 5s }
          onprem: { type: openai, base_url: {{onprem}}, api_key_env: SECONDARY_KEY, zone: self-hosted, timeout: 5s }
          broken: { type: openai, base_url: {{broken}}, api_key_env: PRIMARY_KEY, zone: external, timeout: 5s }
        deployments:
          - { id: cloud-mini, provider: cloud, model: gpt-4o-mini }
          - { id: cloud-4o, provider: cloud, model: gpt-4o }
          - { id: onprem-llama, provider: onprem, model: llama-3.1-8b }
          - { id: broken-41, provider: broken, model: gpt-4.1 }
          - { id: cloud-embed, provider: cloud, model: text-embedding-3-small }
        models:
          gpt-4o-mini: { catalog: openai/gpt-4o-mini, capabilities: [streaming, tools, json_object, json_schema] }
          gpt-4o: { catalog: openai/gpt-4o, capabilities: [streaming, tools, json_object, json_schema] }
          gpt-4.1: { price: { input: 2, output: 8 }, capabilities: [streaming] }
          llama-3.1-8b: { catalog: deepinfra/meta-llama-3.1-8b-instruct, capabilities: [streaming, json_object], open_weights: true }
          text-embedding-3-small: { capabilities: [embeddings], price: { input: 0.02, output: 0 } }
        aliases:
          auto:
            targets:
              - { model: gpt-4o-mini, weight: 1 }
              - { model: llama-3.1-8b, weight: 1 }
        keys:
          - { name: test, key: {{SwitchyardAppFactory.TestKey}}, team: qa }
          - { name: other, key: sk-other-team-key-0123456789, team: research }
        """;

    public static async Task<ConsoleGateway> StartAsync(string console = "")
    {
        var cloud = await FakeUpstream.StartAsync();
        var onprem = await FakeUpstream.StartAsync();
        var broken = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "the upstream broke", "server_error"));
        var environment = new Dictionary<string, string>(TestConfig.Keys) { ["SWITCHYARD_ADMIN_KEY"] = AdminKey };
        var app = await SwitchyardAppFactory.StartAsync(Config(cloud.BaseUrl, onprem.BaseUrl, broken.BaseUrl, console), environment);
        var ids = new List<string>();
        using var client = app.CreateClient();
        using var other = app.CreateClient("sk-other-team-key-0123456789");
        async Task SendAsync(HttpClient c, string path, string body)
        {
            using var response = await c.PostAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
            await response.Content.ReadAsStringAsync();
            ids.Add(response.Headers.TryGetValues("x-request-id", out var v) ? v.Single() : "");
        }

        for (var i = 0; i < 6; i++)
        {
            await SendAsync(client, "/v1/chat/completions", $$"""{"model":"auto","messages":[{"role":"user","content":"What is the capital of France? ({{i}})"}]}""");
        }

        for (var i = 0; i < 3; i++)
        {
            await SendAsync(other, "/v1/chat/completions", """{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Write a haiku."}]}""");
        }

        await SendAsync(client, "/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Summarise our plan."}]}""");
        // A card number makes the prompt restricted: auto keeps it on the self-hosted model, gpt-4o refuses it.
        await SendAsync(client, "/v1/chat/completions", """{"model":"auto","messages":[{"role":"user","content":"Charge card 4111 1111 1111 1111 for the order."}]}""");
        await SendAsync(client, "/v1/chat/completions", """{"model":"gpt-4o","messages":[{"role":"user","content":"Charge card 4111 1111 1111 1111 for the order."}]}""");
        await SendAsync(client, "/v1/chat/completions", """{"model":"gpt-4.1","messages":[{"role":"user","content":"Hello?"}]}""");
        await SendAsync(client, "/v1/chat/completions", """{"model":"no-such-model","messages":[{"role":"user","content":"Hello?"}]}""");
        await SendAsync(client, "/v1/embeddings", """{"model":"text-embedding-3-small","input":"hello"}""");
        var expected = ids.Count(id => id.Length > 0);
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await app.Ledger.CountAsync(deadline.Token) < expected)
        {
            await Task.Delay(20, deadline.Token);
        }

        return new ConsoleGateway(app, [cloud, onprem, broken], [.. ids.Where(id => id.Length > 0)]);
    }

    /// <summary>A client with the admin key.</summary>
    public HttpClient AdminClient()
    {
        var client = new HttpClient { BaseAddress = App.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", AdminKey);
        return client;
    }

    /// <summary>Every ledger record, read through the request list (the ledger's own figures to compare pages against).</summary>
    public async Task<IReadOnlyList<LedgerRecord>> LedgerAsync()
    {
        var page = await App.Service<ILedgerAnalytics>().ListRequestsAsync(new RequestQuery { FromMs = 0, ToMs = long.MaxValue, Limit = AnalyticsSql.MaxPageSize }, default);
        return page.Rows;
    }

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        foreach (var upstream in _upstreams)
        {
            await upstream.DisposeAsync();
        }
    }
}
