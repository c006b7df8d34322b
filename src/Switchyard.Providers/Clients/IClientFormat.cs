using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Clients;

/// <summary>
/// A client API format as a plug-in (issue 14, decision 4): how a body in this format becomes the canonical request
/// (Ingress), and how refusals, replies and streams are written back in it (Egress; invariant 3: a client only ever
/// sees its own API's format). Registered by <see cref="Name"/>; the host's endpoints pick one by route and run every
/// other stage the same way for all. Formats write to an <see cref="IResponseSink"/>, so Providers knows no web server.
/// </summary>
public interface IClientFormat
{
    /// <summary>The name the host looks the format up by (<c>openai</c>, <c>anthropic</c>).</summary>
    string Name { get; }

    ApiFormat Format { get; }

    /// <summary>One parse of the body into the canonical request, or the refusal naming the field at fault.</summary>
    (CanonicalRequest? Request, Problem? Problem) Parse(ReadOnlyMemory<byte> body, Operation operation);

    /// <summary>Writes a refusal in this format's error envelope (nothing once the response has started).</summary>
    ValueTask WriteErrorAsync(IResponseSink response, Problem problem, string requestId);

    /// <summary>The status and code a client of this format sees when no candidate succeeded.</summary>
    (int Status, string Code) ClientStatus(UpstreamResult result);

    /// <summary>
    /// Writes a successful non-streamed reply: the upstream's bytes when it spoke this format, else the canonical
    /// <see cref="UpstreamResult.Response"/> in this format. Returns the HTTP status written (not 200 when the reply could
    /// not be translated).
    /// </summary>
    ValueTask<int> WriteBodyAsync(IResponseSink response, CanonicalRequest request, UpstreamResult result, ReplyContext context, CancellationToken cancellationToken);

    /// <summary>Sets the stream's status and headers and returns the relay that writes its events.</summary>
    IStreamRelay StartStream(IResponseSink response, CanonicalRequest request, ReplyContext context);
}

/// <summary>
/// What Egress needs to name a reply it writes itself: the request id, the input estimate, the time, and whether
/// the upstream spoke another format than the client (its events then carry canonical deltas).
/// </summary>
public readonly record struct ReplyContext(string RequestId, int EstimatedInputTokens, long CreatedUnixSeconds, bool Translated);
