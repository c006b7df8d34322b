using System.Buffers;
using System.Collections.Frozen;

namespace Switchyard.Inspection.Classification;

/// <summary>
/// What the task models say about one prompt: its category, how sure the classifier is, and for every quality
/// profile the predicted probability that a model of that profile answers it well.
/// </summary>
/// <param name="Category">The classifier's category.</param>
/// <param name="Confidence">The classifier's probability of that category.</param>
/// <param name="Quality">Per profile of <see cref="TaskAnalyzer.Profiles"/>, in their order.</param>
public sealed record TaskAnalysis(TaskCategory Category, float Confidence, float[] Quality)
{
    /// <summary>An analysis of nothing (embeddings, empty prompts): chat, no quality signal.</summary>
    public static readonly TaskAnalysis None = new(TaskCategory.Chat, 0f, []);
}

/// <summary>
/// The task half of Inspect: hashes the prompt once (<see cref="TextFeatures"/>), classifies it
/// (<c>task-classifier.bin</c>, softmax over <see cref="TaskCategory"/>), then predicts per-profile quality from
/// the same features plus the category (<c>quality-model.bin</c>, one sigmoid per profile), and blends those with
/// the domain priors of the prompt's predicted subject (<see cref="DomainModel"/>). The weight files are embedded from
/// <c>Inspection/Data</c> and rebuilt by <c>switchyard train</c>.
/// </summary>
public sealed class TaskAnalyzer
{
    private static readonly Lazy<TaskAnalyzer> _builtIn = new(LoadBuiltIn);

    private readonly LinearModel _classifier;
    private readonly LinearModel? _quality;
    private readonly DomainModel? _domains;
    private readonly int[] _categoryFeatures;

    public TaskAnalyzer(LinearModel classifier, LinearModel? quality, DomainModel? domains = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (classifier.Labels.Count != TaskCategories.All.Length)
        {
            throw new InvalidDataException("the task classifier must have one output per category");
        }

        if (quality is not null && quality.Buckets != classifier.Buckets)
        {
            throw new InvalidDataException("the quality model and the classifier must hash into the same buckets");
        }

        if (domains is not null && (quality is null || domains.Classifier.Buckets != classifier.Buckets))
        {
            throw new InvalidDataException("the domain model needs a quality model and the classifier's buckets");
        }

        _classifier = classifier;
        _quality = quality;
        _domains = domains;
        _categoryFeatures = [.. TaskCategories.All.Select(c => CategoryFeature(c, classifier.Buckets))];
        Profiles = quality?.Labels ?? [];
        ProfileIndex = Profiles.Select((p, i) => (p, i)).ToFrozenDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The models shipped with the product.</summary>
    public static TaskAnalyzer BuiltIn => _builtIn.Value;

    /// <summary>The domain signal blended into expected quality, if any.</summary>
    public DomainModel? Domains => _domains;

    public int Buckets => _classifier.Buckets;

    /// <summary>Quality profiles (dataset model names) the quality model predicts, in output order.</summary>
    public IReadOnlyList<string> Profiles { get; }

    public FrozenDictionary<string, int> ProfileIndex { get; }

    /// <summary>The feature the quality model conditions on for a category.</summary>
    public static int CategoryFeature(TaskCategory category, int buckets) => TextFeatures.Named("__category=" + TaskCategories.Name(category), buckets);

    public TaskAnalysis Analyze(ReadOnlySpan<char> text)
    {
        var rented = ArrayPool<int>.Shared.Rent(TextFeatures.MaxFeatures + 1);
        try
        {
            var n = TextFeatures.Extract(text, _classifier.Buckets, rented);
            return Analyze(rented.AsSpan(0, n + 1), n);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Analyzes extracted features. <paramref name="buffer"/> holds the <paramref name="count"/> features and one
    /// free slot, where the category feature goes for the quality model.
    /// </summary>
    public TaskAnalysis Analyze(Span<int> buffer, int count)
    {
        Span<float> scores = stackalloc float[TaskCategories.All.Length];
        _classifier.Score(buffer[..count], scores);
        Span<float> probabilities = stackalloc float[scores.Length];
        Training.LinearTrainer.Softmax(scores, probabilities);
        var best = 0;
        for (var j = 1; j < probabilities.Length; j++)
        {
            if (probabilities[j] > probabilities[best])
            {
                best = j;
            }
        }

        var category = (TaskCategory)best;
        if (_quality is null)
        {
            return new TaskAnalysis(category, probabilities[best], []);
        }

        buffer[count] = _categoryFeatures[best];
        var quality = new float[_quality.Labels.Count];
        _quality.Score(buffer[..(count + 1)], quality);
        for (var j = 0; j < quality.Length; j++)
        {
            quality[j] = Training.LinearTrainer.Sigmoid(quality[j]);
        }

        if (_domains is not null)
        {
            var k = _domains.Domains.Count;
            Span<float> domainScores = stackalloc float[k];
            Span<float> domainProbabilities = stackalloc float[k];
            _domains.Classifier.Score(buffer[..count], domainScores);
            Training.LinearTrainer.Softmax(domainScores, domainProbabilities);
            _domains.Blend(domainProbabilities, quality);
        }

        return new TaskAnalysis(category, probabilities[best], quality);
    }

    /// <summary>The domain probabilities of a prompt (for evaluation), or empty without a domain model.</summary>
    public float[] DomainProbabilities(ReadOnlySpan<char> text)
    {
        if (_domains is null)
        {
            return [];
        }

        var features = new int[TextFeatures.MaxFeatures];
        var n = TextFeatures.Extract(text, Buckets, features);
        var scores = new float[_domains.Domains.Count];
        var probabilities = new float[scores.Length];
        _domains.Classifier.Score(features.AsSpan(0, n), scores);
        Training.LinearTrainer.Softmax(scores, probabilities);
        return probabilities;
    }

    private static TaskAnalyzer LoadBuiltIn()
    {
        var classifier = LinearModel.Embedded("task-classifier.bin");
        var quality = LinearModel.Embedded("quality-model.bin");
        using var stream = typeof(TaskAnalyzer).Assembly.GetManifestResourceStream("Switchyard.Inspection.domain-priors.csv");
        if (stream is null)
        {
            return new TaskAnalyzer(classifier, quality);
        }

        using var reader = new StreamReader(stream);
        return new TaskAnalyzer(classifier, quality, DomainModel.Read(LinearModel.Embedded("domain-classifier.bin"), quality.Labels, reader));
    }
}
