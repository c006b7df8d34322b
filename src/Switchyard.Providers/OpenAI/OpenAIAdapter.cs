using System.Buffers;
using System.Net.Http.Headers;
using Switchyard.Canonical;
using Switchyard.Configuration;
using Switchyard.Execution;
using Switchyard.Providers.Http;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.OpenAI;

/// <summary>Creates adapters for <c>type: openai</c>: OpenAI itself and every server or host that speaks its wire format.</summary>
public sealed class OpenAIAdapterFactory(TimeProvider time) : IProviderAdapterFactory
{
    public string Type => "openai";

    public IProviderAdapter Create(ProviderSettings settings) => new OpenAIAdapter(settings, time);
}

/// <summary>
/// The upstream adapter for the OpenAI wire format (OpenAI, vLLM, Ollama, llama.cpp, TGI, SGLang, LM Studio,
/// Together, Fireworks, Groq, DeepSeek, Mistral, OpenRouter). An OpenAI-format request is forwarded as its
/// original bytes with the model rewritten; replies are relayed as they come, streams event by event.
/// </summary>
public sealed class OpenAIAdapter : IProviderAdapter, IHealthProbe, IDisposable
{
    private static readonly MediaTypeHeaderValue _json = new("application/json");

    private readonly ProviderSettings _settings;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _http;
    private readonly Uri _chatUri;
    private readonly Uri _embeddingsUri;
    private readonly Uri _modelsUri;

    public OpenAIAdapter(ProviderSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = time;
        _http = UpstreamHttp.CreateInvoker(settings.Config);
        var baseUrl = settings.Config.BaseUrl!.ToString().TrimEnd('/');
        _chatUri = new Uri(baseUrl + "/chat/completions");
        _embeddingsUri = new Uri(baseUrl + "/embeddings");
        _modelsUri = new Uri(baseUrl + "/models");
    }

    public string ProviderName => _settings.Config.Name;

    public ApiFormat WireFormat => ApiFormat.OpenAI;

    public bool IsSimulated => false;

    /// <summary>Everything canonical has an OpenAI form; only fields of another client format that the canonical model does not carry are refused.</summary>
    public string? CannotCarry(CanonicalRequest request) => Refusals.Untranslatable(request, WireFormat);

    public async ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        var config = _settings.Config;
        var body = new ArrayBufferWriter<byte>(request.RawBody.Length + 64);
        if (request.ClientFormat == ApiFormat.OpenAI)
        {
            var injectUsage = request.Stream && config.StreamUsage && !request.IncludeUsage;
            OpenAIBodyRewriter.Rewrite(request.RawBody.Span, call.Deployment.UpstreamModel, injectUsage, request.HasStreamOptions, body);
        }
        else
        {
            // Another client format: the body is written from the canonical request (issue 3).
            OpenAIRequestWriter.Write(request, call.Deployment.UpstreamModel, config.StreamUsage, body);
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, request.Operation == Operation.Embeddings ? _embeddingsUri : _chatUri)
        {
            Content = new ReadOnlyMemoryContent(body.WrittenMemory),
        };
        message.Content.Headers.ContentType = _json;
        UpstreamHttp.AddBearer(message, _settings.ApiKey);
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

        var code = exchange.Code;
        if (exchange.IsStream)
        {
            // The stream is read under the client's token plus an idle timeout per event, not the total timeout.
            var stream = await UpstreamSseStream.OpenAsync(exchange.Response!, OpenAIEventScanner.Instance, config.RequestTimeout, _time, cancellationToken);
            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = code, Stream = stream, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        using var response = exchange.Response!;
        var bytes = exchange.Body;
        var elapsed = exchange.Elapsed;
        if (code is >= 200 and < 300)
        {
            // A 200 that is not the operation's response shape (a proxy's page, another API's body) must not
            // reach an OpenAI client as a success: it becomes a 502 and the next candidate is tried.
            if (!OpenAIUsageReader.TryScan(bytes, out var scan) || scan.IsError
                || !(request.Operation == Operation.Embeddings ? scan.HasData : scan.HasChoices))
            {
                return UpstreamResult.Failure(DispatchStatus.InvalidResponse, code, "The upstream answered with a body that is not an OpenAI response.", elapsed);
            }

            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = code, Body = bytes, Usage = scan.Usage, UpstreamTime = elapsed },
                request, WireFormat, call.RequestId);
        }

        var (errorMessage, errorCode, param) = OpenAIErrorReader.Read(bytes);
        return UpstreamHttp.MapError(ProviderName, response, code, errorMessage, errorCode, param, elapsed, _time);
    }

    /// <summary>Active health probe: <c>GET /models</c>, the cheapest request every OpenAI-format server answers.</summary>
    public async ValueTask<bool> ProbeAsync(Routing.Deployment deployment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, _modelsUri);
        UpstreamHttp.AddBearer(message, _settings.ApiKey);
        foreach (var (name, value) in _settings.Config.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            using var response = await _http.SendAsync(message, linked.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }

    public void Dispose() => _http.Dispose();
}
