using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Switchyard.Canonical;
using Switchyard.Execution;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Gemini;

/// <summary>Creates adapters for <c>type: gemini</c> (Google's Gemini API; <c>base_url</c> defaults to <c>https://generativelanguage.googleapis.com/v1beta</c>).</summary>
public sealed class GeminiAdapterFactory(TimeProvider time) : IProviderAdapterFactory
{
    public string Type => "gemini";

    public IProviderAdapter Create(ProviderSettings settings) => new GeminiAdapter(settings, time);
}

/// <summary>
/// The upstream adapter for Google's Gemini API: <c>models/{model}:generateContent</c>, or
/// <c>:streamGenerateContent?alt=sse</c> for streams, authenticated by <c>x-goog-api-key</c>. No client speaks
/// Gemini's format, so every body is written from the canonical request and every reply read back into it.
/// </summary>
public sealed class GeminiAdapter : IProviderAdapter, IDisposable
{
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com/v1beta");

    private static readonly MediaTypeHeaderValue _json = new("application/json");

    private readonly ProviderSettings _settings;
    private readonly TimeProvider _time;
    private readonly HttpMessageInvoker _http;
    private readonly string _baseUrl;

    public GeminiAdapter(ProviderSettings settings, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        _settings = settings;
        _time = time;
        _http = UpstreamHttp.CreateInvoker(settings.Config);
        _baseUrl = (settings.Config.BaseUrl ?? DefaultBaseUrl).ToString().TrimEnd('/');
    }

    public string ProviderName => _settings.Config.Name;

    public ApiFormat WireFormat => ApiFormat.Gemini;

    public bool IsSimulated => false;

    public string? CannotCarry(CanonicalRequest request) => GeminiRequestWriter.CannotCarry(request);

    public async ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        var config = _settings.Config;
        var body = new ArrayBufferWriter<byte>(request.RawBody.Length + 256);
        GeminiRequestWriter.Write(request, body);
        var uri = new Uri($"{_baseUrl}/models/{Uri.EscapeDataString(call.Deployment.UpstreamModel)}:{(request.Stream ? "streamGenerateContent?alt=sse" : "generateContent")}");
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        message.Content.Headers.ContentType = _json;
        if (_settings.ApiKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("x-goog-api-key", key.Reveal());
        }

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
            var stream = await UpstreamSseStream.OpenAsync(exchange.Response!, new GeminiEventScanner(), config.RequestTimeout, _time, cancellationToken);
            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = exchange.Code, Stream = stream, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        using var response = exchange.Response!;
        if (exchange.Code is >= 200 and < 300)
        {
            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = exchange.Code, Body = exchange.Body, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        var (errorMessage, status, retryDelay) = ReadError(exchange.Body);
        var result = UpstreamHttp.MapError(ProviderName, response, exchange.Code, errorMessage, status, null, exchange.Elapsed, _time);
        return result.RetryAfter is null && retryDelay is not null
            ? new UpstreamResult
            {
                Status = result.Status,
                UpstreamStatusCode = result.UpstreamStatusCode,
                RetryAfter = retryDelay,
                SafeMessage = result.SafeMessage,
                ErrorCode = result.ErrorCode,
                UpstreamTime = result.UpstreamTime,
            }
            : result;
    }

    /// <summary>
    /// <c>{"error":{"code":…,"message":…,"status":…,"details":[…]}}</c>; a 429's wait is in a <c>RetryInfo</c> detail's
    /// <c>retryDelay</c> (e.g. <c>"30s"</c>).
    /// </summary>
    internal static (string? Message, string? Status, TimeSpan? RetryDelay) ReadError(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error"u8, out var error) || error.ValueKind != JsonValueKind.Object)
            {
                return (null, null, null);
            }

            TimeSpan? delay = null;
            if (error.TryGetProperty("details"u8, out var details) && details.ValueKind == JsonValueKind.Array)
            {
                foreach (var detail in details.EnumerateArray())
                {
                    if (ReplyJson.String(detail, "retryDelay"u8) is { } text && text.EndsWith('s')
                        && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var seconds))
                    {
                        delay = TimeSpan.FromSeconds(seconds);
                    }
                }
            }

            return (ReplyJson.String(error, "message"u8), ReplyJson.String(error, "status"u8), delay);
        }
        catch (JsonException)
        {
            return (null, null, null);
        }
    }

    public void Dispose() => _http.Dispose();
}
