using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
namespace Switchyard.Core.Inspect;

/// <summary>What set a request's data class: the structured fact behind <see cref="Inspection.DataClassReason"/>'s wording.</summary>
public enum DataClassSource
{
    /// <summary>The policy's default class.</summary>
    Default,

    /// <summary>The key's policy floor.</summary>
    KeyFloor,

    /// <summary>What the privacy scanner found in the prompt (<see cref="Inspection.Privacy"/> names the entity types).</summary>
    Detected,

    /// <summary>The caller raised it with the <c>x-switchyard-data-class</c> header.</summary>
    Header,
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
    /// <summary>What set <see cref="DataClass"/> (refusals explain themselves from it, never from the reason's wording).</summary>
    public DataClassSource DataClassSource { get; init; }
}
