using Switchyard.Core.Model;
namespace Switchyard.Providers.Translation;

/// <summary>How an adapter says, by name, what of a request its wire format cannot carry (no silent degradation).</summary>
public static class Refusals
{
    /// <summary>The label of an upstream format in refusal messages.</summary>
    public static string UpstreamLabel(ApiFormat wire) => wire switch
    {
        ApiFormat.Anthropic => "an Anthropic upstream",
        ApiFormat.Gemini => "a Gemini upstream",
        ApiFormat.Bedrock => "a Bedrock (Converse) upstream",
        _ => "an OpenAI-style upstream",
    };

    /// <summary>The first client field the canonical model does not carry, when the upstream speaks another format.</summary>
    public static string? Untranslatable(CanonicalRequest request, ApiFormat wire)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.ClientFormat == wire || request.Untranslatable.Count == 0)
        {
            return null;
        }

        var first = request.Untranslatable[0];
        return Field(first.Path, first.What, wire);
    }

    /// <summary>
    /// The content checks every translated format shares: audio and file parts (none takes them), tool-call arguments
    /// that are not a JSON object, and the format's own rule for an image part (<paramref name="image"/>: why it is
    /// refused, or null).
    /// </summary>
    public static string? Content(CanonicalRequest request, ApiFormat wire, Func<ContentPart, string?>? image = null)
    {
        ArgumentNullException.ThrowIfNull(request);
        foreach (var message in request.Messages)
        {
            foreach (var part in message.Content)
            {
                if (part.Kind is ContentPartKind.Audio or ContentPartKind.File)
                {
                    return Field("messages", $"{(part.Kind == ContentPartKind.Audio ? "audio" : "file")} content parts", wire);
                }

                if (part.Kind == ContentPartKind.Image && image?.Invoke(part) is { } refused)
                {
                    return Field("messages", refused, wire);
                }
            }

            foreach (var call in message.ToolCalls)
            {
                if (!string.IsNullOrWhiteSpace(call.ArgumentsJson) && !Json.ReplyJson.IsObject(call.ArgumentsJson))
                {
                    return Field("messages", $"tool call '{call.Id}' with arguments that are not a JSON object", wire);
                }
            }
        }

        return null;
    }

    /// <summary><c>path: what cannot be translated for a … upstream</c>: the path comes first, so the client's error names it.</summary>
    public static string Field(string path, string what, ApiFormat wire) => $"{path}: {what} cannot be translated for {UpstreamLabel(wire)}";
}
