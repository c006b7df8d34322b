namespace Switchyard.Core.Model;

/// <summary>What a request asks the model to do, as the task classifier sees it.</summary>
public enum TaskCategory
{
    Chat,
    Classification,
    Extraction,
    Summarization,
    QA,
    Code,
    Math,
    Reasoning,
    Creative,
}

/// <summary>Names of <see cref="TaskCategory"/> as written in config, headers and the ledger.</summary>
public static class TaskCategories
{
    /// <summary>Every category, in enum order.</summary>
    public static readonly TaskCategory[] All = Enum.GetValues<TaskCategory>();

    private static readonly string[] _names = ["chat", "classification", "extraction", "summarization", "qa", "code", "math", "reasoning", "creative"];

    public static string Name(TaskCategory category) => _names[(int)category];

    public static bool TryParse(string? name, out TaskCategory category)
    {
        var index = Array.IndexOf(_names, name);
        category = index < 0 ? default : (TaskCategory)index;
        return index >= 0;
    }

    /// <summary>
    /// The gateway category of a task-types label (../shared/data/task-types: <c>task_type</c>). Labels the
    /// product has no category for fold into the nearest one: <c>qa_with_context</c> is QA, <c>brainstorming</c>
    /// is creative, <c>roleplay</c> is chat.
    /// </summary>
    public static TaskCategory? FromDatasetLabel(string label) => label switch
    {
        "qa" or "qa_with_context" => TaskCategory.QA,
        "classification" => TaskCategory.Classification,
        "extraction" => TaskCategory.Extraction,
        "summarization" => TaskCategory.Summarization,
        "brainstorming" or "creative" => TaskCategory.Creative,
        "roleplay" or "chat" => TaskCategory.Chat,
        "reasoning" => TaskCategory.Reasoning,
        "math" => TaskCategory.Math,
        "code" => TaskCategory.Code,
        _ => null,
    };
}
