using System.Text.RegularExpressions;
using Switchyard.Configuration;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.OpenAI;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>docs/translation.md cannot drift from the code: its refusal lists are the adapters' declared ones, and its matrix has a column per upstream type.</summary>
public sealed partial class TranslationMatrixTests
{
    private static string Doc => File.ReadAllText(Path.Combine(SharedData.RepoRoot, "docs", "translation.md"));

    private static Dictionary<string, List<string>> Refusals()
    {
        var doc = Doc;
        var start = doc.IndexOf("<!-- refusals:begin -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- refusals:end -->", StringComparison.Ordinal);
        Assert.True(start >= 0 && end > start, "docs/translation.md has no refusals block");
        var lists = new Dictionary<string, List<string>>();
        foreach (var line in doc[start..end].Split('\n').Where(l => l.StartsWith("- **", StringComparison.Ordinal)))
        {
            var key = line[4..line.IndexOf("**", 4, StringComparison.Ordinal)];
            var items = line[(line.IndexOf(':', StringComparison.Ordinal) + 1)..];
            lists[key] = [.. Code().Matches(items).Select(m => m.Groups[1].Value)];
        }

        return lists;
    }

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex Code();

    [Fact]
    public void RefusalLists_MatchTheCode()
    {
        var lists = Refusals();

        Assert.Equal(AnthropicRequestWriter.Refused, lists["anthropic"]);
        Assert.Equal(GeminiRequestWriter.Refused, lists["gemini"]);
        Assert.Equal(GeminiSchema.Refused, lists["gemini-schema"]);
        Assert.Equal(OpenAIRequestParser.UntranslatableFields, lists["openai-fields"]);
        Assert.Equal(AnthropicRequestParser.UntranslatableBlocks, lists["anthropic-blocks"]);
    }

    [Fact]
    public void Matrix_HasAColumnPerClientAndUpstreamFormat()
    {
        var header = Doc.Split('\n').First(l => l.StartsWith("| feature |", StringComparison.Ordinal));
        string[] upstreams = ["OpenAI-style", "Anthropic", "Gemini"];

        string[] documented = ["openai", "anthropic", "gemini", "simulated"];
        Assert.Equal(documented, ConfigValidator.ProviderTypes);

        foreach (var client in new[] { "OpenAI client", "Anthropic client" })
        {
            foreach (var upstream in upstreams)
            {
                Assert.Contains($"{client} → {upstream}", header, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void OpenAIFields_EachOneIsRecordedAsUntranslatable()
    {
        foreach (var field in OpenAIRequestParser.UntranslatableFields)
        {
            Assert.NotNull(OpenAIRequestParser.UntranslatableWhat(field));
        }

        Assert.Null(OpenAIRequestParser.UntranslatableWhat("messages"));
    }
}
