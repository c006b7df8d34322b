using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.Bedrock;

/// <summary>Creates adapters for <c>type: bedrock</c> (Amazon Bedrock's Converse API in the provider's <c>region</c>).</summary>
public sealed class BedrockAdapterFactory(TimeProvider time, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "bedrock";

    public IProviderAdapter Create(ProviderSettings settings) => new BedrockAdapter(settings, time, clients);
}

/// <summary>
/// The upstream adapter for Amazon Bedrock's Converse API: <c>POST /model/{modelId}/converse</c>, or
/// <c>/converse-stream</c> answered as a binary event stream (<see cref="EventStreamReader"/>). The model id is a
/// deployment's <c>upstream_model</c>: a model id (<c>anthropic.claude-3-5-haiku-20241022-v1:0</c>), an inference
/// profile (<c>eu.anthropic…</c>) or an ARN. Each call is signed with SigV4 (service <c>bedrock</c>, the provider's
/// region) using keys from <see cref="AwsCredentialChain"/>, or carries a Bedrock API key as a bearer token.
/// </summary>
public sealed class BedrockAdapter : HttpProviderAdapter
{
    /// <summary>The SigV4 service name of Bedrock's runtime endpoints.</summary>
    public const string SigningService = "bedrock";

    private readonly string _baseUrl;
    private readonly string _region;
    private readonly LeasedResource<AwsCredentialChain>? _credentials;
    private readonly (string Id, string Version)? _guardrail;

    public BedrockAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients = null)
        : base(settings, time, clients)
    {
        try
        {
            var config = settings.Config;
            _region = config.Region ?? throw new ProviderUnavailableException("a bedrock provider needs a region");
            _baseUrl = (config.BaseUrl?.ToString() ?? $"https://bedrock-runtime.{_region}.amazonaws.com").TrimEnd('/');
            _guardrail = config.Guardrail is { } g ? (g.Id, g.Version) : null;
            // A Bedrock API key (bearer) replaces signing; otherwise keys come from the standard chain, which holds a
            // lease on the provider's handler for its STS calls for as long as it lives.
            _credentials = settings.ApiKey is null ? ShareCredential(() => ResolveChain(settings, time)) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    private (AwsCredentialChain Value, Action Dispose) ResolveChain(ProviderSettings settings, TimeProvider time)
    {
        var connection = LeaseConnection();
        try
        {
            var chain = AwsCredentialChain.Resolve(settings, connection.Value, time);
            return (chain, () =>
            {
                chain.Dispose();
                connection.Dispose();
            }
            );
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    public override ApiFormat WireFormat => ApiFormat.Bedrock;

    /// <summary>One choice per call: n &gt; 1 is served by n calls (see <see cref="HttpProviderAdapter.FansOutChoices"/>).</summary>
    protected override bool FansOutChoices => true;

    public override string? CannotCarry(CanonicalRequest request) => ConverseRequestWriter.CannotCarry(request);

    protected override Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body)
    {
        ConverseRequestWriter.Write(call.Request, _guardrail, body);
        return new Uri($"{_baseUrl}/model/{Uri.EscapeDataString(call.Deployment.UpstreamModel)}/{(call.Request.Stream ? "converse-stream" : "converse")}");
    }

    protected override void AddCredentials(HttpRequestMessage message) => UpstreamHttp.AddBearer(message, Settings.ApiKey);

    protected override async ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (_credentials is null)
        {
            AddCredentials(message);
            return null;
        }

        using var chain = _credentials.Rent();
        var (credentials, problem) = await chain.Value.GetAsync(cancellationToken);
        if (credentials is null)
        {
            return $"AWS {chain.Value.Source}: {problem}";
        }

        SigV4Signer.Sign(message, body.Span, credentials, _region, SigningService, Time.GetUtcNow());
        return null;
    }

    protected override async ValueTask<IUpstreamStream> OpenStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await UpstreamSseStream.OpenAsync(response, CreateEventScanner(), Settings.Config.RequestTimeout, Time, cancellationToken, static body => new EventStreamReader(body));

    protected override IEventScanner CreateEventScanner() => new ConverseEventScanner();

    /// <summary>Every 2xx body goes on: the translation reads it, and one that is not a Converse response fails there.</summary>
    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage)
    {
        usage = null;
        return null;
    }

    protected override UpstreamErrorBody ReadError(byte[] body) => ReadError(body, null);

    /// <summary>
    /// <c>{"message":"…"}</c> with the error's type in the <c>x-amzn-ErrorType</c> header (<c>ThrottlingException:http://…</c>)
    /// or the body's <c>__type</c>; the status says the rest (429 throttling, 400 validation, 403 access denied, 503 unavailable).
    /// </summary>
    protected override UpstreamErrorBody ReadError(HttpResponseMessage response, byte[] body)
    {
        ArgumentNullException.ThrowIfNull(response);
        return ReadError(body, response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.FirstOrDefault() : null);
    }

    private static UpstreamErrorBody ReadError(byte[] body, string? typeHeader)
    {
        string? type = null;
        if (typeHeader is { } header)
        {
            type = header.Split(':')[0];
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                var root = document.RootElement;
                type ??= ReplyJson.String(root, "__type"u8)?.Split('#')[^1];
                return new UpstreamErrorBody(ReplyJson.String(root, "message"u8) ?? ReplyJson.String(root, "Message"u8), type);
            }
        }
        catch (JsonException)
        {
        }

        return new UpstreamErrorBody(null, type);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _credentials?.Dispose();
        }

        base.Dispose(disposing);
    }
}
