using System.Buffers;
using System.Text;
using Switchyard.Core.Model;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Providers.Tests.Anthropic;

public sealed class AnthropicRequestParserTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    internal static string Upstream(CanonicalRequest request, string model = "gpt-4o-mini", bool streamUsage = true)
    {
        var buffer = new ArrayBufferWriter<byte>();
        OpenAIRequestWriter.Write(request, model, streamUsage, buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static CanonicalRequest Parse(string json)
    {
        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        return request!;
    }

    [Fact]
    public async Task Parse_FullConversation_WritesGoldenOpenAIRequestThatConforms()
    {
        var request = Parse(AnthropicGolden.FullRequest);

        var upstream = Upstream(request);

        Assert.Equal(ApiFormat.Anthropic, request.ClientFormat);
        Assert.Equal(40, request.TopK);
        Assert.Equal(2, request.ImageCount);
        Assert.True(request.Features.HasFlag(RequestFeatures.Tools));
        Assert.True(request.Features.HasFlag(RequestFeatures.Vision));
        Assert.Equal(AnthropicGolden.FullRequestUpstream, upstream);
        var schemas = await OpenAISchemas.LoadAsync(Ct);
        Assert.Null(schemas.Describe(OpenAISchemas.CreateChatCompletionRequest, upstream));
    }

    [Fact]
    public void Parse_StringSystemAndContent_WritesStrings()
    {
        var request = Parse("""{"model":"m","system":"Be brief.","messages":[{"role":"user","content":"Hi"}],"stream":true}""");

        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hi"}],"stream":true,"stream_options":{"include_usage":true}}""",
            Upstream(request));
        Assert.Null(request.MaxOutputTokens);
    }

    [Fact]
    public void Parse_SystemRoleMessage_BecomesSystemMessageInPlace()
    {
        var request = Parse("""{"model":"m","messages":[{"role":"user","content":"Hi"},{"role":"system","content":[{"type":"text","text":"Now be formal."}]}]}""");

        Assert.Equal(
            """{"model":"gpt-4o-mini","messages":[{"role":"user","content":"Hi"},{"role":"system","content":"Now be formal."}]}""",
            Upstream(request));
    }

    [Theory]
    [InlineData("""{"type":"auto"}""", "\"tool_choice\":\"auto\"")]
    [InlineData("""{"type":"any"}""", "\"tool_choice\":\"required\"")]
    [InlineData("""{"type":"none"}""", "\"tool_choice\":\"none\"")]
    [InlineData("""{"type":"tool","name":"get_weather"}""", "\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"get_weather\"}}")]
    [InlineData("""{"type":"auto","disable_parallel_tool_use":false}""", "\"tool_choice\":\"auto\",\"parallel_tool_calls\":true")]
    public void Parse_ToolChoice_MapsToOpenAI(string choice, string expected)
    {
        var request = Parse($$$"""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"get_weather","input_schema":{"type":"object"}}],"tool_choice":{{{choice}}}}""");

        Assert.Contains(expected, Upstream(request), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Parse_StructuredOutput_BecomesJsonSchemaResponseFormat()
    {
        var request = Parse("""{"model":"m","max_tokens":10,"messages":[{"role":"user","content":"Hi"}],"output_config":{"format":{"type":"json_schema","schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}}}}""");

        var upstream = Upstream(request);

        Assert.Contains("""
            "response_format":{"type":"json_schema","json_schema":{"name":"output","schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false},"strict":true}}
            """, upstream, StringComparison.Ordinal);
        Assert.True(request.Features.HasFlag(RequestFeatures.JsonSchema));
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionRequest, upstream));
    }

    [Fact]
    public void ParseCountTokens_NoMaxTokens_Parses()
    {
        var (request, error) = AnthropicRequestParser.ParseCountTokens("""{"model":"m","system":"S","messages":[{"role":"user","content":"Hello there"}]}"""u8.ToArray());

        Assert.Null(error);
        Assert.Equal("S".Length + "Hello there".Length, request!.PromptChars);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("[]", "JSON object")]
    [InlineData("""{"messages":[{"role":"user","content":"Hi"}]}""", "model: Field required")]
    [InlineData("""{"model":"m"}""", "messages: Field required")]
    [InlineData("""{"model":"m","messages":[]}""", "messages: at least one message")]
    [InlineData("""{"model":5,"messages":[{"role":"user","content":"Hi"}]}""", "model: Input should be a valid string")]
    [InlineData("""{"model":"m","max_tokens":"10","messages":[{"role":"user","content":"Hi"}]}""", "max_tokens: Input should be a valid integer")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"temperature":1.5}""", "temperature: Input should be between 0 and 1")]
    [InlineData("""{"model":"m","messages":[{"role":"tool","content":"Hi"}]}""", "messages.0.role")]
    [InlineData("""{"model":"m","messages":[{"role":"system","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}""", "not allowed in a system message")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":5}]}""", "messages.0.content")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"video","url":"x"}]}]}""", "messages.0.content.0")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"hologram"}]}]}""", "Input tag 'hologram'")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_x","content":"r"}]}]}""", "unexpected `tool_use_id` found in `tool_result` blocks: toolu_x")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":"no"},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1"}]}]}""", "messages.2.content.0")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":"{}"}]}]}""", "messages.0.content.0.input")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_result","tool_use_id":"t1"}]}]}""", "not allowed in an assistant message")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"image","source":{"type":"base64","media_type":"image/tiff","data":"x"}}]}]}""", "media_type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"f"}]}""", "tools.0.input_schema: Field required")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"name":"f","input_schema":{}}],"tool_choice":{"type":"tool","name":"g"}}""", "no tool named 'g'")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tool_choice":{"type":"any"}}""", "needs at least one tool")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":"Hi","cache_control":{"type":"forever"}}]}]}""", "messages.0.content.0.cache_control.type")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"text","text":5}]}]}""", "messages.0.content.0.text: Input should be a valid string")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","is_error":"yes"}]}]}""", "messages.1.content.0.is_error: Input should be a valid boolean")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"metadata":{"tenant":"x"}}""", "metadata.tenant")]
    public void Parse_BadInput_Returns400NamingTheField(string json, string expected)
    {
        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(json));

        Assert.Null(request);
        Assert.NotNull(error);
        Assert.Equal(400, error.Status);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":[{"type":"document","source":{"type":"text","media_type":"text/plain","data":"x"}}]}]}""", "messages.0.content.0")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"thinking":{"type":"enabled","budget_tokens":1024}}""", "thinking")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"container":"c1"}""", "container")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"service_tier":"priority"}""", "service_tier")]
    [InlineData("""{"model":"m","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"web_search_20250305","name":"web_search"}]}""", "tools.0")]
    [InlineData("""{"model":"m","messages":[{"role":"assistant","content":[{"type":"tool_use","id":"t1","name":"f","input":{}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"image","source":{"type":"url","url":"https://x/y.png"}}]}]}]}""", "messages.1.content.0.content.0")]
    public void Parse_AnthropicOnlyField_AcceptedAndRecordedAsUntranslatable(string json, string path)
    {
        var (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(json));

        // Kept for an Anthropic upstream (the raw body is forwarded); any other upstream refuses it at routing.
        Assert.Null(error);
        Assert.Equal(path, Assert.Single(request!.Untranslatable).Path);
    }
}
