using Switchyard.Canonical;
using Switchyard.Inspection.Classification;

namespace Switchyard.Inspection;

/// <summary>How sensitive a request's data is; policy maps each class to the trust zones it may reach.</summary>
public enum DataClass
{
    Public,
    Internal,
    Confidential,
    Restricted,
}

/// <summary>What Inspect learned about a request, without any network call.</summary>
public sealed record Inspection(
    DataClass DataClass,
    string DataClassReason,
    int EstimatedInputTokens,
    RequestFeatures Features)
{
    /// <summary>Task category and per-profile predicted quality (<see cref="TaskAnalyzer"/>); <see cref="TaskAnalysis.None"/> for embeddings.</summary>
    public TaskAnalysis Task { get; init; } = TaskAnalysis.None;
}
