using System.Buffers;
using System.Text;
using System.Text.Json;
using Switchyard.Providers.Json;
using Switchyard.Providers.OpenAI;
using Xunit;

namespace Switchyard.Providers.Tests.OpenAI;

public sealed class OpenAIBodyRewriterTests
{
    private static string Rewrite(string body, string model, bool injectIncludeUsage = false, bool hasStreamOptions = false)
    {
        var output = new ArrayBufferWriter<byte>();
        OpenAIBodyRewriter.Rewrite(Encoding.UTF8.GetBytes(body), model, injectIncludeUsage, hasStreamOptions, output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string Splice(string body, string oldValueJson, string newValueJson)
    {
        var index = body.IndexOf("\"model\"", StringComparison.Ordinal);
        var valueAt = body.IndexOf(oldValueJson, index, StringComparison.Ordinal);
        return body[..valueAt] + newValueJson + body[(valueAt + oldValueJson.Length)..];
    }

    [Fact]
    public void Rewrite_ModelOnly_ChangesOnlyTheModelValueBytes()
    {
        const string Body = "{\n  \"model\" :  \"alias-fast\",\n\t\"messages\": [{\"role\": \"user\", \"content\": \"caf\\u00e9 \\\"quoted\\\" \\n tab\\t ✓ 😀\"}],\n  \"x_unknown\": {\"deep\": [1, 2.50, true, null]},\n  \"temperature\": 0.70\n}\n";

        var result = Rewrite(Body, "gpt-4o-mini-2024-07-18");

        Assert.Equal(Splice(Body, "\"alias-fast\"", "\"gpt-4o-mini-2024-07-18\""), result);
    }

    [Fact]
    public void Rewrite_ModelKeyInsideMessageContent_OnlyTopLevelModelChanges()
    {
        const string Body = """{"messages":[{"role":"user","content":"{\"model\":\"evil\"} and \"model\": \"x\""}],"metadata":{"model":"nested"},"model":"alias","tools":[{"type":"function","function":{"name":"f","parameters":{"properties":{"model":{"type":"string"}}}}}]}""";

        var result = Rewrite(Body, "real");

        var expected = Body.Replace("\"model\":\"alias\"", "\"model\":\"real\"", StringComparison.Ordinal);
        Assert.NotEqual(Body, expected);
        Assert.Equal(expected, result);
    }

    [Theory]
    [InlineData("a\"b\\c", "a\"b\\c")]
    [InlineData("org/model:v1+beta", "org/model:v1+beta")]
    [InlineData("modèle-ünï", "modèle-ünï")]
    [InlineData("line\nbreak", "line\nbreak")]
    public void Rewrite_ModelNeedingEscapes_ProducesValidJsonWithExactModel(string model, string expected)
    {
        const string Body = """{"model":"m","messages":[{"role":"user","content":"hi"}],"stream":false}""";

        var result = Rewrite(Body, model);

        using var document = JsonDocument.Parse(result);
        Assert.Equal(expected, document.RootElement.GetProperty("model").GetString());
        var suffix = ""","messages":[{"role":"user","content":"hi"}],"stream":false}""";
        Assert.EndsWith(suffix, result, StringComparison.Ordinal);
        Assert.StartsWith("{\"model\":\"", result, StringComparison.Ordinal);
    }

    [Fact]
    public void Rewrite_InjectIncludeUsageWithoutClientOptions_InsertsAfterBraceAndKeepsRestIdentical()
    {
        const string Body = " {\"model\":\"alias\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hé\"}], \"zz\":1}";

        var result = Rewrite(Body, "real", injectIncludeUsage: true);

        Assert.Equal(" {\"stream_options\":{\"include_usage\":true},\"model\":\"real\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hé\"}], \"zz\":1}", result);
        using var document = JsonDocument.Parse(result);
        Assert.True(document.RootElement.GetProperty("stream_options").GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void Rewrite_InjectIncludeUsageWithClientOptions_MergesAndKeepsOtherOptions()
    {
        const string Body = """{"model":"alias","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":false},"messages":[{"role":"user","content":"caf\u00e9 ✓"}],"x_vendor":{"a":[1,2]}}""";

        var result = Rewrite(Body, "real", injectIncludeUsage: true, hasStreamOptions: true);

        using var document = JsonDocument.Parse(result);
        var root = document.RootElement;
        Assert.Equal(["model", "stream", "stream_options", "messages", "x_vendor"], root.EnumerateObject().Select(p => p.Name));
        Assert.Equal("real", root.GetProperty("model").GetString());
        var options = root.GetProperty("stream_options");
        Assert.Equal(["include_obfuscation", "include_usage"], options.EnumerateObject().Select(p => p.Name));
        Assert.False(options.GetProperty("include_obfuscation").GetBoolean());
        Assert.True(options.GetProperty("include_usage").GetBoolean());
        Assert.Equal("café ✓", root.GetProperty("messages")[0].GetProperty("content").GetString());
        Assert.Equal("[1,2]", root.GetProperty("x_vendor").GetProperty("a").GetRawText());
    }

    [Fact]
    public void Rewrite_InjectIncludeUsageWithClientNullOptions_UpstreamSeesIncludeUsageTrue()
    {
        const string Body = """{"model":"alias","stream":true,"stream_options":null,"messages":[{"role":"user","content":"hi"}]}""";
        var (request, _) = OpenAIRequestParser.ParseChat(Encoding.UTF8.GetBytes(Body));

        var result = Rewrite(Body, "real", injectIncludeUsage: true, hasStreamOptions: request!.HasStreamOptions);

        // Duplicate keys are resolved last-wins by most JSON parsers (Python's included), so count them too.
        using var document = JsonDocument.Parse(result);
        var options = document.RootElement.EnumerateObject().Where(p => p.Name == "stream_options").ToList();
        var only = Assert.Single(options);
        Assert.True(only.Value.GetProperty("include_usage").GetBoolean());
    }

    [Fact]
    public void Rewrite_NoModelProperty_CopiesBodyUnchanged()
    {
        const string Body = """{"messages":[{"role":"user","content":"hi"}]}""";

        Assert.Equal(Body, Rewrite(Body, "real"));
    }

    [Fact]
    public void FindTopLevelValue_NestedBeforeTopLevel_ReturnsTopLevelOffsets()
    {
        var body = """{"a":{"model":"x"},"model":  "yes" ,"b":1}"""u8;

        var (start, end) = ModelSplice.FindTopLevelValue(body, "model"u8);

        Assert.Equal("\"yes\"", Encoding.UTF8.GetString(body[start..end]));
    }

    [Fact]
    public void FindTopLevelValue_NotAnObject_ReturnsMinusOne()
    {
        Assert.Equal((-1, -1), ModelSplice.FindTopLevelValue("[1]"u8, "model"u8));
    }
}
