using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

// One published gateway under load at a time: the fuzz's memory figure and the torture's timings are its own.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

namespace Switchyard.Smoke.Tests;

/// <summary>
/// The published gateway in front of wire-format fakes on loopback: an OpenAI-style upstream (<c>gpt-4o-mini</c>, the
/// embeddings model), Anthropic (<c>claude</c>), and an upstream that fails every request with 500
/// (<c>failing-model</c>: the one place a 5xx is the right answer). The admin API is on (<see cref="AdminKey"/>).
/// </summary>
public sealed class SmokeGateway : IAsyncLifetime
{
    public const string ClientKey = "sk-smoke-client-0123456789";
    public static readonly string AdminKey = "adm" + "-smoke-master-0123456789";

    private readonly PublishedBuild _build;

    public SmokeGateway(PublishedBuild build) => _build = build;

    public FakeUpstream OpenAI { get; private set; } = null!;

    public FakeAnthropicUpstream Anthropic { get; private set; } = null!;

    public FakeUpstream Failing { get; private set; } = null!;

    public RunningGateway Gateway { get; private set; } = null!;

    public static IReadOnlyDictionary<string, string> Environment { get; } = new Dictionary<string, string>
    {
        ["SMOKE_OPENAI_KEY"] = "sk-" + "smoke-upstream-openai",
        ["SMOKE_ANTHROPIC_KEY"] = "sk-" + "ant-smoke-upstream",
        ["SMOKE_ADMIN_KEY"] = AdminKey,
    };

    public static string Config(string openAIUrl, string anthropicUrl, string failingUrl, string server = "", string aliases = "") => $$"""
        server:
          admin_key_env: SMOKE_ADMIN_KEY
          ledger_flush_interval: 50ms
          max_request_body_bytes: 1048576
        {{server}}
        providers:
          openai: { type: openai, base_url: "{{openAIUrl}}", api_key_env: SMOKE_OPENAI_KEY, timeout: 10s }
          anthropic: { type: anthropic, base_url: "{{anthropicUrl}}", api_key_env: SMOKE_ANTHROPIC_KEY, timeout: 10s }
          failing: { type: openai, base_url: "{{failingUrl}}", api_key_env: SMOKE_OPENAI_KEY, timeout: 10s }
        deployments:
          - { id: gpt, provider: openai, model: gpt-4o-mini }
          - { id: embed, provider: openai, model: text-embedding-3-small }
          - { id: claude-dep, provider: anthropic, model: claude, upstream_model: claude-sonnet-4-5 }
          - { id: failing-dep, provider: failing, model: failing-model }
        models:
          gpt-4o-mini:
            catalog: openai/gpt-4o-mini
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_object, json_schema]
          text-embedding-3-small:
            capabilities: [embeddings]
            price: { input: 0.02, output: 0 }
          claude:
            context_window: 200000
            max_output_tokens: 8192
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_schema]
            price: { input: 3, output: 15 }
          failing-model:
            capabilities: [streaming]
            price: { input: 1, output: 1 }
        aliases:
          auto:
            targets:
              - model: gpt-4o-mini
        {{aliases}}
        keys:
          - name: smoke
            key: {{ClientKey}}
        """;

    public async ValueTask InitializeAsync()
    {
        OpenAI = await FakeUpstream.StartAsync();
        Anthropic = await FakeAnthropicUpstream.StartAsync();
        Failing = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "The server had an error while processing your request.", "server_error"));
        Gateway = await RunningGateway.StartAsync(_build, Config(OpenAI.BaseUrl, Anthropic.BaseUrl, Failing.BaseUrl), Environment);
    }

    public async ValueTask DisposeAsync()
    {
        if (Gateway is not null)
        {
            await Gateway.DisposeAsync();
        }

        await OpenAI.DisposeAsync();
        await Anthropic.DisposeAsync();
        await Failing.DisposeAsync();
    }
}
