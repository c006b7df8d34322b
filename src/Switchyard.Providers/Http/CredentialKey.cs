using System.Security.Cryptography;
using System.Text;
using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;

namespace Switchyard.Providers.Http;

/// <summary>
/// What a cloud credential source is built from, so that a reload keeps a token cache whose inputs did not change:
/// the provider type, its <c>auth</c> section, region and base URL, the environment and folder it reads from, and a
/// digest of the material it reads (the API key, the variables the credential chains consult, and the size and time
/// of the key files it names) — a rotated key file or secret gives a new key and a fresh source. The digest keeps
/// secrets out of the key's text.
/// </summary>
public sealed record CredentialKey(string Type, CloudAuthConfig? Auth, string? Region, Uri? BaseUrl, string? ConfigDirectory, Func<string, string?> Environment, string Material)
{
    private static readonly string[] _variables =
    [
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_ROLE_ARN", "AWS_ROLE_SESSION_NAME",
        "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_SHARED_CREDENTIALS_FILE", "HOME", "AZURE_TENANT_ID", "AZURE_CLIENT_ID", "AZURE_FEDERATED_TOKEN_FILE",
    ];

    public static CredentialKey Of(ProviderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var config = settings.Config;
        var auth = config.Auth;
        var material = new StringBuilder();
        material.Append(settings.ApiKey?.Reveal()).Append('\n');
        foreach (var name in _variables.Concat(new[] { auth?.KeyEnv, auth?.ClientSecretEnv }.OfType<string>()))
        {
            material.Append(name).Append('=').Append(settings.Environment(name)).Append('\n');
        }

        foreach (var file in new[] { auth?.KeyFile, auth?.CredentialsFile, auth?.ClientSecretFile }.OfType<string>())
        {
            var info = new FileInfo(settings.ResolvePath(file));
            material.Append(info.FullName).Append('@').Append(info.Exists ? $"{info.Length}:{info.LastWriteTimeUtc.Ticks}" : "-").Append('\n');
        }

        var digest = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(material.ToString())));
        return new CredentialKey(config.Type, auth, config.Region, config.BaseUrl, settings.ConfigDirectory, settings.Environment, digest);
    }
}
