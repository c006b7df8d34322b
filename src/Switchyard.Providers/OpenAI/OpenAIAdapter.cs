using System.Buffers;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.OpenAI;

/// <summary>Creates adapters for <c>type: openai</c>: OpenAI itself and every server or host that speaks its wire format.</summary>
public sealed class OpenAIAdapterFactory(TimeProvider time, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "openai";

    public IProviderAdapter Create(ProviderSettings settings) => new OpenAIAdapter(settings, time, clients);
}

/// <summary>
/// The upstream adapter for the OpenAI wire format (OpenAI, vLLM, Ollama, llama.cpp, TGI, SGLang, LM Studio,
/// Together, Fireworks, Groq, DeepSeek, Mistral, OpenRouter). An OpenAI-format request is forwarded as its
/// original bytes with the model rewritten; replies are relayed as they come, streams event by event.
/// </summary>
public sealed class OpenAIAdapter : HttpProviderAdapter, IHealthProbe
{
    private readonly Uri _chatUri;
    private readonly Uri _embeddingsUri;
    private readonly Uri _modelsUri;

    public OpenAIAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients = null)
        : base(settings, time, clients)
    {
        var baseUrl = settings.Config.BaseUrl!.ToString().TrimEnd('/');
        _chatUri = new Uri(baseUrl + "/chat/completions");
        _embeddingsUri = new Uri(baseUrl + "/embeddings");
        _modelsUri = new Uri(baseUrl + "/models");
    }

    public override ApiFormat WireFormat => ApiFormat.OpenAI;

    /// <summary>Everything canonical has an OpenAI form; only fields of another client format that the canonical model does not carry are refused.</summary>
    public override string? CannotCarry(CanonicalRequest request) => Refusals.Untranslatable(request, WireFormat);

    protected override Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body)
    {
        WriteBody(call, Settings.Config, body);
        return call.Request.Operation == Operation.Embeddings ? _embeddingsUri : _chatUri;
    }

    /// <summary>The OpenAI body of a call: an OpenAI client's bytes with the model rewritten, else written from the canonical request.</summary>
    internal static void WriteBody(UpstreamCall call, ProviderConfig config, IBufferWriter<byte> body)
    {
        var request = call.Request;
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
    }

    protected override void AddCredentials(HttpRequestMessage message) => UpstreamHttp.AddBearer(message, Settings.ApiKey);

    protected override IEventScanner CreateEventScanner() => OpenAIEventScanner.Instance;

    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage) => CheckBody(body, request, out usage);

    /// <summary>Null when a 2xx body is an OpenAI reply of the request's operation (with its usage), else why not.</summary>
    internal static string? CheckBody(byte[] body, CanonicalRequest request, out Usage? usage)
    {
        if (!OpenAIUsageReader.TryScan(body, out var scan) || scan.IsError
            || !(request.Operation == Operation.Embeddings ? scan.HasData : scan.HasChoices))
        {
            usage = null;
            return "The upstream answered with a body that is not an OpenAI response.";
        }

        usage = scan.Usage;
        return null;
    }

    protected override UpstreamErrorBody ReadError(byte[] body)
    {
        var (message, code, param) = OpenAIErrorReader.Read(body);
        return new UpstreamErrorBody(message, code, param);
    }

    /// <summary>Active health probe: <c>GET /models</c>, the cheapest request every OpenAI-format server answers.</summary>
    public async ValueTask<bool> ProbeAsync(Core.Upstream.Deployment deployment, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var message = new HttpRequestMessage(HttpMethod.Get, _modelsUri);
        UpstreamHttp.AddBearer(message, Settings.ApiKey);
        foreach (var (name, value) in Settings.Config.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        try
        {
            using var connection = LeaseConnection();
            using var response = await connection.Value.SendAsync(message, linked.Token);
            return response.IsSuccessStatusCode;
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            return false;
        }
    }
}
