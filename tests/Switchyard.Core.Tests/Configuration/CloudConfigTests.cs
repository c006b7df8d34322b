using Switchyard.Core.Snapshot;
using Xunit;

namespace Switchyard.Core.Tests.Configuration;

/// <summary>The cloud provider types: their settings, secrets by reference only, and located errors.</summary>
public sealed class CloudConfigTests
{
    private static string File(string providers) => $"""
        providers:
        {providers}
        deployments: []
        models: {"{"}{"}"}
        """;

    private static (GatewayConfig Config, IReadOnlyList<ConfigError> Errors) Load(string providers) => ConfigLoader.Load(File(providers), "gw.yaml");

    [Fact]
    public void Load_EachCloudType_ReadsItsSettingsAndIsPrivateByDefault()
    {
        var (config, errors) = Load("""
              azure:
                type: azure-openai
                base_url: https://acme.openai.azure.com
                api_version: 2024-10-21
                region: swedencentral
                auth: { type: client-secret, tenant_id: t1, client_id: c1, client_secret_env: AZURE_SECRET }
              aws:
                type: bedrock
                region: eu-central-1
                guardrail: { id: gr-123, version: "2" }
                auth: { type: web-identity, role_arn: "arn:aws:iam::1:role/r", token_file: /var/run/token }
              gcp:
                type: vertex
                project: acme-prod
                region: europe-west4
                auth: { type: service-account, key_file: sa.json }
              claude:
                type: vertex-anthropic
                project: acme-prod
                region: us-east5
                zone: external
                auth: { type: metadata }
            """);

        Assert.Empty(errors);
        var azure = config.Providers.Single(p => p.Name == "azure");
        Assert.Equal(TrustZone.Private, azure.Zone);
        Assert.Equal("2024-10-21", azure.ApiVersion);
        Assert.Equal("AZURE_SECRET", azure.Auth!.ClientSecretEnv);
        var aws = config.Providers.Single(p => p.Name == "aws");
        Assert.Equal(new GuardrailConfig("gr-123", "2"), aws.Guardrail);
        Assert.Equal("web-identity", aws.Auth!.Type);
        Assert.Equal(TrustZone.Private, aws.Zone);
        Assert.Equal("acme-prod", config.Providers.Single(p => p.Name == "gcp").Project);
        Assert.Equal(TrustZone.External, config.Providers.Single(p => p.Name == "claude").Zone);
    }

    [Theory]
    [InlineData("""
          aws:
            type: bedrock
        """, "providers.aws.region", "is required for this provider type (the AWS region")]
    [InlineData("""
          gcp:
            type: vertex
            region: europe-west4
            auth: { type: metadata }
        """, "providers.gcp.project", "is required")]
    [InlineData("""
          azure:
            type: azure-openai
            base_url: https://acme.openai.azure.com
        """, "providers.azure.auth", "needs api_key_env, api_key_file or auth")]
    [InlineData("""
          azure:
            type: azure-openai
            base_url: https://acme.openai.azure.com
            auth: { type: client-secret, tenant_id: t, client_id: c, client_secret: s3cr3t }
        """, "providers.azure.auth.client_secret", "secrets never go in the configuration file")]
    [InlineData("""
          aws:
            type: bedrock
            region: us-east-1
            auth: { type: service-account, key_file: sa.json }
        """, "providers.aws.auth.type", "must be one of chain, env, profile, web-identity")]
    [InlineData("""
          aws:
            type: bedrock
            region: us-east-1
            auth: { type: profile, role_arn: "arn:aws:iam::1:role/r" }
        """, "providers.aws.auth.role_arn", "is not a setting of auth type profile")]
    [InlineData("""
          gcp:
            type: vertex
            project: p
            region: global
            auth: { type: service-account }
        """, "providers.gcp.auth", "exactly one of key_file or key_env")]
    [InlineData("""
          openai:
            type: openai
            base_url: https://api.openai.com/v1
            auth: { type: metadata }
        """, "providers.openai.auth", "only cloud providers")]
    [InlineData("""
          azure:
            type: azure-openai
            base_url: https://acme.openai.azure.com
            api_key_env: K
            auth: { type: managed-identity }
        """, "providers.azure.auth", "not both")]
    [InlineData("""
          azure:
            type: azure-openai
            base_url: https://acme.openai.azure.com
            auth: { type: client-secret, tenant_id: t, client_id: c, client_secret_env: S, authority_host: "http://login.example" }
        """, "providers.azure.auth.authority_host", "must be an absolute https URL")]
    public void Load_BadCloudSetting_LocatedError(string providers, string path, string reason)
    {
        var (_, errors) = Load(providers);

        var error = Assert.Single(errors, e => e.Path == path);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
        Assert.True(error.Line > 0, "the error points at a line");
    }
}
