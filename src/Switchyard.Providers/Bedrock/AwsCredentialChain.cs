using System.Globalization;
using System.Xml.Linq;
using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;

namespace Switchyard.Providers.Bedrock;

/// <summary>
/// Where a Bedrock provider's AWS keys come from, resolved once when the configuration is compiled, as AWS's SDKs
/// resolve them: <c>env</c> (<c>AWS_ACCESS_KEY_ID</c>, <c>AWS_SECRET_ACCESS_KEY</c>, <c>AWS_SESSION_TOKEN</c>),
/// <c>profile</c> (a section of the shared credentials file), <c>web-identity</c> (STS <c>AssumeRoleWithWebIdentity</c>
/// with a federated token file, as EKS/IRSA sets up: temporary keys, cached and renewed before they expire), or
/// <c>chain</c>, the default: the first of env, web identity and profile that is configured. Container and instance
/// metadata credentials are not read.
/// </summary>
public sealed class AwsCredentialChain : IDisposable
{
    private readonly AwsCredentials? _static;
    private readonly CachedCredential<AwsCredentials>? _assumed;

    private AwsCredentialChain(string source, AwsCredentials? fixedKeys, CachedCredential<AwsCredentials>? assumed)
    {
        Source = source;
        _static = fixedKeys;
        _assumed = assumed;
    }

    /// <summary>Which source was chosen (<c>env</c>, <c>profile default</c>, <c>web-identity</c>), for diagnostics.</summary>
    public string Source { get; }

    /// <summary>The keys to sign with now; null and the reason when temporary keys could not be had.</summary>
    public ValueTask<(AwsCredentials? Value, string? Problem)> GetAsync(CancellationToken cancellationToken) =>
        _static is not null ? ValueTask.FromResult<(AwsCredentials?, string?)>((_static, null)) : _assumed!.GetAsync(cancellationToken);

    /// <summary>Resolves the source; throws <see cref="ProviderUnavailableException"/> when none is configured.</summary>
    public static AwsCredentialChain Resolve(ProviderSettings settings, HttpMessageInvoker http, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var auth = settings.Config.Auth ?? new CloudAuthConfig { Type = "chain" };
        var env = settings.Environment;
        switch (auth.Type)
        {
            case "env":
                return FromEnvironment(env) ?? throw new ProviderUnavailableException("AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set");
            case "profile":
                return FromProfile(settings, auth, required: true)!;
            case "web-identity":
                return FromWebIdentity(settings, auth, http, time, required: true)!;
            default:
                return FromEnvironment(env) ?? FromWebIdentity(settings, auth, http, time, required: false) ?? FromProfile(settings, auth, required: false)
                    ?? throw new ProviderUnavailableException("no AWS credentials found (tried AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, AWS_ROLE_ARN/AWS_WEB_IDENTITY_TOKEN_FILE, the shared credentials file)");
        }
    }

    private static AwsCredentialChain? FromEnvironment(Func<string, string?> env)
    {
        var id = env("AWS_ACCESS_KEY_ID");
        var secret = env("AWS_SECRET_ACCESS_KEY");
        return string.IsNullOrWhiteSpace(id) || string.IsNullOrWhiteSpace(secret)
            ? null
            : new AwsCredentialChain("env", new AwsCredentials(id.Trim(), secret.Trim(), NullIfBlank(env("AWS_SESSION_TOKEN"))), null);
    }

    private static AwsCredentialChain? FromProfile(ProviderSettings settings, CloudAuthConfig auth, bool required)
    {
        var env = settings.Environment;
        var profile = auth.Profile ?? NullIfBlank(env("AWS_PROFILE")) ?? "default";
        var file = auth.CredentialsFile is { } configured ? settings.ResolvePath(configured)
            : NullIfBlank(env("AWS_SHARED_CREDENTIALS_FILE")) ?? (NullIfBlank(env("HOME")) is { } home ? Path.Combine(home, ".aws", "credentials") : null);
        string[] lines;
        try
        {
            lines = file is null ? [] : File.ReadAllLines(file);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return required ? throw new ProviderUnavailableException($"the AWS credentials file {file} cannot be read ({ex.GetType().Name})") : null;
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        string? section = null;
        foreach (var raw in lines)
        {
            var line = raw.Trim();
            if (line.StartsWith('[') && line.EndsWith(']'))
            {
                section = line[1..^1].Trim();
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (section == profile && equals > 0 && !line.StartsWith('#') && !line.StartsWith(';'))
            {
                values[line[..equals].Trim()] = line[(equals + 1)..].Trim();
            }
        }

        if (!values.TryGetValue("aws_access_key_id", out var id) || !values.TryGetValue("aws_secret_access_key", out var secret))
        {
            return required ? throw new ProviderUnavailableException($"profile '{profile}' has no aws_access_key_id and aws_secret_access_key in {file ?? "the shared credentials file"}") : null;
        }

        return new AwsCredentialChain("profile " + profile, new AwsCredentials(id, secret, values.GetValueOrDefault("aws_session_token")), null);
    }

    private static AwsCredentialChain? FromWebIdentity(ProviderSettings settings, CloudAuthConfig auth, HttpMessageInvoker http, TimeProvider time, bool required)
    {
        var env = settings.Environment;
        var role = auth.RoleArn ?? NullIfBlank(env("AWS_ROLE_ARN"));
        var tokenFile = auth.TokenFile is { } configured ? settings.ResolvePath(configured) : NullIfBlank(env("AWS_WEB_IDENTITY_TOKEN_FILE"));
        if (role is null || tokenFile is null)
        {
            return required ? throw new ProviderUnavailableException("web identity needs a role (role_arn or AWS_ROLE_ARN) and a token file (token_file or AWS_WEB_IDENTITY_TOKEN_FILE)") : null;
        }

        var sts = auth.StsUrl ?? new Uri($"https://sts.{settings.Config.Region}.amazonaws.com/");
        var session = NullIfBlank(env("AWS_ROLE_SESSION_NAME")) ?? "switchyard";
        var cache = new CachedCredential<AwsCredentials>(ct => AssumeRoleAsync(http, sts, role, session, tokenFile, ct), time);
        return new AwsCredentialChain("web-identity", null, cache);
    }

    /// <summary>STS <c>AssumeRoleWithWebIdentity</c> (an unsigned call: the token is the proof); the token file is read each time, as it is rotated.</summary>
    private static async Task<ExpiringCredential<AwsCredentials>> AssumeRoleAsync(HttpMessageInvoker http, Uri sts, string role, string session, string tokenFile, CancellationToken cancellationToken)
    {
        var token = (await File.ReadAllTextAsync(tokenFile, cancellationToken)).Trim();
        using var request = new HttpRequestMessage(HttpMethod.Post, sts)
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["Action"] = "AssumeRoleWithWebIdentity",
                ["Version"] = "2011-06-15",
                ["RoleArn"] = role,
                ["RoleSessionName"] = session,
                ["WebIdentityToken"] = token,
            }),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var response = await http.SendAsync(request, timeout.Token);
        if (!response.IsSuccessStatusCode)
        {
            throw new HttpRequestException($"STS answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        var body = await UpstreamHttp.ReadBoundedAsync(response.Content, timeout.Token);
        var credentials = XDocument.Load(new MemoryStream(body)).Descendants().FirstOrDefault(e => e.Name.LocalName == "Credentials")
            ?? throw new InvalidDataException("STS answered without Credentials");
        string Value(string name) => credentials.Elements().FirstOrDefault(e => e.Name.LocalName == name)?.Value ?? throw new InvalidDataException("STS answered without " + name);
        var expires = DateTimeOffset.Parse(Value("Expiration"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);
        return new ExpiringCredential<AwsCredentials>(new AwsCredentials(Value("AccessKeyId"), Value("SecretAccessKey"), Value("SessionToken")), expires);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    public void Dispose() => _assumed?.Dispose();
}
