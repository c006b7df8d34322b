using Switchyard.Core.Route;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// Reads and checks the settings only cloud providers have: Azure's <c>api_version</c>, Vertex's <c>project</c>, and
/// the <c>auth</c> mapping of each (which types exist, which keys each needs). Every problem is located at its line.
/// </summary>
internal static class CloudConfigReader
{
    /// <summary>The provider types of the clouds, whose deployments are <c>private</c> by default (the operator's own account).</summary>
    public static readonly string[] CloudTypes = ["azure-openai", "bedrock", "vertex", "vertex-anthropic"];

    private static readonly string[] _inlineSecrets = ["client_secret", "secret_access_key", "private_key", "key"];

    private static readonly Dictionary<string, string[]> _authTypes = new(StringComparer.Ordinal)
    {
        ["azure-openai"] = ["client-secret", "managed-identity", "workload-identity"],
        ["bedrock"] = ["chain", "env", "profile", "web-identity"],
        ["vertex"] = ["service-account", "metadata"],
        ["vertex-anthropic"] = ["service-account", "metadata"],
    };

    public static ProviderConfig Read(ProviderConfig provider, YamlNodeReader r)
    {
        var type = provider.Type;
        var isCloud = CloudTypes.Contains(type);
        var apiVersion = r.String("api_version");
        var project = r.String("project");
        if (apiVersion is not null && type != "azure-openai")
        {
            r.Error("api_version", "only azure-openai providers take an api_version");
        }

        if (project is not null && type is not ("vertex" or "vertex-anthropic"))
        {
            r.Error("project", "only vertex and vertex-anthropic providers take a project");
        }

        if (type is "vertex" or "vertex-anthropic" && project is null)
        {
            r.Error(r.Node, r.Child("project"), "is required for this provider type (the Google Cloud project id)");
        }

        if (type is "bedrock" or "vertex" or "vertex-anthropic" && provider.Region is null)
        {
            r.Error(r.Node, r.Child("region"), type == "bedrock"
                ? "is required for this provider type (the AWS region, e.g. us-east-1: it is part of every signature)"
                : "is required for this provider type (the Vertex AI location, e.g. europe-west4 or global)");
        }

        GuardrailConfig? guardrail = null;
        if (r.Mapping("guardrail") is { } g)
        {
            var id = g.String("id", required: true);
            var version = g.String("version", required: true);
            g.RejectUnknownKeys();
            if (type != "bedrock")
            {
                r.Error("guardrail", "only bedrock providers take a guardrail");
            }
            else if (id is not null && version is not null)
            {
                guardrail = new GuardrailConfig(id, version);
            }
        }

        CloudAuthConfig? auth = null;
        if (r.Mapping("auth") is { } a)
        {
            auth = isCloud ? ReadAuth(type, a) : null;
            if (!isCloud)
            {
                r.Error("auth", $"only cloud providers ({string.Join(", ", CloudTypes)}) take an auth mapping; {type} uses api_key_env or api_key_file");
            }
        }

        var hasKey = provider.ApiKeyEnv is not null || provider.ApiKeyFile is not null;
        if (auth is not null && hasKey)
        {
            r.Error("auth", "set either an API key (api_key_env or api_key_file) or auth, not both");
        }

        if (type == "azure-openai" && auth is null && !hasKey)
        {
            r.Error(r.Node, r.Child("auth"), "an azure-openai provider needs api_key_env, api_key_file or auth (client-secret, managed-identity or workload-identity)");
        }

        if (type is "vertex" or "vertex-anthropic" && auth is null)
        {
            r.Error(r.Node, r.Child("auth"), "is required for this provider type (service-account with key_file or key_env, or metadata)");
        }

        return provider with
        {
            ApiVersion = apiVersion,
            Project = project,
            Auth = auth,
            Guardrail = guardrail,
            Zone = r.Has("zone") || !isCloud ? provider.Zone : TrustZone.Private,
        };
    }

    private static CloudAuthConfig? ReadAuth(string providerType, YamlNodeReader a)
    {
        var type = a.String("type", required: true);
        var auth = new CloudAuthConfig
        {
            Type = type ?? "",
            TenantId = a.String("tenant_id"),
            ClientId = a.String("client_id"),
            ClientSecretEnv = a.String("client_secret_env"),
            ClientSecretFile = a.String("client_secret_file"),
            AuthorityHost = Url(a, "authority_host", httpsOnly: true),
            TokenFile = a.String("token_file"),
            Profile = a.String("profile"),
            CredentialsFile = a.String("credentials_file"),
            RoleArn = a.String("role_arn"),
            StsUrl = Url(a, "sts_url", httpsOnly: false),
            KeyFile = a.String("key_file"),
            KeyEnv = a.String("key_env"),
            MetadataUrl = Url(a, "metadata_url", httpsOnly: false),
        };
        foreach (var inline in _inlineSecrets)
        {
            if (a.Has(inline))
            {
                a.Error(inline, "secrets never go in the configuration file: name an environment variable (…_env) or a file (…_file)");
            }
        }

        a.RejectUnknownKeys();
        if (type is null)
        {
            return null;
        }

        var allowed = _authTypes[providerType];
        if (!allowed.Contains(type))
        {
            a.Error("type", $"must be one of {string.Join(", ", allowed)} for {providerType}, not '{type}'");
            return auth;
        }

        // Each type takes only its own keys, so a key of another type is a mistake said at its line.
        string[] own = type switch
        {
            "client-secret" => ["tenant_id", "client_id", "client_secret_env", "client_secret_file", "authority_host"],
            "managed-identity" => ["client_id"],
            "workload-identity" => ["tenant_id", "client_id", "token_file", "authority_host"],
            "chain" => ["profile", "credentials_file", "role_arn", "token_file", "sts_url"],
            "env" => [],
            "profile" => ["profile", "credentials_file"],
            "web-identity" => ["role_arn", "token_file", "sts_url"],
            "service-account" => ["key_file", "key_env"],
            _ => ["metadata_url"],
        };
        foreach (var (key, _) in a.Node.Children)
        {
            if (key is YamlDotNet.RepresentationModel.YamlScalarNode { Value: { } name } && name != "type" && !own.Contains(name) && !_inlineSecrets.Contains(name))
            {
                a.Error(name, $"is not a setting of auth type {type} (it takes: {(own.Length == 0 ? "nothing else" : string.Join(", ", own))})");
            }
        }

        if (type == "client-secret")
        {
            if (auth.TenantId is null || auth.ClientId is null)
            {
                a.Error(a.Node, a.Path, "client-secret needs tenant_id and client_id");
            }

            if ((auth.ClientSecretEnv is null) == (auth.ClientSecretFile is null))
            {
                a.Error(a.Node, a.Path, "client-secret needs exactly one of client_secret_env or client_secret_file");
            }
        }

        if (type == "service-account" && (auth.KeyFile is null) == (auth.KeyEnv is null))
        {
            a.Error(a.Node, a.Path, "service-account needs exactly one of key_file or key_env (the service-account key JSON)");
        }

        return auth;
    }

    private static Uri? Url(YamlNodeReader r, string key, bool httpsOnly)
    {
        if (r.String(key) is not { } text)
        {
            return null;
        }

        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || (!httpsOnly && uri.Scheme == Uri.UriSchemeHttp)))
        {
            return uri;
        }

        r.Error(key, httpsOnly ? $"must be an absolute https URL, not '{text}'" : $"must be an absolute http(s) URL, not '{text}'");
        return null;
    }
}
