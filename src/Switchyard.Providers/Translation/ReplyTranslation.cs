using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Bedrock;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers.Translation;

/// <summary>
/// The one place an upstream reply leaves its wire format. A reply in the client's own format is returned as it
/// is (bytes relayed untouched, invariant 7); any other is read into the canonical reply (<see cref="UpstreamResult.Response"/>)
/// or wrapped so each stream event carries its canonical deltas, for the client's Egress to write.
/// </summary>
public static class ReplyTranslation
{
    public static UpstreamResult ForClient(UpstreamResult result, CanonicalRequest request, ApiFormat wire, string requestId)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(request);
        if (!result.IsSuccess || request.ClientFormat == wire || request.Operation != Operation.ChatCompletion)
        {
            return result;
        }

        if (result.Stream is { } stream)
        {
            IStreamDecoder decoder = wire switch
            {
                ApiFormat.Anthropic => new AnthropicEventDecoder(),
                ApiFormat.Gemini => new GeminiChunkDecoder(ToolIdPrefix(requestId)),
                ApiFormat.Bedrock => new ConverseEventDecoder(),
                _ => new OpenAIChunkDecoder(request.Stop),
            };
            return new UpstreamResult
            {
                Status = result.Status,
                UpstreamStatusCode = result.UpstreamStatusCode,
                Stream = new TranslatingStream(stream, decoder),
                UpstreamTime = result.UpstreamTime,
            };
        }

        CanonicalResponse? response;
        string? problem;
        var ok = wire switch
        {
            ApiFormat.Anthropic => AnthropicReplyReader.TryRead(result.Body, out response, out problem),
            ApiFormat.Gemini => GeminiReplyReader.TryRead(result.Body, ToolIdPrefix(requestId), out response, out problem),
            ApiFormat.Bedrock => ConverseReplyReader.TryRead(result.Body, out response, out problem),
            _ => OpenAIReplyReader.TryRead(result.Body, request.Stop, out response, out problem),
        };
        if (!ok)
        {
            return UpstreamResult.Failure(DispatchStatus.InvalidResponse, result.UpstreamStatusCode, problem ?? "The upstream response could not be translated.", result.UpstreamTime);
        }

        return new UpstreamResult
        {
            Status = result.Status,
            UpstreamStatusCode = result.UpstreamStatusCode,
            Response = response,
            Usage = result.Usage ?? response!.Usage,
            UpstreamTime = result.UpstreamTime,
        };
    }

    /// <summary>Gemini names no tool calls: ids derive from the gateway's request id, so they are stable and unique.</summary>
    public static string ToolIdPrefix(string requestId) =>
        "call_" + (requestId.StartsWith("req_", StringComparison.Ordinal) ? requestId[4..] : requestId) + "_";
}
