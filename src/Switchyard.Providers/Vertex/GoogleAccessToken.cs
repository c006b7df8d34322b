using System.Text.Json;
using Google.Apis.Auth.OAuth2;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;

namespace Switchyard.Providers.Vertex;

/// <summary>
/// The OAuth2 access token of a Vertex AI provider, through Google.Apis.Auth: from a service-account key (a JWT
/// assertion signed RS256 with the key, exchanged at the key's <c>token_uri</c> — the JWT bearer flow) or from the
/// metadata server of the VM or pod the gateway runs on. Cached and fetched again before it expires
/// (<see cref="CachedCredential{T}"/>).
/// </summary>
public sealed class GoogleAccessToken : IDisposable
{
    /// <summary>The scope Vertex AI's API accepts.</summary>
    public const string Scope = "https://www.googleapis.com/auth/cloud-platform";

    private static readonly Uri _metadataDefault = new("http://metadata.google.internal");
    private readonly CachedCredential<string> _cache;

    private GoogleAccessToken(string source, CachedCredential<string> cache)
    {
        Source = source;
        _cache = cache;
    }

    /// <summary><c>service-account CLIENT_EMAIL</c> or <c>metadata</c>, for diagnostics.</summary>
    public string Source { get; }

    /// <summary>How many tokens were fetched (for tests and diagnostics).</summary>
    public int Fetches => _cache.Fetches;

    public ValueTask<(string? Value, string? Problem)> GetAsync(CancellationToken cancellationToken) => _cache.GetAsync(cancellationToken);

    /// <summary>Reads the provider's <c>auth</c>; throws <see cref="ProviderUnavailableException"/> when the key cannot be had.</summary>
    public static GoogleAccessToken Create(ProviderSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var auth = settings.Config.Auth ?? throw new ProviderUnavailableException("a vertex provider needs auth (service-account or metadata)");
        var clock = new TimeProviderClock(time);
        if (auth.Type == "metadata")
        {
            var root = (auth.MetadataUrl ?? _metadataDefault).ToString().TrimEnd('/');
            var compute = new ComputeCredential(new ComputeCredential.Initializer(root, root + "/computeMetadata/v1/instance/service-accounts/default/token"));
            return new GoogleAccessToken("metadata", new CachedCredential<string>(ct => FetchAsync(compute, time, ct), time));
        }

        string json;
        if (auth.KeyEnv is { } variable)
        {
            json = settings.Environment(variable) is { Length: > 0 } value ? value : throw new ProviderUnavailableException($"environment variable {variable} is not set");
        }
        else
        {
            var path = settings.ResolvePath(auth.KeyFile!);
            try
            {
                json = File.ReadAllText(path);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                throw new ProviderUnavailableException($"service-account key file {path} cannot be read ({ex.GetType().Name})");
            }
        }

        var (email, key, keyId, tokenUri) = ReadKey(json);
        var initializer = new ServiceAccountCredential.Initializer(email, tokenUri) { Scopes = [Scope], KeyId = keyId, Clock = clock };
        ServiceAccountCredential credential;
        try
        {
            credential = new ServiceAccountCredential(initializer.FromPrivateKey(key));
        }
        catch (Exception ex) when (ex is ArgumentException or FormatException or System.Security.Cryptography.CryptographicException)
        {
            throw new ProviderUnavailableException($"the service-account key of {email} has no usable private_key ({ex.GetType().Name})");
        }

        return new GoogleAccessToken("service-account " + email,
            new CachedCredential<string>(ct => FetchAsync(credential, time, ct), time));
    }

    private static async Task<ExpiringCredential<string>> FetchAsync(ServiceCredential credential, TimeProvider time, CancellationToken cancellationToken)
    {
        var issued = time.GetUtcNow();
        if (!await credential.RequestAccessTokenAsync(cancellationToken) || credential.Token is not { AccessToken: { } access } response)
        {
            throw new InvalidOperationException("the token endpoint answered without a token");
        }

        return new ExpiringCredential<string>(access, issued.AddSeconds(response.ExpiresInSeconds ?? 3600));
    }

    /// <summary>The fields of a service-account key file the JWT bearer flow needs.</summary>
    private static (string Email, string PrivateKey, string? KeyId, string TokenUri) ReadKey(string json)
    {
        if (!ReplyJson.TryParse(System.Text.Encoding.UTF8.GetBytes(json), out var document))
        {
            throw new ProviderUnavailableException("the service-account key is not JSON");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || ReplyJson.String(root, "type"u8) != "service_account"
                || ReplyJson.String(root, "client_email"u8) is not { } email || ReplyJson.String(root, "private_key"u8) is not { } key)
            {
                throw new ProviderUnavailableException("the service-account key needs type service_account, client_email and private_key");
            }

            return (email, key, ReplyJson.String(root, "private_key_id"u8), ReplyJson.String(root, "token_uri"u8) ?? "https://oauth2.googleapis.com/token");
        }
    }

    public void Dispose() => _cache.Dispose();

    /// <summary>Google's clock from the gateway's <see cref="TimeProvider"/>: the assertion's <c>iat</c>/<c>exp</c> follow the same time as the cache.</summary>
    private sealed class TimeProviderClock(TimeProvider time) : Google.Apis.Util.IClock
    {
        public DateTime Now => time.GetLocalNow().DateTime;

        public DateTime UtcNow => time.GetUtcNow().UtcDateTime;
    }
}
