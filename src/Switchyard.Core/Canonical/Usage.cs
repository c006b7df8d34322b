namespace Switchyard.Canonical;

/// <summary>Token usage of one call. <see cref="Estimated"/> is set when the upstream reported none.</summary>
public readonly record struct Usage(
    int InputTokens,
    int OutputTokens,
    int CachedInputTokens = 0,
    int CacheWriteTokens = 0,
    bool Estimated = false)
{
    public int TotalTokens => InputTokens + OutputTokens;
}
