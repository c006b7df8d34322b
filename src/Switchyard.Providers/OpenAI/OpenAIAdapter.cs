using System.Buffers;
using System.Net.Http.Headers;
using Switchyard.Canonical;
using Switchyard.Configuration;
using Switchyard.Execution;
using Switchyard.Providers.Http;

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
    private const int MaxResponseBytes = 64 * 1024 * 1024;
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

        var start = _time.GetTimestamp();
        // One source per call: the client's token is linked in, the provider timeout is a CancelAfter on it.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(config.RequestTimeout);
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(message, linked.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var status = UpstreamHttp.Classify(ex, cancellationToken);
            return UpstreamResult.Failure(status, 0, FailureMessage(status), _time.GetElapsedTime(start));
        }

        var code = (int)response.StatusCode;
        if (code is >= 200 and < 300 && request.Stream)
        {
            // The stream is read under the client's token plus an idle timeout per event, not the total timeout.
            var stream = await OpenAIStream.OpenAsync(response, config.RequestTimeout, _time, cancellationToken);
            return new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = code, Stream = stream, UpstreamTime = _time.GetElapsedTime(start) };
        }

        using (response)
        {
            byte[] bytes;
            try
            {
                bytes = await ReadBoundedAsync(response.Content, linked.Token);
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or InvalidDataException or EndOfStreamException)
            {
                var status = ex is InvalidDataException ? DispatchStatus.InvalidResponse : ex is EndOfStreamException ? DispatchStatus.UpstreamError : UpstreamHttp.Classify(ex, cancellationToken);
                return UpstreamResult.Failure(status, code, FailureMessage(status), _time.GetElapsedTime(start));
            }

            var elapsed = _time.GetElapsedTime(start);
            if (code is >= 200 and < 300)
            {
                // A 200 that is not the operation's response shape (a proxy's page, another API's body) must not
                // reach an OpenAI client as a success: it becomes a 502 and the next candidate is tried.
                if (!OpenAIUsageReader.TryScan(bytes, out var scan) || scan.IsError
                    || !(request.Operation == Operation.Embeddings ? scan.HasData : scan.HasChoices))
                {
                    return UpstreamResult.Failure(DispatchStatus.InvalidResponse, code, "The upstream answered with a body that is not an OpenAI response.", elapsed);
                }

                return new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = code, Body = bytes, Usage = scan.Usage, UpstreamTime = elapsed };
            }

            return MapError(response, code, bytes, elapsed);
        }
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

    private UpstreamResult MapError(HttpResponseMessage response, int code, byte[] body, TimeSpan elapsed)
    {
        var (message, errorCode, param) = OpenAIErrorReader.Read(body);
        return code switch
        {
            429 => new UpstreamResult
            {
                Status = DispatchStatus.RateLimited,
                UpstreamStatusCode = code,
                RetryAfter = UpstreamHttp.RetryAfter(response, _time),
                SafeMessage = $"The upstream provider '{ProviderName}' is rate limiting requests.",
                ErrorCode = errorCode,
                UpstreamTime = elapsed,
            },
            401 or 403 => UpstreamResult.Failure(DispatchStatus.AuthFailed, code, $"The upstream provider '{ProviderName}' refused the gateway's credentials.", elapsed),
            400 or 409 or 413 or 422 => new UpstreamResult
            {
                Status = DispatchStatus.Rejected,
                UpstreamStatusCode = code,
                SafeMessage = message ?? $"The upstream provider '{ProviderName}' rejected the request.",
                ErrorCode = errorCode,
                ErrorParam = param,
                UpstreamTime = elapsed,
            },
            _ => UpstreamResult.Failure(DispatchStatus.UpstreamError, code, $"The upstream provider '{ProviderName}' failed with status {code}.", elapsed),
        };
    }

    private string FailureMessage(DispatchStatus status) => status switch
    {
        DispatchStatus.Timeout => $"The upstream provider '{ProviderName}' did not answer in time.",
        DispatchStatus.ConnectFailed => $"The upstream provider '{ProviderName}' could not be reached.",
        DispatchStatus.ClientCanceled => "The client closed the connection.",
        DispatchStatus.InvalidResponse => $"The upstream provider '{ProviderName}' sent an invalid response.",
        _ => $"The connection to the upstream provider '{ProviderName}' failed.",
    };

    private static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        var declared = content.Headers.ContentLength;
        if (declared is > MaxResponseBytes)
        {
            throw new InvalidDataException("Upstream response too large.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        if (declared is { } length)
        {
            // The common case: read straight into an array of the declared size, no intermediate copy.
            var exact = new byte[length];
            await stream.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await stream.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxResponseBytes)
            {
                throw new InvalidDataException("Upstream response too large.");
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    public void Dispose() => _http.Dispose();
}
