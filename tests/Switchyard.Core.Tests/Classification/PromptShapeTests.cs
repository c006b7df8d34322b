using Switchyard.Core.Inspect.Classification;
using Xunit;

namespace Switchyard.Core.Tests.Classification;

public sealed class PromptShapeTests
{
    private static float[] Shape(string text, out int features, out int[] hashed)
    {
        var shape = new float[PromptShape.Count];
        hashed = new int[TextFeatures.MaxFeatures];
        features = TextFeatures.Extract(text, 1 << 14, hashed, shape);
        return shape;
    }

    private static float Feature(float[] shape, string name) => shape[PromptShape.Names.ToList().IndexOf(name)];

    [Fact]
    public void Extract_WordProblem_CountsNumbersSentencesAndItsKindsOfQuantity()
    {
        var shape = Shape(
            "Janet buys 3 pounds of apples at $1.50 per pound and twice as many pears. She spends 20% more than last week, " +
            "when she spent $12 over 2 days. How much does she spend on average each day?",
            out _, out _);

        // 3, 1.50 (one number), 20, 12, 2: five numbers, all distinct; three sentences.
        Assert.Equal(MathF.Log(6), Feature(shape, "log_numbers"));
        Assert.Equal(MathF.Log(6), Feature(shape, "log_distinct_numbers"));
        Assert.Equal(MathF.Log(3), Feature(shape, "log_sentences"));
        foreach (var flag in (string[])["percent", "decimal", "currency", "multiple", "time_unit", "per_unit", "comparison", "rate"])
        {
            Assert.True(Feature(shape, flag) == 1f, flag);
        }

        Assert.Equal(0f, Feature(shape, "fraction"));
        Assert.Equal(0f, Feature(shape, "log_options"));
        Assert.Equal(0, PromptShape.Form(shape));
    }

    [Fact]
    public void Extract_MultipleChoice_CountsOptionLinesAndIsOfTheChoicesForm()
    {
        var shape = Shape("Which is a prime?\nA. 4\nB. 9\n(C) 11\nD) 15\nAnswer:", out _, out _);

        Assert.Equal(MathF.Log(5), Feature(shape, "log_options"));
        Assert.Equal(1, PromptShape.Form(shape));
        Assert.Equal("choices", PromptShape.Forms[PromptShape.Form(shape)]);
        Assert.Equal(MathF.Log(5), Feature(shape, "log_numbers"));
    }

    [Theory]
    [InlineData("def ratio(a, b):\n    return a / b  # per item\n")]
    [InlineData("Summarise this memo. A. Smith wrote it in May.")]
    [InlineData("")]
    public void Extract_CodeAndProse_RaiseNoFalseFractionsOrOptions(string text)
    {
        var shape = Shape(text, out _, out _);

        Assert.Equal(0f, Feature(shape, "fraction"));
        Assert.Equal(0f, Feature(shape, "decimal"));
        Assert.Equal(0, PromptShape.Form(shape));
        Assert.All(shape, x => Assert.True(float.IsFinite(x) && x >= 0));
    }

    [Fact]
    public void Extract_FractionsAndLongNumbers_AreRecognised()
    {
        var shape = Shape("Add 3/4 of 1,000 to 2.5 and 1,000.", out _, out _);

        Assert.Equal(1f, Feature(shape, "fraction"));
        Assert.Equal(1f, Feature(shape, "decimal"));
        // 3, 4, 1,000, 2.5, 1,000: five numbers, four distinct.
        Assert.Equal(MathF.Log(6), Feature(shape, "log_numbers"));
        Assert.Equal(MathF.Log(5), Feature(shape, "log_distinct_numbers"));
        Assert.Equal(MathF.Log(1 + 34), Feature(shape, "log_chars"));
    }

    [Fact]
    public void Extract_WithShape_HashesTheSameFeaturesAsWithout()
    {
        const string text = "A train travels 120 miles in 2 hours. What is its average speed per hour?";
        var plain = new int[TextFeatures.MaxFeatures];
        var n = TextFeatures.Extract(text, 1 << 14, plain);

        Shape(text, out var withShape, out var hashed);

        Assert.Equal(n, withShape);
        Assert.Equal(plain.AsSpan(0, n).ToArray(), hashed.AsSpan(0, n).ToArray());
        Assert.Throws<ArgumentException>(() => TextFeatures.Extract(text, 1 << 14, plain, new float[3]));
    }

    [Fact]
    public void ShapeModel_WriteRead_RoundTripsAndRejectsAnotherFeatureSet()
    {
        var weights = Enumerable.Range(0, 2 * 3 * ShapeModel.Stride).Select(i => i * 0.25f).ToArray();
        var model = new ShapeModel(PromptShape.Forms, ["a", "b", "c"], weights);

        var read = ShapeModel.Read(new MemoryStream(model.Write()));

        Assert.Equal(model.Weights, read.Weights);
        Assert.Equal(["a", "b", "c"], read.Profiles);
        var shape = new float[PromptShape.Count];
        shape[0] = 2f;
        Assert.Equal(weights[(4 * ShapeModel.Stride)] + (2f * weights[(4 * ShapeModel.Stride) + 1]), read.Logit(1, 1, shape));

        // A file written for another set of shape features is refused, not misread.
        var bytes = model.Write();
        var at = bytes.AsSpan().IndexOf("log_chars"u8);
        bytes[at] = (byte)'L';
        var error = Assert.Throws<InvalidDataException>(() => ShapeModel.Read(new MemoryStream(bytes)));
        Assert.Contains("retrain", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidDataException>(() => ShapeModel.Read(new MemoryStream("SYLM"u8.ToArray())));
    }
}
