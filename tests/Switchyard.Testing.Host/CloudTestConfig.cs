using Switchyard.Testing.Upstreams;

namespace Switchyard.Testing.Host;

/// <summary>
/// The gateway configured against the cloud fakes: Bedrock with environment keys (<c>bedrock-claude</c>) and with web
/// identity (<c>bedrock-irsa</c>), Gemini and Claude on Vertex AI (<c>vertex-gemini</c>, <c>vertex-claude</c>), Azure
/// OpenAI by api-key on deployment URLs (<c>azure-gpt</c>), by an Entra ID client secret on the v1 surface
/// (<c>azure-entra</c>) and by workload identity (<c>azure-wi</c>).
/// </summary>
public static class CloudTestConfig
{
    public const string BedrockModelId = "anthropic.claude-3-5-haiku-20241022-v1:0";
    public const string BedrockProfileId = "eu.anthropic.claude-3-7-sonnet-20250219-v1:0";
    public const string VertexClaude = "claude-sonnet-4-5@20250929";
    public const string AzureDeployment = "gpt-4o-prod";

    public static Dictionary<string, string> Environment(FakeVertexUpstream vertex) => new()
    {
        ["AWS_ACCESS_KEY_ID"] = FakeBedrockUpstream.AccessKeyId,
        ["AWS_SECRET_ACCESS_KEY"] = FakeBedrockUpstream.SecretAccessKey,
        ["VERTEX_KEY"] = vertex.ServiceAccountKeyJson,
        ["AZURE_KEY"] = FakeAzureOpenAIUpstream.ApiKey,
        ["ENTRA_SECRET"] = FakeEntra.ClientSecret,
    };

    public static string Yaml(FakeBedrockUpstream bedrock, FakeVertexUpstream vertex, FakeAzureOpenAIUpstream azure, FakeEntra entra, string tokenFile, string azureTokenFile) => $$"""
        server:
          ledger_flush_interval: 50ms
        providers:
          aws:
            type: bedrock
            region: {{FakeBedrockUpstream.Region}}
            base_url: {{bedrock.BaseUrl}}
            auth: { type: env }
            timeout: 5s
          aws-irsa:
            type: bedrock
            region: {{FakeBedrockUpstream.Region}}
            base_url: {{bedrock.BaseUrl}}
            auth: { type: web-identity, role_arn: "{{FakeBedrockUpstream.RoleArn}}", token_file: "{{tokenFile}}", sts_url: "{{bedrock.StsUrl}}" }
            timeout: 5s
          gcp:
            type: vertex
            project: {{FakeVertexUpstream.Project}}
            region: {{FakeVertexUpstream.Location}}
            base_url: {{vertex.BaseUrl}}
            auth: { type: service-account, key_env: VERTEX_KEY }
            timeout: 5s
          gcp-claude:
            type: vertex-anthropic
            project: {{FakeVertexUpstream.Project}}
            region: {{FakeVertexUpstream.Location}}
            base_url: {{vertex.BaseUrl}}
            auth: { type: service-account, key_env: VERTEX_KEY }
            timeout: 5s
          azure:
            type: azure-openai
            base_url: {{azure.BaseUrl}}
            api_version: {{FakeAzureOpenAIUpstream.ApiVersion}}
            api_key_env: AZURE_KEY
            region: swedencentral
            timeout: 5s
          azure-v1:
            type: azure-openai
            base_url: {{azure.BaseUrl}}
            auth: { type: client-secret, tenant_id: {{FakeEntra.TenantId}}, client_id: {{FakeEntra.ClientId}}, client_secret_env: ENTRA_SECRET, authority_host: "{{entra.AuthorityHost}}" }
            timeout: 5s
          azure-wi:
            type: azure-openai
            base_url: {{azure.BaseUrl}}
            api_version: {{FakeAzureOpenAIUpstream.ApiVersion}}
            auth: { type: workload-identity, tenant_id: {{FakeEntra.TenantId}}, client_id: {{FakeEntra.ClientId}}, token_file: "{{azureTokenFile}}", authority_host: "{{entra.AuthorityHost}}" }
            timeout: 5s
        deployments:
          - { id: bedrock-claude, provider: aws, model: bedrock-claude, upstream_model: "{{BedrockModelId}}" }
          - { id: bedrock-irsa, provider: aws-irsa, model: bedrock-irsa, upstream_model: "{{BedrockProfileId}}" }
          - { id: vertex-gemini, provider: gcp, model: vertex-gemini, upstream_model: gemini-2.0-flash }
          - { id: vertex-claude, provider: gcp-claude, model: vertex-claude, upstream_model: "{{VertexClaude}}" }
          - { id: azure-dep, provider: azure, model: azure-gpt, upstream_model: {{AzureDeployment}} }
          - { id: azure-entra, provider: azure-v1, model: azure-entra, upstream_model: {{AzureDeployment}} }
          - { id: azure-wi, provider: azure-wi, model: azure-wi, upstream_model: {{AzureDeployment}} }
        models:
          bedrock-claude:
            catalog: amazon-bedrock/anthropic.claude-3-5-haiku-20241022-v1-0
            max_output_tokens: 1024
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_schema]
          bedrock-irsa: { price: { input: 3, output: 15 } }
          vertex-gemini:
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_object, json_schema]
            price: { input: 0.1, output: 0.4 }
          vertex-claude:
            max_output_tokens: 2048
            capabilities: [streaming, tools, parallel_tool_calls, vision, json_schema]
            price: { input: 3, output: 15 }
          azure-gpt: { catalog: openai/gpt-4o }
          azure-entra: { catalog: azure-openai/gpt-4o }
          azure-wi: { catalog: azure-openai/gpt-4o }
        keys:
          - name: test
            key: {{SwitchyardAppFactory.TestKey}}
            team: qa
        """;
}
