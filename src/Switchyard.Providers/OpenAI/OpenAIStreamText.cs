namespace Switchyard.Providers.OpenAI;

/// <summary>Public face of the OpenAI scanner for callers outside the provider (usage estimates).</summary>
public static class OpenAIStreamText
{
    /// <summary>Characters of generated content in an OpenAI response body or chunk.</summary>
    public static int ContentChars(ReadOnlySpan<byte> json) => OpenAIUsageReader.TryScan(json, out var scan) ? scan.ContentChars : 0;
}
