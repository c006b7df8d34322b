using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// How a cloud provider (<c>azure-openai</c>, <c>bedrock</c>, <c>vertex</c>, <c>vertex-anthropic</c>) proves who the
/// gateway is: the <c>auth</c> mapping of a provider. Secrets are named by reference only (an environment variable
/// or a file), never written inline; files are relative to the configuration file.
/// </summary>
public sealed record CloudAuthConfig
{
    /// <summary>
    /// Azure: <c>client-secret</c>, <c>managed-identity</c>, <c>workload-identity</c>. Bedrock: <c>chain</c> (default),
    /// <c>env</c>, <c>profile</c>, <c>web-identity</c>. Vertex: <c>service-account</c>, <c>metadata</c>.
    /// </summary>
    public required string Type { get; init; }

    /// <summary>Microsoft Entra tenant (Azure <c>client-secret</c>, <c>workload-identity</c>).</summary>
    public string? TenantId { get; init; }

    /// <summary>Entra application or user-assigned identity client id.</summary>
    public string? ClientId { get; init; }

    /// <summary>Environment variable holding the Entra client secret.</summary>
    public string? ClientSecretEnv { get; init; }

    /// <summary>File holding the Entra client secret.</summary>
    public string? ClientSecretFile { get; init; }

    /// <summary>Entra authority host (sovereign clouds); default <c>https://login.microsoftonline.com</c>.</summary>
    public Uri? AuthorityHost { get; init; }

    /// <summary>A federated token file: Azure workload identity's or AWS web identity's.</summary>
    public string? TokenFile { get; init; }

    /// <summary>AWS: the profile of the shared credentials file (<c>profile</c>, <c>chain</c>).</summary>
    public string? Profile { get; init; }

    /// <summary>AWS: the shared credentials file; default <c>AWS_SHARED_CREDENTIALS_FILE</c>, else <c>~/.aws/credentials</c>.</summary>
    public string? CredentialsFile { get; init; }

    /// <summary>AWS web identity: the role to assume; default <c>AWS_ROLE_ARN</c>.</summary>
    public string? RoleArn { get; init; }

    /// <summary>AWS web identity: the STS endpoint; default <c>https://sts.{region}.amazonaws.com</c>.</summary>
    public Uri? StsUrl { get; init; }

    /// <summary>Google service-account key (JSON) file.</summary>
    public string? KeyFile { get; init; }

    /// <summary>Environment variable holding a Google service-account key (JSON).</summary>
    public string? KeyEnv { get; init; }

    /// <summary>Google metadata server; default <c>http://metadata.google.internal</c>.</summary>
    public Uri? MetadataUrl { get; init; }
}
