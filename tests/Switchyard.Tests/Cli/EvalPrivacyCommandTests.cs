using System.CommandLine;
using System.Text.Json;
using Switchyard.Cli;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Cli;

public sealed class EvalPrivacyCommandTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string Dataset => Path.Combine(SharedData.Directory, "pii-presidio-synthetic");

    [Theory]
    [InlineData("dev")]
    [InlineData("holdout")]
    public async Task EvalPrivacy_PresidioDevAndHoldout_MeetTheIssueTargets(string split)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();

        var exit = await EvalPrivacyCommand.Create(TimeProvider.System).Parse(["--data", Dataset, "--split", split, "--json"])
            .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);

        Assert.True(exit == 0, stderr.ToString());
        using var doc = JsonDocument.Parse(stdout.ToString());
        var types = doc.RootElement.GetProperty("types");
        foreach (var type in (string[])["CREDIT_CARD", "IBAN", "US_SSN", "EMAIL", "PHONE", "IP_ADDRESS"])
        {
            Assert.True(types.GetProperty(type).GetProperty("recall").GetDouble() >= 0.95, type);
        }

        // Issue 13 traded PERSON recall on this set's dev split (0.862 → 0.816) for precision on realistic text (its own
        // hard set: 0.65 → 0.93); F1 stays ≥ 0.85 on dev and the issue-7 target (≥ 0.85 / ≥ 0.85) holds on holdout.
        var person = types.GetProperty("PERSON");
        Assert.True(person.GetProperty("recall").GetDouble() >= (split == "holdout" ? 0.85 : 0.80));
        Assert.True(person.GetProperty("precision").GetDouble() >= 0.85);
        Assert.True(person.GetProperty("f1").GetDouble() >= 0.85);
        Assert.True(types.GetProperty("STREET_ADDRESS").GetProperty("recall").GetDouble() >= 0.9);
        Assert.True(types.GetProperty("STREET_ADDRESS").GetProperty("precision").GetDouble() >= 0.95);
        Assert.True(doc.RootElement.GetProperty("rows").GetInt32() > 1000);
    }

    [Fact]
    public async Task EvalPrivacy_DatasetWithNinoAndUnknownLabels_ReportsEveryGoldType()
    {
        var file = Path.Combine(Path.GetTempPath(), $"switchyard-eval-{Guid.NewGuid():N}.jsonl");
        await File.WriteAllLinesAsync(file,
        [
            """{"split":"dev","text":"NI number AB 12 34 56 C","spans":[{"type":"UK_NINO","start":10,"end":23}]}""",
            """{"split":"dev","text":"NI AB123456C at Contoso","spans":[{"type":"UK_NINO","start":3,"end":12},{"type":"ORGANIZATION","start":16,"end":23}]}""",
        ], Ct);
        try
        {
            var stdout = new StringWriter();
            var stderr = new StringWriter();

            var exit = await EvalPrivacyCommand.Create(TimeProvider.System).Parse(["--data", file, "--json"])
                .InvokeAsync(new InvocationConfiguration { Output = stdout, Error = stderr }, Ct);

            Assert.True(exit == 0, stderr.ToString());
            using var doc = JsonDocument.Parse(stdout.ToString());
            var types = doc.RootElement.GetProperty("types");
            Assert.True(types.TryGetProperty("UK_NINO", out var nino), stdout.ToString());
            Assert.Equal((2, 1.0), (nino.GetProperty("gold").GetInt32(), nino.GetProperty("recall").GetDouble()));
            Assert.True(types.TryGetProperty("ORGANIZATION", out var organization), stdout.ToString());
            Assert.Equal(0.0, organization.GetProperty("recall").GetDouble());
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task EvalPrivacy_MissingFile_Exits2WithReason()
    {
        var stderr = new StringWriter();

        var exit = await EvalPrivacyCommand.Create(TimeProvider.System).Parse(["--data", "/nonexistent/pii.jsonl"])
            .InvokeAsync(new InvocationConfiguration { Output = new StringWriter(), Error = stderr }, Ct);

        Assert.Equal(2, exit);
        Assert.Contains("no such file", stderr.ToString(), StringComparison.Ordinal);
    }
}
