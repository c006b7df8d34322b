namespace Switchyard.Core.Model;

/// <summary>Token usage of one call. <see cref="Estimated"/> is set when the upstream reported none.</summary>
public readonly record struct Usage(
    int InputTokens,
    int OutputTokens,
    int CachedInputTokens = 0,
    int CacheWriteTokens = 0,
    bool Estimated = false)
{
    public int TotalTokens => InputTokens + OutputTokens;

    /// <summary>What a tokens-per-minute limit counts of this call (key, team, organisation or deployment): input, output and cache writes.</summary>
    public int RateLimitedTokens => TotalTokens + CacheWriteTokens;
}
