using System.Buffers;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Canonical;
using Switchyard.Execution;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Anthropic;

/// <summary>Creates adapters for <c>type: anthropic</c> (Anthropic's Messages API; <c>base_url</c> defaults to <c>https://api.anthropic.com/v1</c>).</summary>
public sealed class AnthropicAdapterFactory(TimeProvider time) : IProviderAdapterFactory
{
    public string Type => "anthropic";

    public IProviderAdapter Create(ProviderSettings settings) => new AnthropicAdapter(settings, time);
}

/// <summary>
/// The upstream adapter for Anthropic's Messages API. An Anthropic-format request is forwarded as its original
/// bytes with the model rewritten (thinking blocks and unknown fields survive, invariant 7); another format is
/// written from the canonical request. Every call carries <c>x-api-key</c>, <c>anthropic-version</c> and a
/// <c>max_tokens</c> (the request's, else the model's configured maximum output, else 4096).
/// </summary>
public sealed class AnthropicAdapter : IProviderAdapter, IDisposable
{
    public static readonly Uri DefaultBaseUrl = new("https://api.anthropic.com/v1");

    /// <summary>The API version the gateway writes bodies for.</summary>
    public const string ApiVersion = "2023-06-01";

    private static readonly MediaTypeHeaderValue _json = new("application/json");

    private readonly ProviderSettings _settings;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _http;
    private readonly Uri _messagesUri;

    public AnthropicAdapter(ProviderSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = time;
        _http = UpstreamHttp.CreateInvoker(settings.Config);
        _messagesUri = new Uri((settings.Config.BaseUrl ?? DefaultBaseUrl).ToString().TrimEnd('/') + "/messages");
    }

    public string ProviderName => _settings.Config.Name;

    public ApiFormat WireFormat => ApiFormat.Anthropic;

    public bool IsSimulated => false;

    public string? CannotCarry(CanonicalRequest request) => AnthropicRequestWriter.CannotCarry(request);

    public async ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        var config = _settings.Config;
        var maxTokens = request.MaxOutputTokens ?? call.Deployment.Model.MaxOutputTokens ?? AnthropicRequestWriter.DefaultMaxTokens;
        var body = new ArrayBufferWriter<byte>(request.RawBody.Length + 256);
        if (request.ClientFormat == ApiFormat.Anthropic)
        {
            AnthropicRequestWriter.Forward(request, call.Deployment.UpstreamModel, maxTokens, body);
        }
        else
        {
            AnthropicRequestWriter.Write(request, call.Deployment.UpstreamModel, maxTokens, body);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, _messagesUri) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        message.Content.Headers.ContentType = _json;
        if (_settings.ApiKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("x-api-key", key.Reveal());
        }

        message.Headers.TryAddWithoutValidation("anthropic-version", ApiVersion);
        message.Headers.TryAddWithoutValidation("x-request-id", call.RequestId);
        foreach (var (name, value) in config.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var exchange = await UpstreamExchange.SendAsync(_http, message, ProviderName, config.RequestTimeout, request.Stream, _time, cancellationToken);
        if (exchange.Failure is { } failure)
        {
            return failure;
        }

        if (exchange.IsStream)
        {
            var stream = await UpstreamSseStream.OpenAsync(exchange.Response!, new AnthropicEventScanner(), config.RequestTimeout, _time, cancellationToken);
            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = exchange.Code, Stream = stream, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        using var response = exchange.Response!;
        if (exchange.Code is >= 200 and < 300)
        {
            if (!AnthropicReplyReader.TryRead(exchange.Body, out var reply, out _))
            {
                return UpstreamResult.Failure(DispatchStatus.InvalidResponse, exchange.Code, "The upstream answered with a body that is not an Anthropic message.", exchange.Elapsed);
            }

            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = exchange.Code, Body = exchange.Body, Usage = reply!.Usage, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        var (errorMessage, errorType) = ReadError(exchange.Body);
        // 529 is Anthropic's "overloaded": a failure another deployment may not have, shown to Anthropic clients as 529.
        return UpstreamHttp.MapError(ProviderName, response, exchange.Code, errorMessage, errorType, null, exchange.Elapsed, _time);
    }

    /// <summary><c>{"type":"error","error":{"type":…,"message":…}}</c>; the message is the upstream's own wording about the request.</summary>
    internal static (string? Message, string? Type) ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error"u8, out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return (ReplyJson.String(error, "message"u8), ReplyJson.String(error, "type"u8));
            }
        }
        catch (JsonException)
        {
        }

        return (null, null);
    }

    public void Dispose() => _http.Dispose();
}
