using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.Anthropic;

/// <summary>Creates adapters for <c>type: anthropic</c> (Anthropic's Messages API; <c>base_url</c> defaults to <c>https://api.anthropic.com/v1</c>).</summary>
public sealed class AnthropicAdapterFactory(TimeProvider time, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "anthropic";

    public IProviderAdapter Create(ProviderSettings settings) => new AnthropicAdapter(settings, time, clients);
}

/// <summary>
/// The upstream adapter for Anthropic's Messages API. An Anthropic-format request is forwarded as its original
/// bytes with the model rewritten (thinking blocks and unknown fields survive, invariant 7); another format is
/// written from the canonical request. Every call carries <c>x-api-key</c>, <c>anthropic-version</c> and a
/// <c>max_tokens</c> (the request's, else the model's configured maximum output, else 4096).
/// </summary>
public sealed class AnthropicAdapter : HttpProviderAdapter
{
    public static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com/v1");

    /// <summary>The API version the gateway writes bodies for.</summary>
    public const string ApiVersion = "2023-06-01";

    private readonly Uri _messagesUri;

    public AnthropicAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients = null)
        : base(settings, time, clients) =>
        _messagesUri = new Uri((settings.Config.BaseUrl ?? DefaultBaseUrl).ToString().TrimEnd('/') + "/messages");

    public override ApiFormat WireFormat => ApiFormat.Anthropic;

    /// <summary>One choice per call: n &gt; 1 is served by n calls (see <see cref="HttpProviderAdapter.FansOutChoices"/>).</summary>
    protected override bool FansOutChoices => true;

    public override string? CannotCarry(CanonicalRequest request) => AnthropicRequestWriter.CannotCarry(request);

    protected override Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body)
    {
        var request = call.Request;
        var maxTokens = request.MaxOutputTokens ?? call.Deployment.Model.MaxOutputTokens ?? AnthropicRequestWriter.DefaultMaxTokens;
        if (request.ClientFormat == ApiFormat.Anthropic)
        {
            AnthropicRequestWriter.Forward(request, call.Deployment.UpstreamModel, maxTokens, body);
        }
        else
        {
            AnthropicRequestWriter.Write(request, call.Deployment.UpstreamModel, maxTokens, body);
        }

        return _messagesUri;
    }

    protected override void AddCredentials(HttpRequestMessage message)
    {
        if (Settings.ApiKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("x-api-key", key.Reveal());
        }

        message.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
    }

    protected override IEventScanner CreateEventScanner() => new AnthropicEventScanner();

    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage) => AnthropicReplyReader.Check(body, out usage);

    /// <summary>Anthropic's error body: see <see cref="AnthropicWire.ReadError"/>.</summary>
    protected override UpstreamErrorBody ReadError(byte[] body) => AnthropicWire.ReadError(body);
}
