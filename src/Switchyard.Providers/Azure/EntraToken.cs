using Azure.Core;
using Azure.Core.Pipeline;
using Azure.Identity;
using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;

namespace Switchyard.Providers.Azure;

/// <summary>
/// Where Entra ID token requests go: by default the Azure SDK's own transport; a test (or a host behind a TLS-inspecting
/// proxy) registers one with its handler. Registered once in the container; factories take it when present.
/// </summary>
public sealed class EntraTransport(HttpMessageHandler handler)
{
    public HttpMessageHandler Handler { get; } = handler;
}

/// <summary>
/// The Microsoft Entra ID access token of an Azure OpenAI provider (scope <c>https://cognitiveservices.azure.com/.default</c>),
/// through Azure.Identity: <c>client-secret</c> (an app registration's secret, by reference), <c>managed-identity</c>
/// (system-assigned, or user-assigned with <c>client_id</c>) or <c>workload-identity</c> (a federated token file, as AKS
/// sets up; tenant, client and file default to <c>AZURE_TENANT_ID</c>, <c>AZURE_CLIENT_ID</c>,
/// <c>AZURE_FEDERATED_TOKEN_FILE</c>). Cached and fetched again before it expires (<see cref="CachedCredential{T}"/>).
/// </summary>
public sealed class EntraToken : IDisposable
{
    public const string Scope = "https://cognitiveservices.azure.com/.default";

    private readonly CachedCredential<string> _cache;

    private EntraToken(string source, TokenCredential credential, TimeProvider time)
    {
        Source = source;
        _cache = new CachedCredential<string>(async ct =>
        {
            var token = await credential.GetTokenAsync(new TokenRequestContext([Scope]), ct);
            return new ExpiringCredential<string>(token.Token, token.ExpiresOn);
        }, time);
    }

    /// <summary>The auth type, for diagnostics.</summary>
    public string Source { get; }

    /// <summary>How many tokens were fetched (for tests and diagnostics).</summary>
    public int Fetches => _cache.Fetches;

    public ValueTask<(string? Value, string? Problem)> GetAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

    /// <summary>Builds the credential named by <paramref name="auth"/>; throws <see cref="ProviderUnavailableException"/> when its secret cannot be read.</summary>
    public static EntraToken Create(ProviderSettings settings, CloudAuthConfig auth, TimeProvider time, EntraTransport? transport)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(auth);
        var env = settings.Environment;
        T Options<T>(T options)
            where T : TokenCredentialOptions
        {
            if (transport is not null)
            {
                options.Transport = new HttpClientTransport(transport.Handler);
            }

            // One retry: the gateway's own resilience decides about the request; a slow identity service must not hold it.
            options.Retry.MaxRetries = 1;
            return options;
        }

        switch (auth.Type)
        {
            case "client-secret":
                var secret = ReadSecret(settings, auth);
                var secretOptions = Options(new ClientSecretCredentialOptions());
                if (auth.AuthorityHost is { } host)
                {
                    // A host of its own (a sovereign or air-gapped cloud) is its own authority: no discovery at the public cloud's.
                    secretOptions.AuthorityHost = host;
                    secretOptions.DisableInstanceDiscovery = true;
                }

                return new EntraToken(auth.Type, new ClientSecretCredential(auth.TenantId, auth.ClientId, secret, secretOptions), time);
            case "managed-identity":
                var id = auth.ClientId is { } client ? ManagedIdentityId.FromUserAssignedClientId(client) : ManagedIdentityId.SystemAssigned;
                return new EntraToken(auth.Type, new ManagedIdentityCredential(Options(new ManagedIdentityCredentialOptions(id))), time);
            default:
                var workload = Options(new WorkloadIdentityCredentialOptions
                {
                    TenantId = auth.TenantId ?? env("AZURE_TENANT_ID"),
                    ClientId = auth.ClientId ?? env("AZURE_CLIENT_ID"),
                    TokenFilePath = auth.TokenFile is { } file ? settings.ResolvePath(file) : env("AZURE_FEDERATED_TOKEN_FILE"),
                });
                if (workload.TenantId is null || workload.ClientId is null || workload.TokenFilePath is null)
                {
                    throw new ProviderUnavailableException("workload identity needs tenant_id, client_id and token_file (or AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_FEDERATED_TOKEN_FILE)");
                }

                var authority = auth.AuthorityHost ?? (Uri.TryCreate(env("AZURE_AUTHORITY_HOST"), UriKind.Absolute, out var fromEnv) ? fromEnv : null);
                if (authority is not null)
                {
                    workload.AuthorityHost = authority;
                    workload.DisableInstanceDiscovery = true;
                }

                return new EntraToken(auth.Type, new WorkloadIdentityCredential(workload), time);
        }
    }

    private static string ReadSecret(ProviderSettings settings, CloudAuthConfig auth)
    {
        if (auth.ClientSecretEnv is { } variable)
        {
            return settings.Environment(variable) is { Length: > 0 } value ? value.Trim() : throw new ProviderUnavailableException($"environment variable {variable} is not set");
        }

        var path = settings.ResolvePath(auth.ClientSecretFile!);
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new ProviderUnavailableException($"client secret file {path} cannot be read ({ex.GetType().Name})");
        }
    }

    public void Dispose() => _cache.Dispose();
}
