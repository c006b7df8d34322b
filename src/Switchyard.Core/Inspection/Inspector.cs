using Switchyard.Canonical;
using Switchyard.Inspection.Privacy;
using Switchyard.Tenancy;

namespace Switchyard.Inspection;

/// <summary>
/// The Inspect stage: data class, required features and a token estimate. Pure and allocation-light; the
/// privacy scanner and task classifier (routing issue) plug in here.
/// </summary>
public sealed class Inspector
{
    /// <summary>Tokens an image costs upstream, roughly (OpenAI's high-detail 512px tile budget).</summary>
    private const int TokensPerImage = 765;

    /// <summary>The default class of traffic nothing marks otherwise: the organisation's own.</summary>
    public const DataClass DefaultClass = DataClass.Internal;

    public Inspection Inspect(CanonicalRequest request, Caller caller, DataClass? requestedClass) =>
        Inspect(request, caller, requestedClass, PrivacyPolicy.Default);

    /// <summary>
    /// The data class is the highest of: the default, the key's floor, what the privacy scanner found in the
    /// prompt (under <paramref name="privacy"/>'s mapping), and the class the caller asked for.
    /// </summary>
    public Inspection Inspect(CanonicalRequest request, Caller caller, DataClass? requestedClass, PrivacyPolicy privacy)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(privacy);
        var dataClass = DefaultClass;
        var reason = "default";
        if (caller.DataClassFloor > dataClass)
        {
            dataClass = caller.DataClassFloor;
            reason = "key policy floor";
        }

        var findings = PrivacyJson.Scan(request.RawBody.Span, privacy);
        if (findings.DataClass > dataClass)
        {
            dataClass = findings.DataClass;
            reason = "detected " + findings.Reason;
        }

        // A caller may raise the class of its request, never lower it.
        if (requestedClass is { } raised && raised > dataClass)
        {
            dataClass = raised;
            reason = "x-switchyard-data-class header";
        }

        return new Inspection(dataClass, reason, EstimateInputTokens(request), request.Features) { Privacy = findings };
    }

    /// <summary>About four characters a token, plus per-message framing and image costs.</summary>
    public static int EstimateInputTokens(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.EmbeddingInput is { } input)
        {
            return (input.TotalChars + 3) / 4 + input.TotalTokenIds;
        }

        return (request.PromptChars + 3) / 4 + (request.Messages.Count * 4) + (request.ImageCount * TokensPerImage) + 3;
    }

    /// <summary>Estimated tokens of generated text.</summary>
    public static int EstimateTokens(int chars) => (chars + 3) / 4;
}
