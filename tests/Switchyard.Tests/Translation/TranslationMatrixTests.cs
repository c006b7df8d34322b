using System.Text.RegularExpressions;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Bedrock;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Simulated;
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
        Assert.Equal(ConverseRequestWriter.Refused, lists["bedrock"]);
        Assert.Equal(GeminiSchema.Refused, lists["gemini-schema"]);
        Assert.Equal(OpenAIRequestParser.UntranslatableFields, lists["openai-fields"]);
        Assert.Equal(AnthropicRequestParser.UntranslatableBlocks, lists["anthropic-blocks"]);
    }

    [Fact]
    public void Matrix_HasAColumnPerClientAndUpstreamFormat()
    {
        var header = Doc.Split('\n').First(l => l.StartsWith("| feature |", StringComparison.Ordinal));
        string[] upstreams = ["OpenAI-style", "Anthropic", "Gemini", "Bedrock"];

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

    /// <summary>The provider types table names every type the configuration accepts, each with the wire format its adapter really speaks.</summary>
    [Fact]
    public void ProviderTypes_EachDocumentedWithTheFormatItsAdapterSpeaks()
    {
        var doc = Doc;
        var start = doc.IndexOf("<!-- provider-types:begin -->", StringComparison.Ordinal);
        var end = doc.IndexOf("<!-- provider-types:end -->", StringComparison.Ordinal);
        var rows = doc[start..end].Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal))
            .Select(l => l.Split('|', StringSplitOptions.TrimEntries)).ToDictionary(c => c[1].Trim('`'), c => c[2]);

        Assert.Equal(ConfigValidator.ProviderTypes.Order(), rows.Keys.Order());
        var environment = new Dictionary<string, string?> { ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE", ["AWS_SECRET_ACCESS_KEY"] = "example" };
        IProviderAdapterFactory[] factories =
            [new OpenAIAdapterFactory(TimeProvider.System), new AnthropicAdapterFactory(TimeProvider.System), new GeminiAdapterFactory(TimeProvider.System),
             .. CloudFactories.All(TimeProvider.System), new SimulatedAdapterFactory(TimeProvider.System, SharedRandomSource.Instance)];
        foreach (var factory in factories)
        {
            var config = new ProviderConfig
            {
                Name = factory.Type,
                Type = factory.Type,
                BaseUrl = new Uri("https://example.invalid/v1"),
                Region = "eu-west-1",
                Project = "p",
                Auth = factory.Type.StartsWith("vertex", StringComparison.Ordinal) ? new CloudAuthConfig { Type = "metadata" } : null,
            };
            var adapter = factory.Create(new ProviderSettings(config, new Secret("k")) { Environment = name => environment.GetValueOrDefault(name) });
            (adapter as IDisposable)?.Dispose();
            var format = adapter.WireFormat switch
            {
                ApiFormat.OpenAI => "OpenAI-style",
                var other => other.ToString(),
            };
            Assert.True(rows[factory.Type] == format, $"{factory.Type}: documented {rows[factory.Type]}, speaks {format}");
        }
    }
}
