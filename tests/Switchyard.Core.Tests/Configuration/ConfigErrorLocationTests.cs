using Switchyard.Core.Snapshot;
using Xunit;

namespace Switchyard.Core.Tests.Configuration;

/// <summary>Every configuration error names the line and column of the node at fault, and no text makes the loader throw (issue 13, defects 1 and 7).</summary>
public sealed class ConfigErrorLocationTests
{
    private const string Valid = """
        server:
          drain_timeout: 45s
        providers:
          local-sim:
            type: simulated
            zone: self-hosted
        deployments:
          - id: sim-small
            provider: local-sim
            model: small
          - id: sim-large
            provider: local-sim
            model: large
        models:
          small:
            capabilities: [streaming, tools, json_object]
            open_weights: true
          large:
            capabilities: [streaming]
        aliases:
          auto:
            targets:
              - model: small
              - model: large
        keys:
          - name: dev
            key: dev-key-12345
            allowed_models: [auto, small]
        """;

    private static IReadOnlyList<ConfigError> Errors(string yaml) => ConfigLoader.Load(yaml, "gw.yaml").Errors;

    private static (int Line, int Column) Find(string yaml, string text, int occurrence = 1)
    {
        var index = -1;
        for (var i = 0; i < occurrence; i++)
        {
            index = yaml.IndexOf(text, index + 1, StringComparison.Ordinal);
        }

        Assert.True(index >= 0, $"'{text}' not in the YAML");
        var before = yaml[..index];
        var line = before.Count(c => c == '\n') + 1;
        return (line, index - (before.LastIndexOf('\n') + 1) + 1);
    }

    [Fact]
    public void Load_ValidFile_NoErrors() => Assert.Empty(Errors(Valid));

    [Fact]
    public void Load_UnclosedFlowSequenceWithLinesAfter_LocatedSyntaxErrorNotAnException()
    {
        // The hot-reload crash of issue 13: YamlDotNet's scanner throws InvalidOperationException on this text.
        var yaml = Valid.Replace("capabilities: [streaming, tools, json_object]", "capabilities: [streaming, tools", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("(syntax)", error.Path);
        Assert.Equal(Find(yaml, "[streaming, tools").Line, error.Line);
        Assert.True(error.Column >= 1);
        Assert.Contains("'['", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Operation is not valid", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    open_weights: true", "\topen_weights: true")]
    [InlineData("      - model: small\n", "      - model: 'small\n")]
    [InlineData("  local-sim:\n", "  local-sim:\n   x: [\n")]
    [InlineData("keys:\n", "keys: {\n")]
    [InlineData("server:\n", "server: \"unterminated\n")]
    public void Load_SyntaxErrors_LocatedWithLineAndColumn(string from, string to)
    {
        var yaml = Valid.Replace(from, to, StringComparison.Ordinal);
        Assert.NotEqual(Valid, yaml);

        var errors = Errors(yaml);

        var error = Assert.Single(errors);
        Assert.Equal("(syntax)", error.Path);
        Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString());
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void Load_TabIndentation_PointsAtTheTab()
    {
        var yaml = Valid.Replace("    open_weights: true", "\topen_weights: true", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal(Find(yaml, "\topen_weights").Line, error.Line);
        Assert.Contains("tab", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Load_EveryTruncation_NeverThrowsAndEveryErrorIsLocated()
    {
        // A file caught half-written by the reload poll: any prefix must give located errors or a valid config, never an exception.
        for (var length = 0; length < Valid.Length; length++)
        {
            var errors = Errors(Valid[..length]);
            Assert.All(errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, $"prefix {length}: {e}"));
        }
    }

    [Fact]
    public void Load_RandomCorruption_NeverThrowsAndEveryErrorIsLocated()
    {
        var random = new Random(13);
        const string Noise = "[]{}:,-?#&*!|>'\"%@` \t\n\\x1";
        for (var i = 0; i < 2000; i++)
        {
            var chars = Valid.ToCharArray().ToList();
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(chars.Count);
                switch (random.Next(3))
                {
                    case 0: chars.Insert(at, Noise[random.Next(Noise.Length)]); break;
                    case 1: chars.RemoveAt(at); break;
                    default: chars[at] = Noise[random.Next(Noise.Length)]; break;
                }
            }

            var yaml = new string([.. chars]);
            var errors = Errors(yaml);
            Assert.All(errors, e => Assert.True(e.Line >= 1 && e.Column >= 1, $"case {i}: {e}\n{yaml}"));
        }
    }

    [Fact]
    public void Load_UnknownProvider_LocatedAtTheDeploymentsProviderValue()
    {
        // Issue 13 defect 7: was reported at the first line of the file.
        var yaml = Valid.Replace("provider: local-sim\n    model: large", "provider: local-simm\n    model: large", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("deployments[1].provider", error.Path);
        Assert.Equal(Find(yaml, "local-simm"), (error.Line, error.Column));
    }

    [Fact]
    public void Load_UnknownAliasTarget_LocatedAtTheTargetModel()
    {
        var yaml = Valid.Replace("      - model: large", "      - model: huge", StringComparison.Ordinal);

        var error = Assert.Single(Errors(yaml));

        Assert.Equal("aliases.auto.targets[1].model", error.Path);
        Assert.Equal(Find(yaml, "huge"), (error.Line, error.Column));
    }

    [Fact]
    public void Load_CrossReferenceErrors_EachAtItsNode()
    {
        var yaml = Valid
            .Replace("model: small\n  - id: sim-large", "model: smal\n  - id: sim-small", StringComparison.Ordinal)
            .Replace("allowed_models: [auto, small]", "allowed_models: [auto, tiny]", StringComparison.Ordinal)
            .Replace("aliases:\n  auto:", "aliases:\n  small:\n    targets: [ { model: large } ]\n  auto:", StringComparison.Ordinal);

        var errors = Errors(yaml).ToDictionary(e => e.Path, e => (e.Line, e.Column));

        Assert.Equal(Find(yaml, "smal\n"), errors["deployments[0].model"]);
        Assert.Equal(Find(yaml, "sim-small", 2), errors["deployments[1].id"]);
        Assert.Equal(Find(yaml, "tiny"), errors["keys[0].allowed_models[1]"]);
        Assert.Equal(Find(yaml, "small:\n    targets"), errors["aliases.small"]);
    }

    [Fact]
    public void Load_UnknownProviderTypeAndCatalogId_LocatedAtTheirValues()
    {
        var yaml = Valid
            .Replace("type: simulated", "type: carrier-pigeon", StringComparison.Ordinal)
            .Replace("  large:\n    capabilities", "  large:\n    catalog: nowhere/nothing\n    capabilities", StringComparison.Ordinal);

        var errors = Errors(yaml).ToDictionary(e => e.Path, e => (e.Line, e.Column));

        Assert.Equal(Find(yaml, "carrier-pigeon"), errors["providers.local-sim.type"]);
        Assert.Equal(Find(yaml, "nowhere/nothing"), errors["models.large.catalog"]);
    }

    [Fact]
    public void ConfigError_ToString_IsFileLineColumnPathReason()
    {
        var error = Assert.Single(Errors(Valid.Replace("    model: large\nmodels:", "    model: huge\nmodels:", StringComparison.Ordinal)));

        Assert.Matches(@"^gw\.yaml:\d+:\d+: deployments\[1\]\.model: no model named 'huge'", error.ToString());
    }
}
