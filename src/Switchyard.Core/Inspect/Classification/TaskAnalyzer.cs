using System.Buffers;
using System.Collections.Frozen;
using System.Numerics;
using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Classification;

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
/// the same features plus the category (<c>quality-model.bin</c>, one sigmoid per profile, its logit shifted by the
/// prompt's shape through <see cref="ShapeModel"/> when there is one), and blends those with
/// the domain priors of the prompt's predicted subject (<see cref="DomainModel"/>). The weight files are embedded from
/// <c>Inspect/Data</c> and rebuilt by <c>switchyard train</c>.
/// </summary>
public sealed class TaskAnalyzer
{
    private static readonly Lazy<TaskAnalyzer> _builtIn = new(LoadBuiltIn);

    private readonly LinearModel _classifier;
    private readonly LinearModel? _quality;
    private readonly DomainModel? _domains;
    private readonly ShapeModel? _shape;
    private readonly int[] _categoryFeatures;

    /// <summary>
    /// The three models' weights side by side, one contiguous row per bucket (classifier | quality | domain | padding
    /// to the vector width): each feature is one pass over one row instead of three scattered ones. Summing in the
    /// same order as <see cref="LinearModel.Score"/> gives bit-identical scores.
    /// </summary>
    private readonly float[] _fused;
    private readonly int _width;
    private readonly int _qualityAt;
    private readonly int _domainAt;

    public TaskAnalyzer(LinearModel classifier, LinearModel? quality, DomainModel? domains = null, ShapeModel? shape = null)
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

        if (shape is not null && (quality is null || !shape.Profiles.SequenceEqual(quality.Labels, StringComparer.Ordinal)
            || !shape.Forms.SequenceEqual(PromptShape.Forms, StringComparer.Ordinal)))
        {
            throw new InvalidDataException("the shape model must have the quality model's profiles and the prompt forms");
        }

        _classifier = classifier;
        _quality = quality;
        _domains = domains;
        _shape = shape;
        _categoryFeatures = [.. TaskCategories.All.Select(c => CategoryFeature(c, classifier.Buckets))];
        _qualityAt = classifier.Labels.Count;
        _domainAt = _qualityAt + (quality?.Labels.Count ?? 0);
        var used = _domainAt + (domains?.Domains.Count ?? 0);
        _width = (used + Vector<float>.Count - 1) / Vector<float>.Count * Vector<float>.Count;
        _fused = new float[classifier.Buckets * _width];
        Fuse(classifier, 0);
        Fuse(quality, _qualityAt);
        Fuse(domains?.Classifier, _domainAt);
        Profiles = quality?.Labels ?? [];
        ProfileIndex = Profiles.Select((p, i) => (p, i)).ToFrozenDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
    }

    /// <summary>The models shipped with the product.</summary>
    public static TaskAnalyzer BuiltIn => _builtIn.Value;

    /// <summary>The domain signal blended into expected quality, if any.</summary>
    public DomainModel? Domains => _domains;

    /// <summary>The prompt-shape term of expected quality, if any.</summary>
    public ShapeModel? Shape => _shape;

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
            Span<float> shape = stackalloc float[PromptShape.Count];
            var n = TextFeatures.Extract(text, _classifier.Buckets, rented, _shape is null ? [] : shape);
            return Analyze(rented.AsSpan(0, n + 1), n, shape);
        }
        finally
        {
            ArrayPool<int>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// Analyzes <paramref name="count"/> extracted features (the buffer's first ones) and the prompt's
    /// <paramref name="shape"/> (<see cref="PromptShape"/>; read only when there is a shape model).
    /// </summary>
    public TaskAnalysis Analyze(Span<int> buffer, int count, ReadOnlySpan<float> shape)
    {
        if (_shape is not null && shape.Length < PromptShape.Count)
        {
            throw new ArgumentException($"needs the prompt's {PromptShape.Count} shape features", nameof(shape));
        }

        // One pass over the features sums every model's row at once.
        Span<float> sums = stackalloc float[_width];
        sums.Clear();
        var fused = _fused.AsSpan();
        var lanes = Vector<float>.Count;
        if (_width == 5 * lanes)
        {
            // The shipped layout (40 floats on 8-lane hardware): the five running sums stay in registers. Same
            // additions in the same order per lane as the general loop below, so the same bits.
            var s0 = Vector<float>.Zero;
            var s1 = Vector<float>.Zero;
            var s2 = Vector<float>.Zero;
            var s3 = Vector<float>.Zero;
            var s4 = Vector<float>.Zero;
            foreach (var f in buffer[..count])
            {
                var row = fused.Slice(f * _width, _width);
                s0 += new Vector<float>(row);
                s1 += new Vector<float>(row[lanes..]);
                s2 += new Vector<float>(row[(2 * lanes)..]);
                s3 += new Vector<float>(row[(3 * lanes)..]);
                s4 += new Vector<float>(row[(4 * lanes)..]);
            }

            s0.CopyTo(sums);
            s1.CopyTo(sums[lanes..]);
            s2.CopyTo(sums[(2 * lanes)..]);
            s3.CopyTo(sums[(3 * lanes)..]);
            s4.CopyTo(sums[(4 * lanes)..]);
        }
        else
        {
            foreach (var f in buffer[..count])
            {
                var row = fused.Slice(f * _width, _width);
                for (var at = 0; at < _width; at += lanes)
                {
                    (new Vector<float>(sums[at..]) + new Vector<float>(row[at..])).CopyTo(sums[at..]);
                }
            }
        }

        var scale = count == 0 ? 0f : 1f / MathF.Sqrt(count);
        var k = _qualityAt;
        Span<float> scores = stackalloc float[k];
        for (var j = 0; j < k; j++)
        {
            scores[j] = _classifier.Biases[j] + (scale * sums[j]);
        }

        Span<float> probabilities = stackalloc float[k];
        LinearModel.Softmax(scores, probabilities);
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

        // The quality model also reads the category feature, after the text's (the same order as LinearModel.Score).
        var profiles = _quality.Labels.Count;
        var categoryRow = _quality.Weights.AsSpan(_categoryFeatures[best] * profiles, profiles);
        var qualityScale = 1f / MathF.Sqrt(count + 1);
        var form = _shape is null ? 0 : PromptShape.Form(shape);
        var quality = new float[profiles];
        for (var j = 0; j < profiles; j++)
        {
            var logit = _quality.Biases[j] + (qualityScale * (sums[_qualityAt + j] + categoryRow[j]));
            if (_shape is not null)
            {
                logit += _shape.Logit(form, j, shape);
            }

            quality[j] = LinearModel.Sigmoid(logit);
        }

        if (_domains is not null)
        {
            var d = _domains.Domains.Count;
            Span<float> domainScores = stackalloc float[d];
            Span<float> domainProbabilities = stackalloc float[d];
            for (var j = 0; j < d; j++)
            {
                domainScores[j] = _domains.Classifier.Biases[j] + (scale * sums[_domainAt + j]);
            }

            LinearModel.Softmax(domainScores, domainProbabilities);
            _domains.Blend(domainProbabilities, quality);
        }

        return new TaskAnalysis(category, probabilities[best], quality);
    }

    private void Fuse(LinearModel? model, int at)
    {
        if (model is null)
        {
            return;
        }

        var k = model.Labels.Count;
        for (var b = 0; b < model.Buckets; b++)
        {
            model.Weights.AsSpan(b * k, k).CopyTo(_fused.AsSpan((b * _width) + at, k));
        }
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
        LinearModel.Softmax(scores, probabilities);
        return probabilities;
    }

    private static TaskAnalyzer LoadBuiltIn() =>
        Load(name => typeof(TaskAnalyzer).Assembly.GetManifestResourceStream("Switchyard.Inspection." + name));

    /// <summary>
    /// The models written by <c>switchyard train --out DIRECTORY</c> (e.g. a dev-fold run), to evaluate them without
    /// rebuilding; the domain and shape models are optional, as in the build.
    /// </summary>
    public static TaskAnalyzer Load(string directory) =>
        Load(name => File.Exists(Path.Combine(directory, name)) ? File.OpenRead(Path.Combine(directory, name)) : null);

    private static TaskAnalyzer Load(Func<string, Stream?> open)
    {
        LinearModel Model(string name)
        {
            using var stream = open(name) ?? throw new InvalidDataException($"model {name} is missing: run `switchyard train`");
            return LinearModel.Read(stream);
        }

        var classifier = Model(TaskModelFiles.Classifier);
        var quality = Model(TaskModelFiles.Quality);
        using var priors = open(TaskModelFiles.DomainPriors);
        if (priors is null)
        {
            return new TaskAnalyzer(classifier, quality);
        }

        using var reader = new StreamReader(priors);
        var domains = DomainModel.Read(Model(TaskModelFiles.DomainClassifier), quality.Labels, reader);
        using var shape = open(TaskModelFiles.Shape);
        return new TaskAnalyzer(classifier, quality, domains, shape is null ? null : ShapeModel.Read(shape));
    }
}
