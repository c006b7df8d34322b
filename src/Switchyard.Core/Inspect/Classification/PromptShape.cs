namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// The dense "shape" of a prompt: a few numeric features that say how much there is to work through, whatever the
/// subject (how long it is, how many numbers, sentences and lettered options it holds, and whether it asks for
/// percentages, fractions, decimals, money, multiples, time units, rates per unit or comparisons), and its
/// <see cref="Form"/>: a multiple-choice question (two or more lines that start with an option letter, "A." or
/// "(B)") or an open prompt (a word problem, code, a document, a chat turn). A word problem with eight numbers, a
/// percentage and a rate is harder than one with two; a long document is longer than a question. They are counted in
/// <see cref="TextFeatures.Extract(ReadOnlySpan{char}, int, Span{int}, Span{float})"/>'s one pass over the text
/// (no allocation) and read by <see cref="ShapeModel"/>, which adds a per-(form, profile) linear term to each
/// quality logit. The hashed features dilute a handful of such signals in a long prompt (their sum is scaled by
/// 1/√n); here each one keeps its own weight.
/// </summary>
public static class PromptShape
{
    /// <summary>The features, in the order <see cref="TextFeatures"/> writes them; the shape model file records them.</summary>
    public static readonly IReadOnlyList<string> Names =
    [
        "log_chars", "log_numbers", "log_distinct_numbers", "log_sentences", "log_options",
        "percent", "fraction", "decimal", "currency", "multiple", "time_unit", "per_unit", "comparison", "rate", "choices",
    ];

    /// <summary>How many features <see cref="TextFeatures"/> writes (the length of <see cref="Names"/>).</summary>
    public const int Count = 15;

    /// <summary>The prompt forms the shape model keeps apart, indexed by <see cref="Form"/>.</summary>
    public static readonly IReadOnlyList<string> Forms = ["open", "choices"];

    /// <summary>The form of a prompt from its shape: 1 (<c>choices</c>) for a multiple-choice question, else 0 (<c>open</c>).</summary>
    public static int Form(ReadOnlySpan<float> shape) => shape[Count - 1] > 0 ? 1 : 0;

    /// <summary>Counts as a form of its own from this many option lines.</summary>
    internal const int MinOptions = 2;

    /// <summary>Distinct numbers are counted up to this many (beyond it a prompt is simply "many numbers").</summary>
    internal const int MaxDistinctNumbers = 32;

    internal const int Percent = 1 << 0;
    internal const int Fraction = 1 << 1;
    internal const int Decimal = 1 << 2;
    internal const int Currency = 1 << 3;
    internal const int Multiple = 1 << 4;
    internal const int TimeUnit = 1 << 5;
    internal const int PerUnit = 1 << 6;
    internal const int Comparison = 1 << 7;
    internal const int Rate = 1 << 8;
    private const int Counts = 5;

    /// <summary>Set by a comparative (<c>more</c>, <c>less</c>, <c>fewer</c>): a following <c>than</c> is a comparison.</summary>
    internal const int Comparative = 1 << 16;

    /// <summary>The flags a lower-cased word raises (a <c>than</c> raises <see cref="Comparison"/> only after a comparative; the caller checks).</summary>
    internal static int WordFlags(ReadOnlySpan<char> word) => word switch
    {
        "percent" or "percentage" or "percentages" => Percent,
        "half" or "halves" or "twice" or "double" or "triple" or "thrice" or "third" or "thirds" or "quarter" or "quarters" => Multiple,
        "hour" or "hours" or "minute" or "minutes" or "day" or "days" or "week" or "weeks" => TimeUnit,
        "each" or "per" or "every" => PerUnit,
        "average" or "averages" or "ratio" or "ratios" or "rate" or "rates" => Rate,
        "more" or "less" or "fewer" => Comparative,
        _ => 0,
    };

    /// <summary>Writes the features from the pass's counts into <paramref name="shape"/> (natural logs; flags as 0/1).</summary>
    internal static void Write(Span<float> shape, int chars, int numbers, int distinctNumbers, int sentences, int options, int flags)
    {
        shape[0] = MathF.Log(1 + chars);
        shape[1] = MathF.Log(1 + numbers);
        shape[2] = MathF.Log(1 + distinctNumbers);
        shape[3] = MathF.Log(Math.Max(1, sentences));
        shape[4] = MathF.Log(1 + options);
        for (var k = 0; k < Count - Counts - 1; k++)
        {
            shape[Counts + k] = (flags >> k) & 1;
        }

        shape[Count - 1] = options >= MinOptions ? 1 : 0;
    }
}
