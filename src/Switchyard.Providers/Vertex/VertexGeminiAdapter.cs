using System.Buffers;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.Http;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.Vertex;

/// <summary>Creates adapters for <c>type: vertex</c> (Gemini models on Google Cloud Vertex AI).</summary>
public sealed class VertexGeminiAdapterFactory(TimeProvider time, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "vertex";

    public IProviderAdapter Create(ProviderSettings settings) => new VertexGeminiAdapter(settings, time, clients);
}

/// <summary>
/// Gemini on Vertex AI: the Gemini format (<see cref="GeminiRequestWriter"/>, its readers and scanner) at
/// <c>…/publishers/google/models/{model}:generateContent</c> or <c>:streamGenerateContent?alt=sse</c>, with an OAuth2
/// bearer token instead of an API key.
/// </summary>
public sealed class VertexGeminiAdapter : HttpProviderAdapter
{
    private readonly VertexEndpoint _endpoint;

    public VertexGeminiAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients = null)
        : base(settings, time, clients)
    {
        try
        {
            _endpoint = new VertexEndpoint(settings, "google", ShareCredential, time);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override ApiFormat WireFormat => ApiFormat.Gemini;

    /// <summary>The token source (for tests of caching).</summary>
    public GoogleAccessToken Token => _endpoint.Token;

    public override string? CannotCarry(CanonicalRequest request) => GeminiRequestWriter.CannotCarry(request);

    protected override Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body)
    {
        GeminiRequestWriter.Write(call.Request, body);
        return _endpoint.ModelUri(call.Deployment.UpstreamModel, call.Request.Stream ? "streamGenerateContent?alt=sse" : "generateContent");
    }

    protected override void AddCredentials(HttpRequestMessage message)
    {
    }

    protected override ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _endpoint.AuthorizeAsync(message, cancellationToken);

    protected override IEventScanner CreateEventScanner() => new GeminiEventScanner();

    /// <summary>Every 2xx body goes on: the translation reads it, and one that is not Gemini's fails there.</summary>
    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage)
    {
        usage = null;
        return null;
    }

    protected override UpstreamErrorBody ReadError(byte[] body) => GeminiWire.ReadError(body);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _endpoint.Dispose();
        }

        base.Dispose(disposing);
    }
}
