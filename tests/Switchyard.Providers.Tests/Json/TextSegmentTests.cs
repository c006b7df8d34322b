using System.Text;
using System.Text.Json;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;
using Xunit;

namespace Switchyard.Providers.Tests.Json;

/// <summary>
/// The text segments the parsers record (parse once, issue 14 decision 6): the same strings the privacy scan read
/// from the raw body before (a reference walk of the body below), at the right offsets, mapped to the canonical
/// request; and redaction as a patch over them agreeing with a second parse of the patched body.
/// </summary>
public sealed class TextSegmentTests
{
    private const string OpenAIChat = """
        {"model":"m","metadata":{"note":"x","content":"meta a@example.com"},"messages":[
          {"role":"system","content":"Be brief, caf\u00e9 \"quoted\"."},
          {"role":"user","name":"bob","content":[{"type":"text","text":"Card 4111 1111 1111 1111"},{"type":"image_url","image_url":{"url":"https://x/y.png","detail":"low"}},{"type":"file","file":{"filename":"a.pdf","file_id":"f1"}}]},
          {"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"lookup","arguments":"{\"email\":\"jane@example.com\"}"}}]},
          {"role":"tool","tool_call_id":"c1","content":"found jane@example.com"},
          {"role":"user","content":"and 4111 1111 1111 1111 again, é \ud83d\ude00"}],
         "prompt":"top-level prompt text","stream":false}
        """;

    private const string AnthropicMessages = """
        {"model":"m","max_tokens":10,"messages":[
          {"role":"user","content":"Hi, mail a@example.com"},
          {"role":"assistant","content":[{"type":"thinking","thinking":"think 4111 1111 1111 1111","signature":"sig"},{"type":"text","text":"Let me look."},
            {"type":"tool_use","id":"t1","name":"find","input":{"name":"Jane Roe","query":"jane@example.com","nested":{"text":"4111 1111 1111 1111","n":3}}}]},
          {"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":[{"type":"text","text":"result jane@example.com"}]},{"type":"text","text":"Thanks, caf\u00e9"}]}],
         "system":[{"type":"text","text":"System with 4111 1111 1111 1111","cache_control":{"type":"ephemeral"}}]}
        """;

    private const string Embeddings = """{"model":"e","input":["plain","mail a@example.com",[1,2,3]],"user":"u1"}""";

    public static TheoryData<string, string> Bodies => new()
    {
        { "openai", OpenAIChat },
        { "anthropic", AnthropicMessages },
        { "embeddings", Embeddings },
        { "openai", """{"model":"m","messages":[{"role":"user","content":"plain"}]}""" },
        { "anthropic", """{"model":"m","max_tokens":5,"system":"sys text","messages":[{"role":"user","content":[{"type":"tool_result","tool_use_id":"x","content":"r"}]}]}""" },
    };

    private static CanonicalRequest Parse(string format, string json)
    {
        var body = Encoding.UTF8.GetBytes(json);
        var (request, error) = format switch
        {
            "openai" => OpenAIRequestParser.ParseChat(body),
            "embeddings" => OpenAIRequestParser.ParseEmbeddings(body),
            _ => AnthropicRequestParser.ParseMessages(body),
        };
        if (format == "anthropic" && error?.Message.Contains("tool_use_id", StringComparison.Ordinal) == true)
        {
            // A tool_result needs a tool_use before it: the short case above is only about the string content form.
            (request, error) = AnthropicRequestParser.ParseMessages(Encoding.UTF8.GetBytes(json.Replace(
                "\"messages\":[", "\"messages\":[{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"x\",\"name\":\"f\",\"input\":{}}]},", StringComparison.Ordinal)));
        }

        Assert.Null(error);
        return request!;
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Segments_AreTheStringsThePrivacyScanReadFromTheBody(string format, string json)
    {
        var request = Parse(format, json);

        var expected = ReferenceWalk.Strings(request.RawBody.Span);
        Assert.Equal(expected, request.Segments.Select(s => (s.Offset, s.Length, s.Text)));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Segments_PointAtTheirJsonStringTokenAndTheirPlaceInTheCanonicalRequest(string format, string json)
    {
        var request = Parse(format, json);
        var raw = request.RawBody.ToArray();

        Assert.NotEmpty(request.Segments);
        foreach (var segment in request.Segments)
        {
            var reader = new Utf8JsonReader(raw.AsSpan(segment.Offset, segment.Length));
            Assert.True(reader.Read());
            Assert.Equal(JsonTokenType.String, reader.TokenType);
            Assert.Equal(segment.Length, (int)reader.BytesConsumed);
            Assert.Equal(segment.Text, reader.GetString());
            switch (segment.Kind)
            {
                case TextSegmentKind.Content or TextSegmentKind.System or TextSegmentKind.ToolResult:
                    Assert.Same(segment.Text, request.Messages[segment.Message].Content[segment.Part].Text);
                    break;
                case TextSegmentKind.ToolArguments:
                    Assert.Same(segment.Text, request.Messages[segment.Message].ToolCalls[segment.Part].ArgumentsJson);
                    break;
                case TextSegmentKind.ToolInput:
                    var arguments = request.Messages[segment.Message].ToolCalls[segment.Part].ArgumentsJson;
                    Assert.Equal(arguments, Encoding.UTF8.GetString(raw, segment.Base, Encoding.UTF8.GetByteCount(arguments)));
                    break;
                case TextSegmentKind.EmbeddingInput:
                    Assert.InRange(segment.Part, 0, request.EmbeddingInput!.Count - 1);
                    break;
            }
        }
    }

    [Fact]
    public void Segments_KnowWhatTheyAre()
    {
        var openai = Parse("openai", OpenAIChat);
        var anthropic = Parse("anthropic", AnthropicMessages);

        Assert.Equal(
            [TextSegmentKind.Unmapped, TextSegmentKind.System, TextSegmentKind.Content, TextSegmentKind.Unmapped, TextSegmentKind.ToolArguments, TextSegmentKind.ToolResult, TextSegmentKind.Content, TextSegmentKind.Unmapped],
            openai.Segments.Select(s => s.Kind));
        Assert.Equal(
            [TextSegmentKind.Content, TextSegmentKind.Unmapped, TextSegmentKind.Content, TextSegmentKind.ToolInput, TextSegmentKind.ToolInput, TextSegmentKind.ToolResult, TextSegmentKind.Content, TextSegmentKind.System],
            anthropic.Segments.Select(s => s.Kind));
        Assert.Equal((0, 0), (anthropic.Segments[^1].Message, anthropic.Segments[^1].Part));
    }

    [Theory]
    [MemberData(nameof(Bodies))]
    public void Redaction_PatchedRequest_IsWhatParsingThePatchedBodyGives(string format, string json)
    {
        var request = Parse(format, json);

        var redaction = RedactionPatch.Apply(request, PrivacyPolicy.Default, DataClass.Confidential);

        if (redaction is null)
        {
            Assert.Equal(DataClass.Public, PromptScan.Scan(request.Segments, PrivacyPolicy.Default).DataClass);
            return;
        }

        var reparsed = Parse(format, Encoding.UTF8.GetString(redaction.Request.RawBody.Span));
        Assert.Equivalent(reparsed.Messages, redaction.Request.Messages, strict: true);
        Assert.Equal(reparsed.Segments, redaction.Request.Segments);
        Assert.Equal(reparsed.PromptChars, redaction.Request.PromptChars);
        Assert.Equal(reparsed.EmbeddingInput, redaction.Request.EmbeddingInput);
        Assert.DoesNotContain("a@example.com", Encoding.UTF8.GetString(redaction.Request.RawBody.Span), StringComparison.Ordinal);
        Assert.DoesNotContain("4111 1111", Encoding.UTF8.GetString(redaction.Request.RawBody.Span), StringComparison.Ordinal);
        var rescanned = PromptScan.Scan(redaction.Request.Segments, PrivacyPolicy.Default);
        Assert.Equal((rescanned.DataClass, rescanned.Reason), (redaction.Findings.DataClass, redaction.Findings.Reason));
        Assert.Equal(rescanned.EntityTypes, redaction.Findings.EntityTypes);
    }

    [Fact]
    public void Redaction_SplicesTheSameFormatBody_AndTheRestorerPutsTheValuesBack()
    {
        var request = Parse("openai", """{"model":"m","messages":[{"role":"user","content":"Card 4111 1111 1111 1111, mail a@example.com"}]}""");

        var redaction = RedactionPatch.Apply(request, PrivacyPolicy.Default, DataClass.Restricted)!;
        var restorer = new ReplyRestorer(redaction.Map);
        var first = Encoding.UTF8.GetString(restorer.RestoreEvent("""{"delta":{"content":"ok <CREDIT_"}}"""u8.ToArray()).Span);
        var second = Encoding.UTF8.GetString(restorer.RestoreEvent("""{"delta":{"content":"CARD_1> done"}}"""u8.ToArray()).Span);

        Assert.Equal("""{"model":"m","messages":[{"role":"user","content":"Card <CREDIT_CARD_1>, mail a@example.com"}]}""", Encoding.UTF8.GetString(redaction.Request.RawBody.Span));
        Assert.Equal("Card <CREDIT_CARD_1>, mail a@example.com", redaction.Request.Messages[0].Content[0].Text);
        Assert.Equal(["EMAIL"], redaction.Findings.EntityTypes);
        Assert.Equal("""{"delta":{"content":"ok "}}""", first);
        Assert.Equal("""{"delta":{"content":"4111 1111 1111 1111 done"}}""", second);
    }

    /// <summary>
    /// The walk the privacy scan made over the raw body before the parsers recorded segments: strings under
    /// <c>content</c>, <c>text</c>, <c>system</c>, <c>arguments</c>, <c>input</c>, <c>prompt</c>, <c>instructions</c>
    /// (and everything below them), except under identifier, type, URL and data keys.
    /// </summary>
    private static class ReferenceWalk
    {
        private static readonly string[] _textKeys = ["content", "text", "system", "arguments", "input", "prompt", "instructions"];
        private static readonly string[] _skipKeys = ["type", "id", "tool_call_id", "tool_use_id", "role", "name", "url", "data", "media_type", "detail", "model", "cache_control", "file_id", "format", "signature"];

        public static List<(int, int, string)> Strings(ReadOnlySpan<byte> json)
        {
            var found = new List<(int, int, string)>();
            var reader = new Utf8JsonReader(json);
            int zoneDepth = -1;
            bool textKey = false, skipKey = false;
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var key = reader.GetString()!;
                        textKey = zoneDepth < 0 && _textKeys.Contains(key);
                        skipKey = zoneDepth >= 0 && _skipKeys.Contains(key);
                        break;
                    case JsonTokenType.StartObject or JsonTokenType.StartArray:
                        if (textKey && zoneDepth < 0)
                        {
                            zoneDepth = reader.CurrentDepth;
                        }

                        (textKey, skipKey) = (false, false);
                        break;
                    case JsonTokenType.EndObject or JsonTokenType.EndArray:
                        if (reader.CurrentDepth == zoneDepth)
                        {
                            zoneDepth = -1;
                        }

                        break;
                    case JsonTokenType.String:
                        if ((textKey || zoneDepth >= 0) && !skipKey)
                        {
                            found.Add(((int)reader.TokenStartIndex, (int)reader.BytesConsumed - (int)reader.TokenStartIndex, reader.GetString()!));
                        }

                        (textKey, skipKey) = (false, false);
                        break;
                    default:
                        (textKey, skipKey) = (false, false);
                        break;
                }
            }

            return found;
        }
    }
}
