using Switchyard.Core.Inspect.Privacy;
using Switchyard.Tools.Evaluation;
using Xunit;

namespace Switchyard.Tools.Tests.Evaluation;

public sealed class PrivacyEvaluationTests
{
    private static string Row(string split, string text, params (string Type, string Value)[] spans)
    {
        var json = spans.Select(s =>
        {
            var start = text.IndexOf(s.Value, StringComparison.Ordinal);
            Assert.True(start >= 0, s.Value);
            return $$"""{"type":"{{s.Type}}","start":{{start}},"end":{{start + s.Value.Length}}}""";
        });
        return $$"""{"split":"{{split}}","text":"{{text}}","spans":[{{string.Join(",", json)}}]}""";
    }

    private static PrivacyEvaluationResult Run(string split, params string[] lines) =>
        PrivacyEvaluation.Run(lines, PrivacyScanner.Default, split, TimeProvider.System, "test");

    [Fact]
    public void Run_GoldLabelledWithOurOwnTypeNames_ScoresThoseTypes()
    {
        var result = Run("all",
            Row("dev", "NI number AB 12 34 56 C please", ("UK_NINO", "AB 12 34 56 C")),
            Row("dev", "NI AB123456C and card 4111 1111 1111 1111", ("UK_NINO", "AB123456C"), ("CREDIT_CARD", "4111 1111 1111 1111")));

        var nino = result["UK_NINO"];
        Assert.NotNull(nino);
        Assert.Equal((2, 2, 2), (nino.Gold, nino.Found, nino.TruePositives));
        Assert.Equal(1.0, result["CREDIT_CARD"]!.Recall);
    }

    [Fact]
    public void Run_GoldLabelWithoutADetector_ReportedWithRecallZeroNotDropped()
    {
        var result = Run("all",
            Row("dev", "Contoso hired Katie Giles", ("ORGANIZATION", "Contoso"), ("PERSON", "Katie Giles")),
            Row("dev", "Contoso again", ("ORGANIZATION", "Contoso")));

        var organization = result["ORGANIZATION"];
        Assert.NotNull(organization);
        Assert.False(organization.Detected);
        Assert.Equal((2, 0.0), (organization.Gold, organization.Recall));
        Assert.True(result["PERSON"]!.Detected);
    }

    [Fact]
    public void Run_SplitFilter_OnlyScoresTheChosenRows()
    {
        var result = Run("holdout",
            Row("dev", "NI AB123456C", ("UK_NINO", "AB123456C")),
            Row("holdout", "mail jane@example.com", ("EMAIL", "jane@example.com")));

        Assert.Equal(1, result.Rows);
        Assert.Null(result["UK_NINO"]);
        Assert.Equal(1, result["EMAIL"]!.Gold);
    }

    [Fact]
    public void Run_RowOutcome_CountsFlaggedPiiFreeRowsAndRestrictedRowsThatWouldGetThrough()
    {
        var result = Run("all",
            Row("dev", "Upgrade to version 2.14.3 before Friday"),
            Row("dev", "Write to jane@example.com about the upgrade"),
            Row("dev", "host 10.0.0.12 is down", ("IP_ADDRESS", "10.0.0.12")),
            Row("dev", "card 4111 1111 1111 1111", ("CREDIT_CARD", "4111 1111 1111 1111")),
            Row("dev", "IBAN GB83 WEST 1234 5698 7654 32", ("IBAN", "GB83 WEST 1234 5698 7654 32")));

        // Row 2 has an unlabelled e-mail: flagged; row 3 is only internal; row 5's IBAN fails mod 97, so it is missed.
        Assert.Equal(new PrivacyRowOutcome(PiiFree: 3, PiiFreeFlagged: 1, Restricted: 2, RestrictedMissed: 1), result.RowOutcome);
        Assert.Equal(1.0 / 3, result.RowOutcome!.FlaggedRate, 6);
    }

    [Fact]
    public void Report_Json_HasEveryGoldTypeAndTheRowOutcome()
    {
        var result = Run("all",
            Row("dev", "NI AB 123456 C for Contoso", ("UK_NINO", "AB 123456 C"), ("ORGANIZATION", "Contoso")));

        using var doc = System.Text.Json.JsonDocument.Parse(PrivacyEvaluationReport.Json(result));
        var types = doc.RootElement.GetProperty("types");
        Assert.Equal(1.0, types.GetProperty("UK_NINO").GetProperty("recall").GetDouble());
        Assert.Equal(0.0, types.GetProperty("ORGANIZATION").GetProperty("recall").GetDouble());
        Assert.False(types.GetProperty("ORGANIZATION").GetProperty("detected").GetBoolean());
        Assert.Equal(1, doc.RootElement.GetProperty("row_outcome").GetProperty("restricted").GetInt32());
        Assert.Contains("ORGANIZATION", PrivacyEvaluationReport.Text(result), StringComparison.Ordinal);
    }
}
