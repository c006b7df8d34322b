namespace Switchyard.Testing.Host;

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

/// <summary>Configuration with one Anthropic (<c>claude</c>) and one Gemini (<c>gemini</c>) deployment, plus an OpenAI-style one (<c>gpt-4o-mini</c>).</summary>
public static class TranslationConfig
{
    public static readonly IReadOnlyDictionary<string, string> Keys = new Dictionary<string, string>
    {
        ["ANTHROPIC_KEY"] = "sk-" + "ant-upstream-secret",
        ["GEMINI_KEY"] = "AIza" + "upstream-secret",
        ["PRIMARY_KEY"] = "sk-" + "upstream-primary-secret",
    };

    public static string Yaml(string anthropicUrl, string geminiUrl, string openAIUrl) => $$"""
        server:
          ledger_flush_interval: 50ms
        providers:
          anthropic:
            type: anthropic
            base_url: {{anthropicUrl}}
            api_key_env: ANTHROPIC_KEY
            timeout: 5s
          google:
            type: gemini
            base_url: {{geminiUrl}}
            api_key_env: GEMINI_KEY
            timeout: 5s
          primary:
            type: openai
            base_url: {{openAIUrl}}
            api_key_env: PRIMARY_KEY
            timeout: 5s
        deployments:
          - id: claude-dep
            provider: anthropic
            model: claude
            upstream_model: claude-sonnet-4-5
          - id: gemini-dep
            provider: google
            model: gemini
            upstream_model: gemini-2.0-flash
          - id: primary-mini
            provider: primary
            model: gpt-4o-mini
          - id: gemini-embed-dep
            provider: google
            model: gemini-embedding
            upstream_model: gemini-embedding-001
        models:
          claude:
            context_window: 200000
            max_output_tokens: 8192
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_schema]
            price: { input: 3, output: 15, cached_input: 0.3, cache_write: 3.75 }
          gemini:
            context_window: 1000000
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_object, json_schema]
            price: { input: 0.1, output: 0.4 }
          gpt-4o-mini:
            catalog: openai/gpt-4o-mini
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_object, json_schema]
          gemini-embedding:
            capabilities: [embeddings]
            price: { input: 0.15, output: 0 }
        aliases:
          any-format:
            targets:
              - model: gpt-4o-mini
              - model: claude
        keys:
          - name: test
            key: {{SwitchyardAppFactory.TestKey}}
            team: qa
        """;
}
