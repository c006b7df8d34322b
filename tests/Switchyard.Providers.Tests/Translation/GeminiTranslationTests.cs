using System.Buffers;
using System.Text;
using Switchyard.Core.Model;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Gemini;
using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Providers.Tests.Translation;

public sealed class GeminiTranslationTests
{
    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"type":"string","enum":["x","y"]},"b":{"type":["integer","null"],"minimum":0},"c":{"type":"array","items":{"type":"number"}},"d":{"const":"k"}},"required":["a"],"additionalProperties":false,"$schema":"http://json-schema.org/draft-07/schema#"}""",
        """{"type":"OBJECT","properties":{"a":{"type":"STRING","enum":["x","y"]},"b":{"type":"INTEGER","nullable":true,"minimum":0},"c":{"type":"ARRAY","items":{"type":"NUMBER"}},"d":{"enum":["k"]}},"required":["a"]}""")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"object","properties":{"n":{"type":"boolean","description":"flag"}}}]}""",
        """{"anyOf":[{"type":"STRING"},{"type":"OBJECT","properties":{"n":{"type":"BOOLEAN","description":"flag"}}}]}""")]
    public void Schema_Convertible_GeminiSubset(string jsonSchema, string expected)
    {
        Assert.Null(GeminiSchema.Problem(jsonSchema));
        Assert.Equal(expected, GeminiSchema.Convert(jsonSchema));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{"a":{"$ref":"#/$defs/A"}},"$defs":{"A":{"type":"string"}}}""", "$ref")]
    [InlineData("""{"oneOf":[{"type":"string"}]}""", "oneOf")]
    [InlineData("""{"type":"object","additionalProperties":{"type":"string"}}""", "additionalProperties (other than false)")]
    [InlineData("""{"type":["string","integer"]}""", "type lists other than [T, \"null\"]")]
    [InlineData("""{"type":"array","items":{"type":"string"},"uniqueItems":true}""", "uniqueItems")]
    public void Schema_Unconvertible_NamesTheKeyword(string jsonSchema, string keyword) =>
        Assert.Equal(keyword, GeminiSchema.Problem(jsonSchema));

    [Fact]
    public void Reply_Text_CanonicalWithUsageAndModel()
    {
        Assert.True(GeminiReplyReader.TryRead(Encoding.UTF8.GetBytes(FakeGeminiUpstream.Fixture("text.json")), "call_x_", out var reply, out _));

        Assert.Equal("Hello from Gemini.", reply!.Text);
        Assert.Equal(FinishReason.Stop, reply.Finish);
        Assert.Equal("gemini-2.0-flash", reply.Model);
        Assert.Equal(new Usage(12, 6, 4), reply.Usage);
    }

    [Fact]
    public void Reply_PromptBlocked_ContentFilterWithTheReason()
    {
        Assert.True(GeminiReplyReader.TryRead(Encoding.UTF8.GetBytes(FakeGeminiUpstream.Fixture("prompt-blocked.json")), "call_x_", out var reply, out _));

        Assert.Equal(FinishReason.ContentFilter, reply!.Finish);
        Assert.Equal("prompt blocked: PROHIBITED_CONTENT", reply.FilterReason);
    }

    [Theory]
    [InlineData("text.json")]
    [InlineData("function-call.json")]
    [InlineData("json.json")]
    [InlineData("safety.json")]
    [InlineData("prompt-blocked.json")]
    public void Fixtures_HaveTheReferenceShapes(string fixture) =>
        Assert.Null(GeminiShapes.Describe("GenerateContentResponse", FakeGeminiUpstream.Fixture(fixture)));

    [Fact]
    public void AnthropicForward_NoMaxTokens_AddedAndModelRewritten()
    {
        var raw = """{"model":"claude","messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":2048}}""";
        var request = new CanonicalRequest { ClientFormat = ApiFormat.Anthropic, Operation = Operation.ChatCompletion, Model = "claude", RawBody = Encoding.UTF8.GetBytes(raw) };
        var output = new ArrayBufferWriter<byte>();

        AnthropicRequestWriter.Forward(request, "claude-sonnet-4-5", 4096, output);

        Assert.Equal("""{"max_tokens":4096,"model":"claude-sonnet-4-5","messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":2048}}""",
            Encoding.UTF8.GetString(output.WrittenSpan));
    }
}
