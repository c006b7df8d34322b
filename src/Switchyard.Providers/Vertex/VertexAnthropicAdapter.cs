using System.Buffers;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.Http;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.Vertex;

/// <summary>Creates adapters for <c>type: vertex-anthropic</c> (Anthropic's Claude models on Google Cloud Vertex AI).</summary>
public sealed class VertexAnthropicAdapterFactory(TimeProvider time, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "vertex-anthropic";

    public IProviderAdapter Create(ProviderSettings settings) => new VertexAnthropicAdapter(settings, time, clients);
}

/// <summary>
/// Claude on Vertex AI: the Anthropic Messages format at <c>…/publishers/anthropic/models/{model}:rawPredict</c> or
/// <c>:streamRawPredict</c>, with <c>anthropic_version: vertex-2023-10-16</c> in the body and the model in the URL
/// only. An Anthropic client's body is forwarded with just those changes; replies are Anthropic's own (relayed to
/// Anthropic clients as they are).
/// </summary>
public sealed class VertexAnthropicAdapter : HttpProviderAdapter
{
    /// <summary>The body version Vertex AI's Anthropic models require.</summary>
    public const string AnthropicVersion = "vertex-2023-10-16";

    private readonly VertexEndpoint _endpoint;

    public VertexAnthropicAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients = null)
        : base(settings, time, clients)
    {
        try
        {
            _endpoint = new VertexEndpoint(settings, "anthropic", ShareCredential, time);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

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
            VertexAnthropicBody.Forward(request, AnthropicVersion, maxTokens, body);
        }
        else
        {
            AnthropicRequestWriter.Write(request, null, AnthropicVersion, maxTokens, body);
        }

        return _endpoint.ModelUri(call.Deployment.UpstreamModel, request.Stream ? "streamRawPredict" : "rawPredict");
    }

    protected override void AddCredentials(HttpRequestMessage message)
    {
    }

    protected override ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken) =>
        _endpoint.AuthorizeAsync(message, cancellationToken);

    protected override IEventScanner CreateEventScanner() => new AnthropicEventScanner();

    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage) => AnthropicReplyReader.Check(body, out usage);

    /// <summary>The model's own errors are Anthropic's shape; Vertex's (quota, permission) are Google's <c>{"error":{"code","message","status"}}</c>.</summary>
    protected override UpstreamErrorBody ReadError(byte[] body) =>
        AnthropicWire.ReadError(body) is { Code: not null } anthropic ? anthropic : GeminiWire.ReadError(body);

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _endpoint.Dispose();
        }

        base.Dispose(disposing);
    }
}
