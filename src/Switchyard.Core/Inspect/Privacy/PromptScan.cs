using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// The privacy scan of a request: the scanner over each text segment the client format's parser recorded
/// (<see cref="CanonicalRequest.Segments"/>), never the raw JSON, so Inspect knows no wire format.
/// </summary>
public static class PromptScan
{
    /// <summary>What the policy's scanner finds in the segments (span offsets are relative to each segment's text).</summary>
    public static PrivacyFindings Scan(IReadOnlyList<TextSegment> segments, PrivacyPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(segments);
        ArgumentNullException.ThrowIfNull(policy);
        if (segments.Count == 0)
        {
            return PrivacyFindings.None;
        }

        var spans = new List<PiiSpan>();
        for (var i = 0; i < segments.Count; i++)
        {
            policy.Scanner.Scan(segments[i].Text, spans);
        }

        return PrivacyFindings.From(spans, policy);
    }
}
