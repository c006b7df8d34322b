namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// The file names of the task models: what <c>switchyard train</c> writes and what <see cref="TaskAnalyzer"/> loads
/// (the built-in models are embedded under the same names).
/// </summary>
public static class TaskModelFiles
{
    public const string Classifier = "task-classifier.bin";
    public const string Quality = "quality-model.bin";
    public const string Priors = "quality-priors.csv";
    public const string DomainClassifier = "domain-classifier.bin";
    public const string DomainPriors = "domain-priors.csv";
    public const string Shape = "quality-shape.bin";
}
