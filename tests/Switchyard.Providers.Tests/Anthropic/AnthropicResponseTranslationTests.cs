using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Sse;
using Switchyard.Testing;
using Xunit;

namespace Switchyard.Providers.Tests.Anthropic;

public sealed class AnthropicResponseTranslationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static CanonicalRequest Request(params string[] stops) => new()
    {
        ClientFormat = ApiFormat.Anthropic,
        Operation = Operation.ChatCompletion,
        Model = "claude-alias",
        Stop = stops,
    };

    /// <summary>As the gateway serves it: the upstream's reply decoded once (ReplyTranslation), then written by the Anthropic egress.</summary>
    private static bool TryTranslate(string openAI, CanonicalRequest request, ArrayBufferWriter<byte> buffer, out string? problem) =>
        OpenAIReplyReader.TryRead(Encoding.UTF8.GetBytes(openAI), request.Stop, out var response, out problem)
        && AnthropicResponseWriter.TryWrite(response!, request, "msg_1", buffer, out problem);

    private static string Translate(string openAI, CanonicalRequest? request = null)
    {
        var buffer = new ArrayBufferWriter<byte>();
        Assert.True(TryTranslate(openAI, request ?? Request(), buffer, out var problem), problem);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public async Task Message_Text_GoldenAndConforms()
    {
        var message = Translate(OpenAIWire.Completion("gpt-4o-mini-2024-07-18", "Hello!"));

        Assert.Equal(
            """{"id":"msg_1","type":"message","role":"assistant","model":"gpt-4o-mini-2024-07-18","content":[{"type":"text","text":"Hello!","citations":null}],"stop_reason":"end_turn","stop_sequence":null,"stop_details":null,"container":null,"diagnostics":null,""" +
            "\"usage\":{\"input_tokens\":8,\"output_tokens\":7,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":3,\"cache_creation\":null,\"inference_geo\":null,\"output_tokens_details\":null,\"server_tool_use\":null,\"service_tier\":null,\"speed\":null}}",
            message);
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, message));
    }

    [Fact]
    public async Task Schemas_NonConformingDocuments_AreRejected()
    {
        var schemas = await AnthropicSchemas.LoadAsync(Ct);

        Assert.NotEmpty(schemas.Validate(AnthropicSchemas.Message, """{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[]}"""));
        Assert.NotEmpty(schemas.Validate(AnthropicSchemas.RawMessageStreamEvent, """{"type":"content_block_delta","index":0,"delta":{"type":"text_delta"}}"""));
        Assert.NotEmpty(schemas.Validate(AnthropicSchemas.ErrorResponse, """{"type":"error","error":{"type":"teapot_error","message":"x"},"request_id":null}"""));
    }

    [Fact]
    public async Task Message_ToolCalls_BecomeToolUseBlocksWithIdsPreserved()
    {
        var message = JsonNode.Parse(Translate(OpenAIWire.ToolCallCompletion("m", "get_weather", """{"city":"Paris"}""")))!;

        Assert.Equal("tool_use", message["stop_reason"]!.GetValue<string>());
        var block = Assert.Single(message["content"]!.AsArray())!;
        Assert.Equal("tool_use", block["type"]!.GetValue<string>());
        Assert.Equal("call_abc123", block["id"]!.GetValue<string>());
        Assert.Equal("get_weather", block["name"]!.GetValue<string>());
        Assert.Equal("Paris", block["input"]!["city"]!.GetValue<string>());
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, message.ToJsonString()));
    }

    [Theory]
    [InlineData("length", null, "max_tokens", null)]
    [InlineData("content_filter", null, "refusal", null)]
    [InlineData("stop", null, "end_turn", null)]
    [InlineData("stop", "\"END\"", "stop_sequence", "END")]
    [InlineData("stop", "\"OTHER\"", "end_turn", null)]
    public void Message_FinishReason_MapsToStopReason(string finish, string? vllmStopReason, string expected, string? sequence)
    {
        var body = OpenAIWire.Completion("m", "x", finish);
        if (vllmStopReason is not null)
        {
            body = body.Replace("\"finish_reason\":", $"\"stop_reason\":{vllmStopReason},\"finish_reason\":", StringComparison.Ordinal);
        }

        var message = JsonNode.Parse(Translate(body, Request("END")))!;

        Assert.Equal(expected, message["stop_reason"]!.GetValue<string>());
        Assert.Equal(sequence, message["stop_sequence"]?.GetValue<string>());
    }

    [Fact]
    public void Message_ToolArgumentsNotJson_IsRefused()
    {
        var buffer = new ArrayBufferWriter<byte>();

        var ok = TryTranslate(OpenAIWire.ToolCallCompletion("m", "f", "{\"city\":"), Request(), buffer, out var problem);

        Assert.False(ok);
        Assert.Equal(0, buffer.WrittenCount);
        Assert.Contains("not a JSON object", problem, StringComparison.Ordinal);
    }

    // ---- streaming ----

    internal static byte[] SseBytes(IEnumerable<string> payloads) => Encoding.UTF8.GetBytes(string.Concat(payloads.Select(p => "data: " + p + "\n\n")));

    /// <summary>Two parallel tool calls after some text, as vLLM streams them.</summary>
    internal static IEnumerable<string> ParallelToolChunks()
    {
        const string head = "{\"id\":\"chatcmpl-p\",\"object\":\"chat.completion.chunk\",\"created\":1767225600,\"model\":\"m\"";
        yield return head + ""","choices":[{"index":0,"delta":{"role":"assistant","content":"Checking "},"logprobs":null,"finish_reason":null}]}""";
        yield return head + ""","choices":[{"index":0,"delta":{"content":"both."},"logprobs":null,"finish_reason":null}]}""";
        yield return head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","type":"function","function":{"name":"get_weather","arguments":""}}]},"logprobs":null,"finish_reason":null}]}""";
        yield return head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"{\"city\":"}}]},"logprobs":null,"finish_reason":null}]}""";
        yield return head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":0,"function":{"arguments":"\"Paris\"}"}}]},"logprobs":null,"finish_reason":null}]}""";
        yield return head + ""","choices":[{"index":0,"delta":{"tool_calls":[{"index":1,"id":"call_2","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Rome\"}"}}]},"logprobs":null,"finish_reason":null}]}""";
        yield return head + ""","choices":[{"index":0,"delta":{},"logprobs":null,"finish_reason":"tool_calls"}]}""";
        yield return head + ""","choices":[],"usage":{"prompt_tokens":20,"completion_tokens":9,"total_tokens":29,"prompt_tokens_details":{"cached_tokens":4}}}""";
        yield return "[DONE]";
    }

    /// <summary>Feeds SSE bytes (in the given pieces) through the SSE reader and the translator, as the gateway does.</summary>
    internal static async Task<string> TranslateStreamAsync(byte[] sse, IEnumerable<int> cuts, CancellationToken cancellationToken)
    {
        using var reader = new SseEventReader(new ChunkedStream(sse, cuts));
        var translator = new StreamPair("msg_1", "claude-alias", 12, ["END"]);
        var output = new ArrayBufferWriter<byte>();
        while (await reader.ReadAsync(cancellationToken) is { } evt)
        {
            if (evt.Data.Span.SequenceEqual("[DONE]"u8))
            {
                translator.Finish(output);
            }
            else
            {
                Assert.True(translator.Translate(evt.Data, output));
            }
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    internal static List<(string Name, string Data)> Events(string stream) =>
        [.. stream.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e =>
        {
            var lines = e.Split('\n');
            Assert.StartsWith("event: ", lines[0], StringComparison.Ordinal);
            Assert.StartsWith("data: ", lines[1], StringComparison.Ordinal);
            return (lines[0][7..], lines[1][6..]);
        })];

    [Fact]
    public async Task Stream_Text_ExactEventSequenceAndEveryEventConforms()
    {
        var text = await TranslateStreamAsync(SseBytes(OpenAIWire.TextChunks("m", "Hello there, world", includeUsage: true)), [], Ct);

        var events = Events(text);
        Assert.Equal(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        Assert.Equal("Hello there, world", string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["text"]!.GetValue<string>())));
        var delta = JsonNode.Parse(events[^2].Data)!;
        Assert.Equal("end_turn", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(OpenAIWire.CompletionTokens, delta["usage"]!["output_tokens"]!.GetValue<int>());
        Assert.Equal(OpenAIWire.PromptTokens - OpenAIWire.CachedTokens, delta["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(OpenAIWire.CachedTokens, delta["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
        var schemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (name, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Equal(name, JsonNode.Parse(data)!["type"]!.GetValue<string>());
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }
    }

    [Fact]
    public async Task Stream_ParallelToolCalls_OneToolUseBlockEachWithInputJsonDeltas()
    {
        var text = await TranslateStreamAsync(SseBytes(ParallelToolChunks()), [], Ct);

        var events = Events(text);
        Assert.Equal(
            ["message_start", "ping",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_stop",
             "message_delta", "message_stop"],
            events.Select(e => e.Name));
        var starts = events.Where(e => e.Name == "content_block_start").Select(e => JsonNode.Parse(e.Data)!).ToList();
        Assert.Equal([0, 1, 2], starts.Select(s => s["index"]!.GetValue<int>()));
        Assert.Equal("call_1", starts[1]["content_block"]!["id"]!.GetValue<string>());
        Assert.Equal("call_2", starts[2]["content_block"]!["id"]!.GetValue<string>());
        string Json(int index) => string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!)
            .Where(d => d["index"]!.GetValue<int>() == index).Select(d => d["delta"]!["partial_json"]!.GetValue<string>()));
        Assert.Equal("""{"city":"Paris"}""", Json(1));
        Assert.Equal("""{"city":"Rome"}""", Json(2));
        var delta = JsonNode.Parse(events[^2].Data)!;
        Assert.Equal("tool_use", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(16, delta["usage"]!["input_tokens"]!.GetValue<int>());
        var schemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (_, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }
    }

    [Fact]
    public async Task Stream_SplitAtEveryByteBoundary_SameClientStream()
    {
        foreach (var payloads in new[] { ParallelToolChunks(), OpenAIWire.TextChunks("m", "Grüße, 世界 — ok", includeUsage: true) })
        {
            var sse = SseBytes(payloads);
            var reference = await TranslateStreamAsync(sse, [], Ct);
            Assert.Equal(reference, await TranslateStreamAsync(sse, Enumerable.Range(1, sse.Length - 1), Ct));
            for (var cut = 1; cut < sse.Length; cut++)
            {
                var translated = await TranslateStreamAsync(sse, [cut], Ct);
                Assert.True(reference == translated, $"split at byte {cut} changed the client stream");
            }
        }
    }

    [Fact]
    public void Stream_NoUsageFromUpstream_FinishesWithEstimate()
    {
        var translator = new StreamPair("msg_1", "m", 12, []);
        var output = new ArrayBufferWriter<byte>();
        foreach (var chunk in OpenAIWire.TextChunks("m", "abcdefgh", includeUsage: false).Where(c => c != "[DONE]"))
        {
            translator.Translate(Encoding.UTF8.GetBytes(chunk), output);
        }

        translator.Finish(output);
        translator.Finish(output);

        var events = Events(Encoding.UTF8.GetString(output.WrittenSpan));
        Assert.Single(events, e => e.Name == "message_stop");
        var usage = JsonNode.Parse(events[^2].Data)!["usage"]!;
        Assert.Equal(12, usage["input_tokens"]!.GetValue<int>());
        Assert.Equal(2, usage["output_tokens"]!.GetValue<int>());
    }

    /// <summary>
    /// The pair the gateway uses for an Anthropic client of an OpenAI-format stream: the upstream decoder
    /// (<see cref="OpenAIChunkDecoder"/>, in ReplyTranslation's TranslatingStream) feeding the Anthropic egress's writer.
    /// </summary>
    private sealed class StreamPair(string messageId, string model, int estimatedInputTokens, IReadOnlyList<string> stops)
    {
        private readonly OpenAIChunkDecoder _decoder = new(stops);
        private readonly AnthropicStreamWriter _writer = new(messageId, model, estimatedInputTokens);
        private readonly List<StreamDelta> _deltas = [];

        public bool Translate(ReadOnlyMemory<byte> chunk, IBufferWriter<byte> output)
        {
            _deltas.Clear();
            if (_writer.Finished || !_decoder.Decode(chunk, _deltas))
            {
                return _writer.Finished;
            }

            foreach (var delta in _deltas)
            {
                _writer.Write(delta, output);
            }

            return true;
        }

        public void Finish(IBufferWriter<byte> output) => _writer.Finish(output);
    }
}
