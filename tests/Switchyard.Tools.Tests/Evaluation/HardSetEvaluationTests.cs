using Switchyard.Core.Inspect.Privacy;
using Switchyard.Testing.PrivacyHardSet;
using Switchyard.Tools.Evaluation;
using Xunit;

namespace Switchyard.Tools.Tests.Evaluation;

/// <summary>
/// Issue 13's targets, gated on the scanner's own hard set (docs/privacy.md, "The hard set"): recall ≥ 0.95 for every
/// structured type, PERSON precision and recall ≥ 0.85, and PII-free prompts flagged ≤ 5 %. The
/// evaluation is deterministic (no timing is asserted).
/// </summary>
public sealed class HardSetEvaluationTests
{
    private static PrivacyEvaluationResult Evaluate(string split) =>
        PrivacyEvaluation.Run(File.ReadLines(HardSet.FixturePath), PrivacyScanner.Default, split, TimeProvider.System, "hard set");

    [Theory]
    [InlineData("dev")]
    [InlineData("holdout")]
    public void Scanner_HardSet_StructuredRecallAtLeast095AndPersonAtLeast085(string split)
    {
        var result = Evaluate(split);

        foreach (var type in (string[])["CREDIT_CARD", "IBAN", "US_SSN", "UK_NINO", "EMAIL", "PHONE", "IP_ADDRESS", "SECRET", "DATE_OF_BIRTH"])
        {
            var score = result[type];
            Assert.NotNull(score);
            Assert.True(score.Gold >= 20, $"{type}: only {score.Gold} gold spans in {split}");
            Assert.True(score.Recall >= 0.95, $"{type} recall {score.Recall:0.000} on {split}");
        }

        Assert.True(result["PERSON"]!.Precision >= 0.85, $"PERSON precision {result["PERSON"]!.Precision:0.000} on {split}");
        Assert.True(result["PERSON"]!.Recall >= 0.85, $"PERSON recall {result["PERSON"]!.Recall:0.000} on {split}");
    }

    [Theory]
    [InlineData("dev")]
    [InlineData("holdout")]
    public void Scanner_HardSet_PiiFreePromptsFlaggedAtMost5Percent(string split)
    {
        // The issue's target: an application sending ordinary text to an external model is refused at most 1 time in 20;
        // and restricted data does not get through.
        var rows = Evaluate(split).RowOutcome!;

        Assert.True(rows.PiiFree >= 250, $"{rows.PiiFree} PII-free rows");
        Assert.True(rows.FlaggedRate <= 0.05, $"{rows.PiiFreeFlagged} of {rows.PiiFree} PII-free rows flagged on {split}");
        Assert.True(rows.RestrictedMissed <= 1, $"{rows.RestrictedMissed} of {rows.Restricted} restricted rows classed below restricted on {split}");
    }
}
