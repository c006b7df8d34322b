using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing.Upstreams;

/// <summary>
/// Google Cloud on loopback: Vertex AI's model endpoints
/// (<c>/v1/projects/{p}/locations/{l}/publishers/google/models/{m}:generateContent</c> and <c>:streamGenerateContent</c>,
/// <c>…/publishers/anthropic/models/{m}:rawPredict</c> and <c>:streamRawPredict</c>) and Google's OAuth2 token endpoint
/// (<c>/token</c>). The token endpoint takes the JWT bearer grant and verifies the assertion — its RS256 signature with
/// the public half of the service-account key this fake made, issuer, audience (<see cref="GoogleTokenAudience"/>), scope and lifetime — before issuing a
/// token; the model endpoints accept only tokens it issued and that have not expired. Anthropic bodies must carry
/// <c>anthropic_version: vertex-2023-10-16</c> and no <c>model</c>.
/// </summary>
public sealed class FakeVertexUpstream : LoopbackFake
{
    public const string Project = "acme-prod";
    public const string Location = "europe-west4";
    public const string ClientEmail = "gateway@acme-prod.iam.gserviceaccount.com";

    /// <summary>The audience Google's token endpoint requires of an assertion, wherever the endpoint is reached.</summary>
    public const string GoogleTokenAudience = "https://oauth2.googleapis.com/token";

    private readonly RSA _key = RSA.Create(2048);
    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private int _tokenCalls;

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    /// <summary>Lifetime of the access tokens issued (<c>expires_in</c>).</summary>
    public int TokenLifetimeSeconds { get; set; } = 3600;

    public static async Task<FakeVertexUpstream> StartAsync()
    {
        var fake = new FakeVertexUpstream();
        await fake.StartAsync("/v1");
        return fake;
    }

    private string Root => BaseUrl[..^"/v1".Length];

    public string TokenUrl => Root + "/token";

    /// <summary>A service-account key file as Google issues it, whose private key this fake knows the public half of.</summary>
    public string ServiceAccountKeyJson => new JsonObject
    {
        ["type"] = "service_account",
        ["project_id"] = Project,
        ["private_key_id"] = "0123456789abcdef0123456789abcdef01234567",
        ["private_key"] = _key.ExportPkcs8PrivateKeyPem() + "\n",
        ["client_email"] = ClientEmail,
        ["client_id"] = "109876543210987654321",
        ["auth_uri"] = "https://accounts.google.com/o/oauth2/auth",
        ["token_uri"] = TokenUrl,
    }.ToJsonString();

    protected override async Task<string?> AuthorizeAsync(HttpContext context, ReceivedRequest request)
    {
        if (request.Path == "/token")
        {
            return null;
        }

        var header = request.Headers.GetValueOrDefault("authorization") ?? "";
        var problem = !header.StartsWith("Bearer ", StringComparison.Ordinal) ? "no bearer token"
            : !_tokens.TryGetValue(header["Bearer ".Length..], out var expires) ? "a token this server did not issue"
            : expires <= DateTimeOffset.UtcNow ? "an expired token"
            : null;
        if (problem is not null)
        {
            await WriteJsonAsync(context, """{"error":{"code":401,"message":"Request had invalid authentication credentials. Expected OAuth 2 access token.","status":"UNAUTHENTICATED"}}""", 401);
        }

        return problem;
    }

    protected override async Task DefaultAsync(HttpContext context, ReceivedRequest request)
    {
        if (request.Path == "/token")
        {
            await IssueTokenAsync(context, request);
            return;
        }

        var prefix = $"/v1/projects/{Project}/locations/{Location}/publishers/";
        if (!request.Path.StartsWith(prefix, StringComparison.Ordinal))
        {
            await WriteJsonAsync(context, """{"error":{"code":404,"message":"Not found.","status":"NOT_FOUND"}}""", 404);
            return;
        }

        var rest = request.Path[prefix.Length..];
        var model = rest[(rest.IndexOf("/models/", StringComparison.Ordinal) + "/models/".Length)..rest.IndexOf(':', StringComparison.Ordinal)];
        if (rest.StartsWith("anthropic/", StringComparison.Ordinal))
        {
            var body = request.Json;
            if (body["anthropic_version"]?.GetValue<string>() != "vertex-2023-10-16" || body["model"] is not null)
            {
                await WriteJsonAsync(context, """{"type":"error","error":{"type":"invalid_request_error","message":"anthropic_version: vertex-2023-10-16 required; model: Extra inputs are not permitted"}}""", 400);
                return;
            }

            await FakeAnthropicUpstream.AnswerAsync(context, body, model, "Hello from Claude on Vertex.");
            return;
        }

        await FakeGeminiUpstream.AnswerAsync(context, request);
    }

    /// <summary>The JWT bearer grant (RFC 7523): verifies the assertion, then issues an opaque token.</summary>
    private async Task IssueTokenAsync(HttpContext context, ReceivedRequest request)
    {
        Interlocked.Increment(ref _tokenCalls);
        var form = request.Text.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        var problem = form.GetValueOrDefault("grant_type") != "urn:ietf:params:oauth:grant-type:jwt-bearer" ? "unsupported grant_type" : CheckAssertion(form.GetValueOrDefault("assertion") ?? "");
        if (problem is not null)
        {
            RefusalReasons.Enqueue("token endpoint: " + problem);
            await WriteJsonAsync(context, new JsonObject { ["error"] = "invalid_grant", ["error_description"] = problem }.ToJsonString(), 400);
            return;
        }

        var token = "ya29.fake-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = DateTimeOffset.UtcNow.AddSeconds(TokenLifetimeSeconds);
        await WriteJsonAsync(context, new JsonObject { ["access_token"] = token, ["expires_in"] = TokenLifetimeSeconds, ["token_type"] = "Bearer" }.ToJsonString());
    }

    private string? CheckAssertion(string assertion)
    {
        var parts = assertion.Split('.');
        if (parts.Length != 3)
        {
            return "the assertion is not a JWT";
        }

        var header = JsonNode.Parse(Base64Url(parts[0]))!;
        var claims = JsonNode.Parse(Base64Url(parts[1]))!;
        if (header["alg"]?.GetValue<string>() != "RS256")
        {
            return "the assertion is not RS256";
        }

        if (!_key.VerifyData(Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url(parts[2]), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
        {
            return "the assertion's signature does not verify";
        }

        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var iat = claims["iat"]?.GetValue<long>() ?? 0;
        var exp = claims["exp"]?.GetValue<long>() ?? 0;
        return claims["iss"]?.GetValue<string>() != ClientEmail ? "wrong issuer"
            : claims["aud"]?.GetValue<string>() != GoogleTokenAudience ? "wrong audience " + claims["aud"]
            : claims["scope"]?.GetValue<string>()?.Split(' ').Contains("https://www.googleapis.com/auth/cloud-platform") != true ? "no cloud-platform scope"
            : iat > now + 300 || exp < now || exp - iat > 3600 ? "assertion outside its lifetime"
            : null;
    }

    private static byte[] Base64Url(string text)
    {
        var padded = text.Replace('-', '+').Replace('_', '/');
        return Convert.FromBase64String(padded + new string('=', (4 - padded.Length % 4) % 4));
    }
}
