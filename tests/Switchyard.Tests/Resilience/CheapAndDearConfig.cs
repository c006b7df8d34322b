using Switchyard.Testing;
using Switchyard.Testing.Host;

namespace Switchyard.Tests.Resilience;

/// <summary>
/// An alias <c>assistant</c> whose first choice is a cheap self-hosted model (<c>llama</c> on <c>local-llama</c>, $0.10 / $0.20
/// per million tokens) and whose fallback is a dear external one (<c>frontier</c> on <c>frontier-4o</c>, $2.50 / $10): the
/// shape of issue 13's defect 12.
/// </summary>
internal static class CheapAndDearConfig
{
    public static string Yaml(string localUrl, string frontierUrl, string resilienceDefaults, string server = "") => $$"""
        server:
          ledger_flush_interval: 50ms
        {{server}}
        providers:
          local: { type: openai, base_url: {{localUrl}}, api_key_env: PRIMARY_KEY, zone: self-hosted, timeout: 5s, connect_timeout: 200ms }
          frontier: { type: openai, base_url: {{frontierUrl}}, api_key_env: SECONDARY_KEY, zone: external, timeout: 5s }
        deployments:
          - { id: local-llama, provider: local, model: llama }
          - { id: frontier-4o, provider: frontier, model: frontier }
        models:
          llama: { capabilities: [streaming], price: { input: 0.1, output: 0.2 } }
          frontier: { capabilities: [streaming], price: { input: 2.5, output: 10 } }
        aliases:
          assistant:
            targets:
              - { model: llama, weight: 1 }
              - { model: frontier, weight: 0 }
        keys:
          - { name: test, key: {{SwitchyardAppFactory.TestKey}} }
        resilience:
          defaults: {{resilienceDefaults}}
        """;
}
