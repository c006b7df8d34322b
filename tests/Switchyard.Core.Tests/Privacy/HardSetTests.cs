using Switchyard.Testing;
using Switchyard.Testing.PrivacyHardSet;
using Xunit;

namespace Switchyard.Core.Tests.Privacy;

/// <summary>The privacy hard set (issue 13) is what its generator makes: reproducible, labelled right, split cleanly.</summary>
public sealed class HardSetTests
{
    private static readonly Lazy<IReadOnlyList<HardSetRow>> _rows = new(() => HardSet.Generate(HardSet.GazetteerDirectory));

    [Fact]
    public void Generate_SameSeed_ReproducesTheCommittedFileByteForByte()
    {
        var generated = HardSet.ToJsonLines(_rows.Value);
        if (Environment.GetEnvironmentVariable("SWITCHYARD_WRITE_FIXTURES") == "1")
        {
            // eng/build-privacy-hard-set.sh: rewrite the committed file after changing the generator.
            Directory.CreateDirectory(Path.GetDirectoryName(HardSet.FixturePath)!);
            File.WriteAllText(HardSet.FixturePath, generated);
        }

        Assert.True(File.Exists(HardSet.FixturePath), $"{HardSet.FixturePath} is missing: run eng/build-privacy-hard-set.sh");
        Assert.True(generated == File.ReadAllText(HardSet.FixturePath), "the committed hard set differs from what the generator makes: run eng/build-privacy-hard-set.sh");
    }

    [Fact]
    public void Generate_EverySpan_CoversItsValueInCodePoints()
    {
        foreach (var row in _rows.Value)
        {
            var codePoints = row.Text.EnumerateRunes().Select(r => r.ToString()).ToArray();
            foreach (var span in row.Spans)
            {
                Assert.Equal(span.Value, string.Concat(codePoints[span.Start..span.End]));
            }
        }
    }

    [Fact]
    public void Generate_MixOfLanguagesGenresAndPiiFreeRows_AsTheIssueAsks()
    {
        var rows = _rows.Value;
        var piiFree = rows.Count(r => r.Spans.All(s => s.Type == "IP_ADDRESS"));

        Assert.Equal(7, rows.Select(r => r.Lang).Distinct().Count());
        Assert.True(rows.Select(r => r.Genre).Distinct().Count() >= 10);
        Assert.InRange(piiFree / (double)rows.Count, 0.25, 0.35);
        foreach (var lang in rows.Select(r => r.Lang).Distinct())
        {
            Assert.Contains(rows, r => r.Lang == lang && r.Split == "holdout");
            Assert.Contains(rows, r => r.Lang == lang && r.Split == "dev");
        }
    }

    [Fact]
    public void Split_HoldoutTemplatesAndNamesNeverAppearInDev()
    {
        var rows = _rows.Value;
        var devTemplates = rows.Where(r => r.Split == "dev").Select(r => r.Template).ToHashSet();
        var devNames = rows.Where(r => r.Split == "dev").SelectMany(r => r.Spans).Where(s => s.Type == "PERSON").Select(s => s.Value).ToHashSet();

        Assert.DoesNotContain(rows.Where(r => r.Split == "holdout"), r => devTemplates.Contains(r.Template));
        var heldNames = rows.Where(r => r.Split == "holdout").SelectMany(r => r.Spans).Where(s => s.Type == "PERSON").Select(s => s.Value).ToList();
        Assert.True(heldNames.Count(devNames.Contains) < heldNames.Count / 50, "holdout person mentions should be names dev never had");
    }
}
