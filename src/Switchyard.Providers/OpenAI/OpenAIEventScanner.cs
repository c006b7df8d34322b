using Switchyard.Providers.Sse;

namespace Switchyard.Providers.OpenAI;

/// <summary>OpenAI chunks: <c>[DONE]</c> ends the stream; usage and text size are read in one forward pass; an error object fails it.</summary>
internal sealed class OpenAIEventScanner : IEventScanner
{
    public static readonly OpenAIEventScanner Instance = new();

    public bool Scan(in SseEvent evt, out ScannedEvent scanned)
    {
        var data = evt.Data.Span;
        if (data.SequenceEqual("[DONE]"u8))
        {
            scanned = new ScannedEvent(IsDone: true, IsUsageOnly: false, IsFinish: false, null, 0);
            return true;
        }

        if (!OpenAIUsageReader.TryScan(data, out var scan) || scan.IsError)
        {
            scanned = default;
            return false;
        }

        scanned = new ScannedEvent(IsDone: false, IsUsageOnly: scan.ChoicesEmpty && scan.Usage is not null, scan.HasFinishReason, scan.Usage, scan.ContentChars);
        return true;
    }
}
