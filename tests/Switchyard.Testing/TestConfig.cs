namespace Switchyard.Testing;

/// <summary>Configuration files for tests: one OpenAI-style provider per fake upstream.</summary>
public static class TestConfig
{
    /// <summary>
    /// Providers <c>primary</c> (and <c>secondary</c> when given), one deployment each of model <c>gpt-4o-mini</c>
    /// (catalog prices), an embeddings model, an alias <c>auto</c>, and the test key.
    /// </summary>
    public static string OpenAI(string primaryUrl, string? secondaryUrl = null, string extra = "", string server = "", string primaryZone = "external",
        string? secondaryZone = null, int primaryWeight = 1, int secondaryWeight = 0)
    {
        var secondaryProvider = secondaryUrl is null ? "" : $"""
              secondary:
                type: openai
                base_url: {secondaryUrl}
                api_key_env: SECONDARY_KEY
                zone: {secondaryZone ?? "external"}
                timeout: 5s
            """;
        var secondaryDeployment = secondaryUrl is null ? "" : $"""
              - id: secondary-mini
                provider: secondary
                model: gpt-4o-mini
                upstream_model: gpt-4o-mini-2024-07-18
                weight: {secondaryWeight}
            """;
        return $"""
            server:
              ledger_flush_interval: 50ms
            {server}
            providers:
              primary:
                type: openai
                base_url: {primaryUrl}
                api_key_env: PRIMARY_KEY
                zone: {primaryZone}
                timeout: 5s
                headers:
                  OpenAI-Organization: org-test
            {secondaryProvider}
            deployments:
              - id: primary-mini
                provider: primary
                model: gpt-4o-mini
                weight: {primaryWeight}
              - id: primary-embed
                provider: primary
                model: text-embedding-3-small
            {secondaryDeployment}
            models:
              gpt-4o-mini:
                catalog: openai/gpt-4o-mini
                context_window: 128000
                capabilities: [streaming, tools, parallel_tool_calls, vision, json_object, json_schema]
              text-embedding-3-small:
                capabilities: [embeddings]
                price: {"{"} input: 0.02, output: 0 {"}"}
            aliases:
              auto:
                targets:
                  - model: gpt-4o-mini
            keys:
              - name: test
                key: {SwitchyardAppFactory.TestKey}
                team: qa
            {extra}
            """;
    }

    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["PRIMARY_KEY"] = "sk-upstream-primary-secret",
        ["SECONDARY_KEY"] = "sk-upstream-secondary-secret",
    };
}
