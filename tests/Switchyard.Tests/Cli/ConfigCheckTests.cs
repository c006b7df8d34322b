using Switchyard.Cli;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Cli;

/// <summary><c>switchyard config check</c> on a broken file prints located errors, never a parser's stack trace (issue 13, defects 1 and 7).</summary>
public sealed class ConfigCheckTests
{
    private static (int Code, string Output, string Errors) Check(string yaml)
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("switchyard-check-").FullName, "switchyard.yaml");
        File.WriteAllText(path, yaml);
        using var output = new StringWriter();
        using var errors = new StringWriter();
        var code = ConfigCommand.Check(path, output, errors, _ => null);
        return (code, output.ToString(), errors.ToString().Replace(path, "FILE", StringComparison.Ordinal));
    }

    private static string Example() => File.ReadAllText(Path.Combine(SharedData.RepoRoot, "config", "switchyard.yaml"));

    [Fact]
    public void ConfigCheck_UnclosedFlowSequence_PrintsTheLocatedErrorNotAStackTrace()
    {
        var yaml = Example().Replace("capabilities: [streaming, tools, parallel_tool_calls, json_object, json_schema]", "capabilities: [streaming, tools", StringComparison.Ordinal);
        var line = yaml[..yaml.IndexOf("[streaming, tools", StringComparison.Ordinal)].Count(c => c == '\n') + 1;

        var (code, _, errors) = Check(yaml);

        Assert.Equal(1, code);
        Assert.Contains($"FILE:{line}:", errors, StringComparison.Ordinal);
        Assert.Contains("(syntax): '[' is not closed", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", errors, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", errors, StringComparison.Ordinal);
    }

    [Fact]
    public void ConfigCheck_UnknownProvider_LocatedAtItsValue()
    {
        var yaml = Example().Replace("  - id: sim-large\n    provider: local-sim", "  - id: sim-large\n    provider: local-simm", StringComparison.Ordinal);
        var before = yaml[..yaml.IndexOf("local-simm", StringComparison.Ordinal)];
        var line = before.Count(c => c == '\n') + 1;
        var column = before.Length - before.LastIndexOf('\n');

        var (code, _, errors) = Check(yaml);

        Assert.Equal(1, code);
        Assert.Contains($"FILE:{line}:{column}: deployments[1].provider: no provider named 'local-simm'", errors, StringComparison.Ordinal);
    }
}
