using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
namespace Switchyard.Core.Inspect;

/// <summary>How sensitive a request's data is; policy maps each class to the trust zones it may reach.</summary>
public enum DataClass
{
    [System.Text.Json.Serialization.JsonStringEnumMemberName("public")]
    Public,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("internal")]
    Internal,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("confidential")]
    Confidential,
    [System.Text.Json.Serialization.JsonStringEnumMemberName("restricted")]
    Restricted,
}

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
