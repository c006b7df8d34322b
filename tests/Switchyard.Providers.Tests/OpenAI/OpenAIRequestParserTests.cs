using System.Text;
using Switchyard.Core.Model;
using Switchyard.Providers.OpenAI;
using Xunit;

namespace Switchyard.Providers.Tests.OpenAI;

public sealed class OpenAIRequestParserTests
{
    private static CanonicalRequest Chat(string json)
    {
        var (request, error) = OpenAIRequestParser.ParseChat(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        return Assert.IsType<CanonicalRequest>(request);
    }

    private static Problem ChatError(string json)
    {
        var (request, error) = OpenAIRequestParser.ParseChat(Encoding.UTF8.GetBytes(json));
        Assert.Null(request);
        return Assert.IsType<Problem>(error);
    }

    private static CanonicalRequest Embeddings(string json)
    {
        var (request, error) = OpenAIRequestParser.ParseEmbeddings(Encoding.UTF8.GetBytes(json));
        Assert.Null(error);
        return Assert.IsType<CanonicalRequest>(request);
    }

    private static Problem EmbeddingsError(string json)
    {
        var (request, error) = OpenAIRequestParser.ParseEmbeddings(Encoding.UTF8.GetBytes(json));
        Assert.Null(request);
        return Assert.IsType<Problem>(error);
    }

    [Fact]
    public void ParseChat_FullConversation_BuildsEveryMessageWithRolesAndToolCalls()
    {
        const string Body = """
            {
              "model": "gpt-4o-mini",
              "messages": [
                {"role": "system", "content": "Be terse."},
                {"role": "developer", "content": [{"type": "text", "text": "Use metric."}]},
                {"role": "user", "content": "Weather in Oslo?", "name": "ada"},
                {"role": "assistant", "content": null, "tool_calls": [
                  {"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": "{\"city\":\"Oslo\"}"}}
                ]},
                {"role": "tool", "tool_call_id": "call_1", "content": "12C"}
              ],
              "temperature": 0.5,
              "top_p": 0.9,
              "n": 2,
              "user": "u-42",
              "parallel_tool_calls": false,
              "logprobs": true,
              "metadata": {"x": "y"}
            }
            """;

        var request = Chat(Body);

        Assert.Equal(ApiFormat.OpenAI, request.ClientFormat);
        Assert.Equal(Operation.ChatCompletion, request.Operation);
        Assert.Equal("gpt-4o-mini", request.Model);
        Assert.Equal([ChatRole.System, ChatRole.Developer, ChatRole.User, ChatRole.Assistant, ChatRole.Tool], request.Messages.Select(m => m.Role));

        Assert.True(request.Messages[0].ContentIsString);
        Assert.Equal(new ContentPart(ContentPartKind.Text, "Be terse."), Assert.Single(request.Messages[0].Content));
        Assert.False(request.Messages[1].ContentIsString);
        Assert.Equal(new ContentPart(ContentPartKind.Text, "Use metric."), Assert.Single(request.Messages[1].Content));
        Assert.Equal("ada", request.Messages[2].Name);

        var assistant = request.Messages[3];
        Assert.Empty(assistant.Content);
        Assert.Equal(new ToolCall("call_1", "get_weather", "{\"city\":\"Oslo\"}"), Assert.Single(assistant.ToolCalls));
        Assert.Equal("call_1", request.Messages[4].ToolCallId);

        Assert.Equal(0.5, request.Temperature);
        Assert.Equal(0.9, request.TopP);
        Assert.Equal(2, request.N);
        Assert.Equal("u-42", request.User);
        Assert.False(request.ParallelToolCalls);
        Assert.Equal(RequestFeatures.None, request.Features);
        Assert.Equal(Body, Encoding.UTF8.GetString(request.RawBody.Span));
    }

    [Fact]
    public void ParseChat_TextOfEveryKind_CountedInPromptChars()
    {
        // "Be terse." 9 + "Use metric." 11 + "Hi" 2 + tool call name 11 + arguments 15 + tool result 3 = 51
        var request = Chat("""
            {"model":"m","messages":[
              {"role":"system","content":"Be terse."},
              {"role":"user","content":[{"type":"text","text":"Use metric."},{"type":"text","text":"Hi"}]},
              {"role":"assistant","tool_calls":[{"id":"c","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Oslo\"}"}}]},
              {"role":"tool","tool_call_id":"c","content":"12C"}
            ]}
            """);

        Assert.Equal(9 + 11 + 2 + 11 + 15 + 3, request.PromptChars);
        Assert.Equal(0, request.ImageCount);
    }

    [Fact]
    public void ParseChat_ImageParts_SetVisionAndCountImagesWithDetailAndDataUrls()
    {
        var request = Chat("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"text","text":"What is this?"},
              {"type":"image_url","image_url":{"url":"https://example.com/cat.png","detail":"high"}},
              {"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}
            ]}]}
            """);

        var parts = request.Messages[0].Content;
        Assert.Equal(3, parts.Count);
        Assert.Equal(new ContentPart(ContentPartKind.Image, Url: "https://example.com/cat.png", Detail: "high"), parts[1]);
        Assert.Equal(new ContentPart(ContentPartKind.Image, Url: "data:image/png;base64,iVBORw0KGgo="), parts[2]);
        Assert.Equal(RequestFeatures.Vision, request.Features);
        Assert.Equal(2, request.ImageCount);
        Assert.Equal("What is this?".Length, request.PromptChars);
    }

    [Fact]
    public void ParseChat_AudioAndFileParts_SetTheirFeatures()
    {
        var request = Chat("""
            {"model":"m","messages":[{"role":"user","content":[
              {"type":"input_audio","input_audio":{"data":"AAA=","format":"wav"}},
              {"type":"file","file":{"file_id":"file-1"}}
            ]}]}
            """);

        Assert.Equal(RequestFeatures.Audio | RequestFeatures.Files, request.Features);
        Assert.Equal([ContentPartKind.Audio, ContentPartKind.File], request.Messages[0].Content.Select(p => p.Kind));
    }

    [Fact]
    public void ParseChat_ModalitiesAudio_SetsAudioFeature()
    {
        var request = Chat("""{"model":"m","modalities":["text","audio"],"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(RequestFeatures.Audio, request.Features);
    }

    [Fact]
    public void ParseChat_Tools_ParametersJsonIsTheRawSliceOfTheBody()
    {
        const string Parameters = """{ "type": "object",  "properties": {"city": {"type": "string", "description": "Ünïcode \"q\""}}, "required": ["city"] }""";
        var body = $$$"""
            {"model":"m","messages":[{"role":"user","content":"hi"}],
             "tools":[
               {"type":"function","function":{"name":"get_weather","description":"Weather now","parameters":{{{Parameters}}},"strict":true}},
               {"type":"function","function":{"name":"noop"}}
             ]}
            """;

        var request = Chat(body);

        Assert.Equal(2, request.Tools.Count);
        Assert.Equal(new ToolDefinition("get_weather", "Weather now", Parameters, true), request.Tools[0]);
        Assert.Equal(new ToolDefinition("noop", null, null, null), request.Tools[1]);
        Assert.Equal(RequestFeatures.Tools | RequestFeatures.ParallelToolCalls, request.Features);
        Assert.Equal(2 + "get_weather".Length + "Weather now".Length + Parameters.Length + "noop".Length, request.PromptChars);
    }

    [Fact]
    public void ParseChat_TwoToolsWithParallelFalse_OmitsParallelFeature()
    {
        var request = Chat("""
            {"model":"m","messages":[{"role":"user","content":"hi"}],"parallel_tool_calls":false,
             "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}]}
            """);

        Assert.Equal(RequestFeatures.Tools, request.Features);
    }

    [Theory]
    [InlineData("\"auto\"", ToolChoiceMode.Auto, null)]
    [InlineData("\"none\"", ToolChoiceMode.None, null)]
    [InlineData("\"required\"", ToolChoiceMode.Required, null)]
    [InlineData("{\"type\":\"function\",\"function\":{\"name\":\"b\"}}", ToolChoiceMode.Named, "b")]
    [InlineData("{\"type\":\"allowed_tools\",\"allowed_tools\":{\"mode\":\"auto\",\"tools\":[]}}", ToolChoiceMode.Auto, null)]
    public void ParseChat_ToolChoiceVariants_Parsed(string choice, ToolChoiceMode mode, string? name)
    {
        var request = Chat($$$"""
            {"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":{{{choice}}},
             "tools":[{"type":"function","function":{"name":"a"}},{"type":"function","function":{"name":"b"}}]}
            """);

        Assert.Equal(new ToolChoice(mode, name), request.ToolChoice);
    }

    [Fact]
    public void ParseChat_ToolChoiceNull_IsNull()
    {
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}],"tool_choice":null}""");

        Assert.Null(request.ToolChoice);
    }

    [Fact]
    public void ParseChat_ResponseFormatText_NoJsonFeature()
    {
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"text"}}""");

        Assert.Equal(new ResponseFormat(ResponseFormatKind.Text), request.ResponseFormat);
        Assert.Equal(RequestFeatures.None, request.Features);
    }

    [Fact]
    public void ParseChat_ResponseFormatJsonObject_SetsJsonObjectFeature()
    {
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_object"}}""");

        Assert.Equal(new ResponseFormat(ResponseFormatKind.JsonObject), request.ResponseFormat);
        Assert.Equal(RequestFeatures.JsonObject, request.Features);
    }

    [Fact]
    public void ParseChat_ResponseFormatJsonSchema_KeepsSchemaJsonRaw()
    {
        const string Schema = """{"type":"object","properties":{"name":{"type":"string"}},"required":["name"],  "additionalProperties":false}""";
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,"schema":"""
            + Schema + "}}}");

        Assert.Equal(new ResponseFormat(ResponseFormatKind.JsonSchema, "person", Schema, true), request.ResponseFormat);
        Assert.Equal(RequestFeatures.JsonSchema, request.Features);
        Assert.Equal(2 + Schema.Length, request.PromptChars);
    }

    [Theory]
    [InlineData("\"max_tokens\":100,\"max_completion_tokens\":50", 50)]
    [InlineData("\"max_completion_tokens\":50,\"max_tokens\":100", 50)]
    [InlineData("\"max_tokens\":100", 100)]
    [InlineData("\"max_completion_tokens\":7", 7)]
    public void ParseChat_MaxTokens_PrefersMaxCompletionTokens(string fields, int expected)
    {
        var request = Chat($$$"""{"model":"m",{{{fields}}},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.Equal(expected, request.MaxOutputTokens);
    }

    [Fact]
    public void ParseChat_NoMaxTokens_IsNull()
    {
        Assert.Null(Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}]}""").MaxOutputTokens);
    }

    [Fact]
    public void ParseChat_StopString_IsOneStop()
    {
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":"END"}""");

        Assert.Equal(["END"], request.Stop);
    }

    [Fact]
    public void ParseChat_StopArray_KeepsOrder()
    {
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"hi"}],"stop":["a","\n\n","c"]}""");

        Assert.Equal(["a", "\n\n", "c"], request.Stop);
    }

    [Fact]
    public void ParseChat_StreamWithIncludeUsage_SetsStreamingAndFlags()
    {
        var request = Chat("""
            {"model":"m","stream":true,"stream_options":{"include_obfuscation":false,"include_usage":true},"messages":[{"role":"user","content":"hi"}]}
            """);

        Assert.True(request.Stream);
        Assert.True(request.IncludeUsage);
        Assert.True(request.HasStreamOptions);
        Assert.Equal(RequestFeatures.Streaming, request.Features);
    }

    [Fact]
    public void ParseChat_StreamOptionsWithoutIncludeUsage_HasStreamOptionsOnly()
    {
        var request = Chat("""{"model":"m","stream":true,"stream_options":{"include_obfuscation":true},"messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(request.IncludeUsage);
        Assert.True(request.HasStreamOptions);
    }

    [Fact]
    public void ParseChat_StreamOptionsNull_CountsAsSentWithoutUsage()
    {
        var request = Chat("""{"model":"m","stream":false,"stream_options":null,"messages":[{"role":"user","content":"hi"}]}""");

        Assert.False(request.Stream);
        Assert.True(request.HasStreamOptions);
        Assert.False(request.IncludeUsage);
        Assert.Equal(RequestFeatures.None, request.Features);
    }

    [Fact]
    public void ParseChat_UnicodeContent_CountsUtf16Chars()
    {
        var request = Chat("""{"model":"m","messages":[{"role":"user","content":"h\u00e9llo ✓ 😀"}]}""");

        Assert.Equal("héllo ✓ 😀", request.Messages[0].Content[0].Text);
        Assert.Equal("héllo ✓ 😀".Length, request.PromptChars);
    }

    [Fact]
    public void ParseEmbeddings_String_IsOneInput()
    {
        var request = Embeddings("""{"model":"e","input":"hello world","encoding_format":"float","dimensions":64,"user":"u"}""");

        Assert.Equal(Operation.Embeddings, request.Operation);
        Assert.Equal("e", request.Model);
        Assert.Equal("u", request.User);
        Assert.Equal(new EmbeddingInput(1, 11, 0), request.EmbeddingInput);
        Assert.Equal(11, request.PromptChars);
    }

    [Fact]
    public void ParseEmbeddings_Strings_CountsEach()
    {
        var request = Embeddings("""{"model":"e","input":["ab","cde","f"]}""");

        Assert.Equal(new EmbeddingInput(3, 6, 0), request.EmbeddingInput);
    }

    [Fact]
    public void ParseEmbeddings_TokenArray_IsOneInputOfTokenIds()
    {
        var request = Embeddings("""{"model":"e","input":[101, 2023, 2003, 102]}""");

        Assert.Equal(new EmbeddingInput(1, 0, 4), request.EmbeddingInput);
        Assert.Equal(0, request.PromptChars);
    }

    [Fact]
    public void ParseEmbeddings_TokenArrays_CountsArraysAndIds()
    {
        var request = Embeddings("""{"model":"e","input":[[1,2,3],[4,5]]}""");

        Assert.Equal(new EmbeddingInput(2, 0, 5), request.EmbeddingInput);
    }

    [Theory]
    [InlineData("", null, "invalid_body")]
    [InlineData("[1,2]", null, "invalid_body")]
    [InlineData("{\"model\":\"m\",", null, "invalid_json")]
    [InlineData("{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}", "model", "missing_required_parameter")]
    [InlineData("{\"model\":42,\"messages\":[]}", "model", "invalid_type")]
    [InlineData("{\"model\":\"m\"}", "messages", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[]}", "messages", "empty_array")]
    [InlineData("{\"model\":\"m\",\"messages\":{}}", "messages", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"content\":\"hi\"}]}", "messages[0].role", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"robot\",\"content\":\"hi\"}]}", "messages[0].role", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\"}]}", "messages[0].content", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":5}]}", "messages[0].content", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\"}]}", "messages[0].content", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"video\"}]}]}", "messages[0].content[0].type", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"x\"}]}]}", "messages[0].content[0].type", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\"}]}]}", "messages[0].content[0].text", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":{}}]}]}", "messages[0].content[0].image_url", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"content\":\"x\"}]}", "messages[0].tool_call_id", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"tool\",\"tool_call_id\":\"nope\",\"content\":\"x\"}]}", "messages[0].tool_call_id", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"assistant\",\"tool_calls\":[{\"type\":\"function\",\"function\":{\"name\":\"f\"}}]}]}", "messages[0].tool_calls[0]", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream\":\"yes\"}", "stream", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":{\"include_usage\":1}}", "stream_options.include_usage", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stream_options\":[]}", "stream_options", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"temperature\":3}", "temperature", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"top_p\":\"x\"}", "top_p", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_tokens\":0}", "max_tokens", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"max_completion_tokens\":1.5}", "max_completion_tokens", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"n\":129}", "n", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"seed\":\"x\"}", "seed", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[\"a\",\"b\",\"c\",\"d\",\"e\"]}", "stop", "array_above_max_length")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":5}", "stop", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"stop\":[\"a\",1]}", "stop[1]", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":{}}", "tools", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"retrieval\"}]}", "tools[0].type", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{}}]}", "tools[0].function.name", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\",\"parameters\":[]}}]}", "tools[0].function.parameters", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":\"sometimes\"}", "tool_choice", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":\"required\"}", "tool_choice", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":{\"type\":\"function\",\"function\":{\"name\":\"x\"}},\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"y\"}}]}", "tool_choice", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"tool_choice\":5}", "tool_choice", "invalid_type")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{}}", "response_format.type", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"yaml\"}}", "response_format.type", "invalid_value")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_schema\"}}", "response_format.json_schema", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":{\"type\":\"json_schema\",\"json_schema\":{\"schema\":{}}}}", "response_format.json_schema.name", "missing_required_parameter")]
    [InlineData("{\"model\":\"m\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"response_format\":\"json\"}", "response_format", "invalid_type")]
    public void ParseChat_InvalidBody_ReportsParamAndCode(string body, string? param, string code)
    {
        var error = ChatError(body);

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
        Assert.Equal("invalid_request_error", error.Type);
        Assert.False(string.IsNullOrWhiteSpace(error.Message));
    }

    [Fact]
    public void ParseChat_InvalidUtf8_ReportsInvalidBody()
    {
        var (request, error) = OpenAIRequestParser.ParseChat(new byte[] { (byte)'{', 0xC3, 0x28, (byte)'}' });

        Assert.Null(request);
        Assert.Equal(new Problem(400, "invalid_body", "The request body is not valid UTF-8."), error);
    }

    [Fact]
    public void ParseChat_MalformedJson_MessageGivesLineAndByte()
    {
        var error = ChatError("{\n  \"model\": \"m\",\n  \"messages\": [,]\n}");

        Assert.Equal("invalid_json", error.Code);
        Assert.Contains("line 3", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"model\":\"e\"}", "input", "missing_required_parameter")]
    [InlineData("{\"input\":\"x\"}", "model", "missing_required_parameter")]
    [InlineData("{\"model\":\"e\",\"input\":\"\"}", "input", "invalid_value")]
    [InlineData("{\"model\":\"e\",\"input\":[]}", "input", "empty_array")]
    [InlineData("{\"model\":\"e\",\"input\":5}", "input", "invalid_type")]
    [InlineData("{\"model\":\"e\",\"input\":[\"a\",{}]}", "input[1]", "invalid_type")]
    [InlineData("{\"model\":\"e\",\"input\":[[1,\"x\"]]}", "input[0]", "invalid_type")]
    [InlineData("{\"model\":\"e\",\"input\":\"x\",\"encoding_format\":\"hex\"}", "encoding_format", "invalid_value")]
    [InlineData("{\"model\":\"e\",\"input\":\"x\",\"dimensions\":0}", "dimensions", "invalid_value")]
    public void ParseEmbeddings_InvalidBody_ReportsParamAndCode(string body, string param, string code)
    {
        var error = EmbeddingsError(body);

        Assert.Equal(400, error.Status);
        Assert.Equal(param, error.Param);
        Assert.Equal(code, error.Code);
    }

    [Fact]
    public void ParseEmbeddings_MoreThan2048Inputs_ReportsArrayAboveMaxLength()
    {
        var body = "{\"model\":\"e\",\"input\":[" + string.Join(",", Enumerable.Repeat("\"a\"", 2049)) + "]}";

        var error = EmbeddingsError(body);

        Assert.Equal("input", error.Param);
        Assert.Equal("array_above_max_length", error.Code);
    }
}
