using System.Collections.Concurrent;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing.Upstreams;

/// <summary>
/// An Azure OpenAI resource on loopback: <c>/openai/deployments/{deployment}/chat/completions?api-version=…</c> and
/// <c>/openai/v1/chat/completions</c> answering in OpenAI's format, with Azure's content-filter results
/// (<see cref="FilterPrompt"/>: a 400 <c>content_filter</c>; <see cref="FilterCompletion"/>: finish reason
/// <c>content_filter</c>). Every call needs the resource's <c>api-key</c> or a bearer token that <see cref="FakeEntra"/>
/// issued for the Cognitive Services scope and that has not expired.
/// </summary>
public sealed class FakeAzureOpenAIUpstream : LoopbackFake
{
    public const string ApiKey = "azure-fake-resource-key-0123456789";
    public const string ApiVersion = "2024-10-21";

    private FakeAzureOpenAIUpstream(FakeEntra? entra) => Entra = entra;

    public FakeEntra? Entra { get; }

    /// <summary>Refuse every prompt with Azure's content-filter 400 (jailbreak detected).</summary>
    public bool FilterPrompt { get; set; }

    /// <summary>Stop every answer with finish reason <c>content_filter</c>.</summary>
    public bool FilterCompletion { get; set; }

    public static async Task<FakeAzureOpenAIUpstream> StartAsync(FakeEntra? entra = null)
    {
        var fake = new FakeAzureOpenAIUpstream(entra);
        await fake.StartAsync("");
        return fake;
    }

    protected override async Task<string?> AuthorizeAsync(HttpContext context, ReceivedRequest request)
    {
        var key = request.Headers.GetValueOrDefault("api-key");
        var bearer = request.Headers.GetValueOrDefault("authorization");
        var problem = key is not null ? (key == ApiKey ? null : "wrong api-key")
            : bearer is not null && bearer.StartsWith("Bearer ", StringComparison.Ordinal) ? (Entra is null ? "no Entra tenant trusted" : Entra.Validate(bearer["Bearer ".Length..]))
            : "no api-key and no bearer token";
        if (problem is not null)
        {
            await WriteJsonAsync(context, """{"error":{"code":"401","message":"Access denied due to invalid subscription key or wrong API endpoint."}}""", 401);
        }

        return problem;
    }

    protected override async Task DefaultAsync(HttpContext context, ReceivedRequest request)
    {
        var path = context.Request.Path.Value ?? "";
        var deploymentStyle = path.StartsWith("/openai/deployments/", StringComparison.Ordinal);
        if (deploymentStyle && context.Request.Query["api-version"] != ApiVersion || !deploymentStyle && !path.StartsWith("/openai/v1/", StringComparison.Ordinal))
        {
            await WriteJsonAsync(context, """{"error":{"code":"404","message":"Resource not found"}}""", 404);
            return;
        }

        var body = request.Json;
        var model = deploymentStyle ? path.Split('/')[3] : body["model"]!.GetValue<string>();
        if (FilterPrompt)
        {
            await WriteJsonAsync(context, """
                {"error":{"message":"The response was filtered due to the prompt triggering Azure OpenAI's content management policy. Please modify your prompt and retry.","type":null,"param":"prompt","code":"content_filter","status":400,
                 "innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":false,"severity":"safe"},"jailbreak":{"filtered":true,"detected":true},"self_harm":{"filtered":false,"severity":"safe"},"sexual":{"filtered":false,"severity":"safe"},"violence":{"filtered":false,"severity":"safe"}}}}}
                """, 400);
            return;
        }

        var finish = FilterCompletion ? "content_filter" : "stop";
        if (body["stream"]?.GetValue<bool>() == true)
        {
            // Azure's first chunk carries the prompt's filter results and no choices.
            var first = """{"choices":[],"created":0,"id":"","model":"","object":"","prompt_filter_results":[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]}""";
            var chunks = OpenAIWire.TextChunks(model, "Hello from Azure.", body["stream_options"]?["include_usage"]?.GetValue<bool>() == true).ToList();
            if (FilterCompletion)
            {
                chunks = [.. chunks.Select(c => c.Replace("\"finish_reason\":\"stop\"", "\"finish_reason\":\"content_filter\"", StringComparison.Ordinal))];
            }

            await WriteEventsAsync(context, new[] { first }.Concat(chunks).Select(c => $"data: {c}\n\n").Append("data: [DONE]\n\n"));
            return;
        }

        var completion = JsonNode.Parse(OpenAIWire.Completion(model, FilterCompletion ? "" : "Hello from Azure.", finish))!;
        completion["prompt_filter_results"] = JsonNode.Parse("""[{"prompt_index":0,"content_filter_results":{"hate":{"filtered":false,"severity":"safe"}}}]""");
        completion["choices"]![0]!["content_filter_results"] = JsonNode.Parse(FilterCompletion ? """{"violence":{"filtered":true,"severity":"high"}}""" : """{"violence":{"filtered":false,"severity":"safe"}}""");
        await WriteJsonAsync(context, completion.ToJsonString());
    }
}

/// <summary>
/// Microsoft Entra ID's token endpoint on HTTPS loopback (<c>POST /{tenant}/oauth2/v2.0/token</c>), with a self-signed
/// certificate that only <see cref="TrustingHandler"/> trusts. It takes the client-credentials grant with the client secret it
/// knows, or with a client assertion equal to the federated token (workload identity), for the Cognitive Services
/// scope, and issues tokens that <see cref="Validate"/> then accepts until they expire.
/// </summary>
public sealed class FakeEntra : LoopbackFake
{
    public const string TenantId = "11111111-2222-3333-4444-555555555555";
    public const string ClientId = "66666666-7777-8888-9999-000000000000";
    public const string ClientSecret = "entra-fake-secret~0123456789";
    public const string FederatedToken = "eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJodHRwczovL29pZGMuZmFrZSJ9.c2ln";

    private readonly ConcurrentDictionary<string, DateTimeOffset> _tokens = new();
    private readonly X509Certificate2 _certificate;
    private int _tokenCalls;

    private FakeEntra(X509Certificate2 certificate) => _certificate = certificate;

    public int TokenCalls => Volatile.Read(ref _tokenCalls);

    public int TokenLifetimeSeconds { get; set; } = 3599;

    /// <summary>The authority host to configure (<c>https://127.0.0.1:PORT/</c>).</summary>
    public Uri AuthorityHost => new(BaseUrl + "/");

    /// <summary>A handler that trusts this fake's certificate, and no other.</summary>
    public HttpMessageHandler TrustingHandler => new SocketsHttpHandler
    {
        SslOptions = new SslClientAuthenticationOptions
        {
            RemoteCertificateValidationCallback = (_, certificate, _, _) => certificate is not null && certificate.GetCertHashString() == _certificate.GetCertHashString(),
        },
    };

    public static async Task<FakeEntra> StartAsync()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=127.0.0.1", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddIpAddress(System.Net.IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));
        var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        var fake = new FakeEntra(certificate);
        await fake.StartAsync("", certificate);
        return fake;
    }

    /// <summary>Null when <paramref name="token"/> was issued here and is still valid, else why not.</summary>
    public string? Validate(string token) =>
        !_tokens.TryGetValue(token, out var expires) ? "a token Entra did not issue" : expires <= DateTimeOffset.UtcNow ? "an expired token" : null;

    protected override async Task DefaultAsync(HttpContext context, ReceivedRequest request)
    {
        Interlocked.Increment(ref _tokenCalls);
        var form = request.Text.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        var secretOk = form.GetValueOrDefault("client_secret") == ClientSecret;
        var assertionOk = form.GetValueOrDefault("client_assertion_type") == "urn:ietf:params:oauth:client-assertion-type:jwt-bearer" && form.GetValueOrDefault("client_assertion") == FederatedToken;
        var problem = request.Path != $"/{TenantId}/oauth2/v2.0/token" ? "wrong tenant or path " + request.Path
            : form.GetValueOrDefault("grant_type") != "client_credentials" ? "unsupported grant"
            : form.GetValueOrDefault("client_id") != ClientId ? "unknown client"
            : !secretOk && !assertionOk ? "invalid client credentials"
            : form.GetValueOrDefault("scope")?.Split(' ').Contains("https://cognitiveservices.azure.com/.default") != true ? "wrong scope"
            : null;
        if (problem is not null)
        {
            RefusalReasons.Enqueue("entra: " + problem);
            await WriteJsonAsync(context, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "AADSTS7000215: " + problem, ["error_codes"] = new JsonArray(7000215) }.ToJsonString(), 401);
            return;
        }

        var token = "eyJ0eXAiOiJKV1QifQ.fake-entra." + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        _tokens[token] = DateTimeOffset.UtcNow.AddSeconds(TokenLifetimeSeconds);
        await WriteJsonAsync(context, new JsonObject
        {
            ["token_type"] = "Bearer",
            ["expires_in"] = TokenLifetimeSeconds,
            ["ext_expires_in"] = TokenLifetimeSeconds,
            ["access_token"] = token,
        }.ToJsonString());
    }
}
