using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
namespace Switchyard.Core.Inspect;

/// <summary>What Inspect learned about a request, without any network call.</summary>
public sealed record Inspection(
    DataClass DataClass,
    string DataClassReason,
    int EstimatedInputTokens,
    RequestFeatures Features)
{
    /// <summary>What the privacy scanner found: entity type names (never values) and the class they imply.</summary>
    public PrivacyFindings Privacy { get; init; } = PrivacyFindings.None;
    /// <summary>Task category and per-profile predicted quality (<see cref="TaskAnalyzer"/>); <see cref="TaskAnalysis.None"/> for embeddings.</summary>
    public TaskAnalysis Task { get; init; } = TaskAnalysis.None;
}
