namespace Switchyard.Core.Model;

public enum ChatRole
{
    System,
    Developer,
    User,
    Assistant,
    Tool,
}

public enum ContentPartKind
{
    Text,
    Image,
    Audio,
    File,
    Refusal,
}

/// <summary>One part of a message's content.</summary>
/// <param name="Kind">What the part holds.</param>
/// <param name="Text">Text, for text and refusal parts.</param>
/// <param name="Url">Image URL or data: URL, for image parts.</param>
/// <param name="Detail">Image detail hint (<c>auto</c>, <c>low</c>, <c>high</c>).</param>
public sealed record ContentPart(ContentPartKind Kind, string? Text = null, string? Url = null, string? Detail = null);

/// <summary>A tool call the assistant made; <see cref="ArgumentsJson"/> is the JSON text as sent.</summary>
public sealed record ToolCall(string Id, string Name, string ArgumentsJson);

/// <summary>One conversation turn.</summary>
public sealed record ChatMessage
{
    public required ChatRole Role { get; init; }
    public IReadOnlyList<ContentPart> Content { get; init; } = [];

    /// <summary>The content arrived as a plain string rather than an array of parts.</summary>
    public bool ContentIsString { get; init; }

    public string? Name { get; init; }
    public IReadOnlyList<ToolCall> ToolCalls { get; init; } = [];
    public string? ToolCallId { get; init; }

    /// <summary>A tool result the client marked as an error (Anthropic <c>is_error</c>).</summary>
    public bool IsError { get; init; }
}

/// <summary>A function the model may call; <see cref="ParametersJson"/> is its JSON Schema as sent.</summary>
public sealed record ToolDefinition(string Name, string? Description, string? ParametersJson, bool? Strict);

public enum ToolChoiceMode
{
    Auto,
    None,
    Required,
    Named,
}

public sealed record ToolChoice(ToolChoiceMode Mode, string? Name = null);

public enum ResponseFormatKind
{
    Text,
    JsonObject,
    JsonSchema,
}

public sealed record ResponseFormat(ResponseFormatKind Kind, string? SchemaName = null, string? SchemaJson = null, bool? Strict = null);
