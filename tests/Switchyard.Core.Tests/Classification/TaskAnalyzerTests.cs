using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Model;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Core.Tests.Classification;

public sealed class TaskAnalyzerTests
{
    [Theory]
    [InlineData("Which is a species of fish? Tope or Rope", TaskCategory.Classification)]
    [InlineData("Classify each of the following as a mammal or a bird: eagle, whale, sparrow, bat", TaskCategory.Classification)]
    [InlineData("Write a short poem about the sea.", TaskCategory.Creative)]
    [InlineData("What is the capital of France?", TaskCategory.QA)]
    public void Analyze_ClearPrompts_GetTheirCategory(string prompt, TaskCategory expected)
    {
        Assert.Equal(expected, TaskAnalyzer.BuiltIn.Analyze(prompt).Category);
    }

    [Fact]
    public void Analyze_QualityHasOneProbabilityPerProfile()
    {
        var analysis = TaskAnalyzer.BuiltIn.Analyze("What is the capital of France?");

        Assert.Equal(TaskAnalyzer.BuiltIn.Profiles.Count, analysis.Quality.Length);
        Assert.All(analysis.Quality, q => Assert.InRange(q, 0f, 1f));
        Assert.Contains("gemini-1.5-pro-002", TaskAnalyzer.BuiltIn.Profiles);
        Assert.Contains("gpt-4-1106-preview", TaskAnalyzer.BuiltIn.Profiles);
    }

    [Fact]
    public void Analyze_HardMultipleChoiceMath_PredictsTheFrontierModelAboveTheSmallOne()
    {
        var prompt = TestPrompts.HardPhysics;
        var analysis = TaskAnalyzer.BuiltIn.Analyze(prompt);
        var index = TaskAnalyzer.BuiltIn.ProfileIndex;

        Assert.True(analysis.Quality[index["gemini-1.5-pro-002"]] > analysis.Quality[index["Meta-Llama-3_1-8B-Instruct"]] + 0.1);
        Assert.True(analysis.Quality[index["Meta-Llama-3_1-70B-Instruct"]] > analysis.Quality[index["Yi-6b-Chat"]]);
    }

    [Fact]
    public void Analyze_EmptyAndHugeText_AreBounded()
    {
        var empty = TaskAnalyzer.BuiltIn.Analyze("");
        var huge = TaskAnalyzer.BuiltIn.Analyze(new string('x', 200_000) + " word " + string.Concat(Enumerable.Repeat("{;} ", 20_000)));

        Assert.InRange(empty.Confidence, 0f, 1f);
        Assert.InRange(huge.Confidence, 0f, 1f);
    }

    [Fact]
    public void TextFeatures_SameTextSameFeatures_CaseAndDigitsFolded()
    {
        var a = new int[TextFeatures.MaxFeatures];
        var b = new int[TextFeatures.MaxFeatures];

        var na = TextFeatures.Extract("Born in 1912, Alan Turing", 1 << 14, a);
        var nb = TextFeatures.Extract("born in 2024, alan TURING", 1 << 14, b);

        Assert.True(na > 10);
        Assert.Equal(a[..na], b[..nb]);
        Assert.All(a[..na], f => Assert.InRange(f, 0, (1 << 14) - 1));
    }

    [Fact]
    public void LinearModel_WriteThenRead_RoundTripsExactly()
    {
        var model = TaskAnalyzer.BuiltIn;
        var bytes = LinearModelFromBuiltIn().Write();

        var read = LinearModel.Read(new MemoryStream(bytes));

        Assert.Equal(bytes, read.Write());
        Assert.Equal(model.Buckets, read.Buckets);
    }

    [Fact]
    public void LinearModel_Read_RejectsOtherFiles()
    {
        Assert.Throws<InvalidDataException>(() => LinearModel.Read(new MemoryStream("not a model at all"u8.ToArray())));
    }

    [Fact]
    public void DomainModel_Blend_MixesTheMeasuredDomainsPriorsWithTheHead_UnmeasuredProfilesKeepTheirHead()
    {
        // Two domains, two profiles; the second profile has no record in either domain.
        var classifier = new LinearModel("domain-classifier", 4, ["law", "math"], [0f, 0f], new float[8]);
        var domains = new DomainModel(classifier, [0.8f, float.NaN, 0.4f, float.NaN], profiles: 2, headWeight: 0.5f);
        float[] quality = [0.6f, 0.3f];

        domains.Blend([0.75f, 0.25f], quality);

        Assert.Equal((0.5 * 0.6) + (0.5 * ((0.75 * 0.8) + (0.25 * 0.4))), quality[0], 5);
        Assert.Equal(0.3f, quality[1]);
    }

    [Theory]
    [InlineData("What is the capital of France?")]
    [InlineData("def add(a, b):\n    return a + b\n# why does this fail for strings and ints?")]
    [InlineData("")]
    public void Analyze_FusedRows_GiveTheSameBitsAsScoringEachModelAlone(string prompt)
    {
        var analyzer = TaskAnalyzer.BuiltIn;
        var classifier = Embedded("task-classifier.bin");
        var quality = Embedded("quality-model.bin");
        var features = new int[TextFeatures.MaxFeatures + 1];
        var n = TextFeatures.Extract(prompt, analyzer.Buckets, features);

        var scores = new float[classifier.Labels.Count];
        classifier.Score(features.AsSpan(0, n), scores);
        var category = Array.IndexOf(scores, scores.Max());
        features[n] = TaskAnalyzer.CategoryFeature((TaskCategory)category, analyzer.Buckets);
        var expected = new float[quality.Labels.Count];
        quality.Score(features.AsSpan(0, n + 1), expected);
        // The shape term (same pass, same text) is added to each logit before the sigmoid.
        var shape = new float[PromptShape.Count];
        TextFeatures.Extract(prompt, analyzer.Buckets, new int[TextFeatures.MaxFeatures], shape);
        for (var j = 0; j < expected.Length; j++)
        {
            expected[j] = LinearModel.Sigmoid(expected[j] + analyzer.Shape!.Logit(PromptShape.Form(shape), j, shape));
        }

        analyzer.Domains!.Blend(analyzer.DomainProbabilities(prompt), expected);
        var actual = analyzer.Analyze(prompt);

        Assert.Equal((TaskCategory)category, actual.Category);
        Assert.Equal(expected, actual.Quality);
    }

    private static LinearModel Embedded(string name)
    {
        using var stream = typeof(TaskAnalyzer).Assembly.GetManifestResourceStream("Switchyard.Inspection." + name)!;
        return LinearModel.Read(stream);
    }

    private static LinearModel LinearModelFromBuiltIn()
    {
        using var stream = typeof(TaskAnalyzer).Assembly.GetManifestResourceStream("Switchyard.Inspection.task-classifier.bin")!;
        return LinearModel.Read(stream);
    }
}
