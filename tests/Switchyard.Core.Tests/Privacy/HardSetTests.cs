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
}
