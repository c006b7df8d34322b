using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.Json;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.Gemini;

/// <summary>Creates adapters for <c>type: gemini</c> (Google's Gemini API; <c>base_url</c> defaults to <c>https://generativelanguage.googleapis.com/v1beta</c>).</summary>
public sealed class GeminiAdapterFactory(TimeProvider time, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "gemini";

    public IProviderAdapter Create(ProviderSettings settings) => new GeminiAdapter(settings, time, clients);
}

/// <summary>
/// The upstream adapter for Google's Gemini API: <c>models/{model}:generateContent</c>, or
/// <c>:streamGenerateContent?alt=sse</c> for streams, <c>:embedContent</c>/<c>:batchEmbedContents</c> for embeddings,
/// authenticated by <c>x-goog-api-key</c>. No client speaks Gemini's format, so every body is written from the
/// canonical request and every reply read back into it.
/// </summary>
public sealed class GeminiAdapter : HttpProviderAdapter
{
    public static readonly Uri DefaultBaseUrl = new("https://generativelanguage.googleapis.com/v1beta");

    private readonly string _baseUrl;

    public GeminiAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients = null)
        : base(settings, time, clients) =>
        _baseUrl = (settings.Config.BaseUrl ?? DefaultBaseUrl).ToString().TrimEnd('/');

    public override ApiFormat WireFormat => ApiFormat.Gemini;

    /// <summary>Embeddings go to <c>embedContent</c>/<c>batchEmbedContents</c> (<see cref="GeminiEmbeddings"/>); chats as the Gemini writer says.</summary>
    public override string? CannotCarry(CanonicalRequest request) =>
        request?.Operation == Operation.Embeddings ? GeminiEmbeddings.CannotCarry(request) : GeminiRequestWriter.CannotCarry(request!);

    protected override Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body)
    {
        if (call.Request.Operation == Operation.Embeddings)
        {
            var method = GeminiEmbeddings.Write(call.Request, call.Deployment.UpstreamModel, body);
            return new Uri($"{_baseUrl}/models/{Uri.EscapeDataString(call.Deployment.UpstreamModel)}:{method}");
        }

        GeminiRequestWriter.Write(call.Request, body);
        return new Uri($"{_baseUrl}/models/{Uri.EscapeDataString(call.Deployment.UpstreamModel)}:{(call.Request.Stream ? "streamGenerateContent?alt=sse" : "generateContent")}");
    }

    protected override void AddCredentials(HttpRequestMessage message)
    {
        if (Settings.ApiKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("x-goog-api-key", key.Reveal());
        }
    }

    protected override IEventScanner CreateEventScanner() => new GeminiEventScanner();

    /// <summary>Every 2xx chat body goes on: the translation reads it, and one that is not Gemini's fails there. Embeddings carry the estimated usage.</summary>
    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage)
    {
        usage = request?.Operation == Operation.Embeddings ? new Usage(GeminiEmbeddings.EstimatedTokens(request), 0, Estimated: true) : null;
        return null;
    }

    /// <summary>Gemini's embeddings reply, as the OpenAI list the client asked for.</summary>
    protected override byte[]? RewriteReply(byte[] body, UpstreamCall call) =>
        call?.Request.Operation == Operation.Embeddings ? GeminiEmbeddings.ToOpenAI(body, call.Request) : body;

    /// <summary>Gemini's error body: see <see cref="GeminiWire.ReadError"/>.</summary>
    protected override UpstreamErrorBody ReadError(byte[] body) => GeminiWire.ReadError(body);
}
