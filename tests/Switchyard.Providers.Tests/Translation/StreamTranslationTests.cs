using System.Buffers;
using System.Text;
using System.Text.Json.Nodes;
using Switchyard.Core.Model;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Bedrock;
using Switchyard.Providers.Gemini;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;
using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Providers.Tests.Translation;

/// <summary>
/// Anthropic and Gemini upstream streams, decoded to canonical deltas and written for OpenAI and Anthropic clients,
/// fed with the upstream bytes cut at every boundary (one byte, random chunk sizes, mid-line, mid-UTF-8): the
/// client stream must not change.
/// </summary>
public sealed class StreamTranslationTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static byte[] AnthropicText => Encoding.UTF8.GetBytes(string.Concat(FakeAnthropicUpstream.StreamEvents("claude-sonnet-4-5", null, "Grüße, 世界 — ok")));

    private static byte[] AnthropicTool => Encoding.UTF8.GetBytes(string.Concat(FakeAnthropicUpstream.StreamEvents("claude-sonnet-4-5", "get_weather", "")));

    private static byte[] GeminiText => Encoding.UTF8.GetBytes(FakeGeminiUpstream.Fixture("stream-text.sse"));

    private static byte[] GeminiTool => Encoding.UTF8.GetBytes(FakeGeminiUpstream.Fixture("stream-function-call.sse"));

    private static byte[] BedrockText => [.. FakeBedrockUpstream.StreamFrames(null, "Grüße, 世界 — ok").SelectMany(f => f)];

    private static byte[] BedrockTool => [.. FakeBedrockUpstream.StreamFrames("get_weather", "").SelectMany(f => f)];

    private static IStreamDecoder Decoder(ApiFormat wire) => wire switch
    {
        ApiFormat.Anthropic => new AnthropicEventDecoder(),
        ApiFormat.Bedrock => new ConverseEventDecoder(),
        _ => new GeminiChunkDecoder("call_x_"),
    };

    /// <summary>Reads the bytes in the given pieces, decodes each event, and writes the client's stream, as the gateway does.</summary>
    private static async Task<string> TranslateAsync(byte[] sse, IEnumerable<int> cuts, ApiFormat wire, ApiFormat client)
    {
        using IEventReader reader = wire == ApiFormat.Bedrock ? new EventStreamReader(new ChunkedStream(sse, cuts)) : new SseEventReader(new ChunkedStream(sse, cuts));
        var decoder = Decoder(wire);
        var anthropic = new AnthropicStreamWriter("msg_1", "alias", 12);
        var openAI = new OpenAIChunkWriter("chatcmpl-1", 1767225600, "alias", includeUsage: true);
        var output = new ArrayBufferWriter<byte>();
        var deltas = new List<StreamDelta>();
        while (await reader.ReadAsync(Ct) is { } evt)
        {
            deltas.Clear();
            Assert.True(decoder.Decode(evt.Data, deltas));
            foreach (var delta in deltas)
            {
                if (client == ApiFormat.Anthropic)
                {
                    anthropic.Write(delta, output);
                }
                else
                {
                    openAI.Write(delta, output);
                }
            }
        }

        if (client == ApiFormat.Anthropic)
        {
            anthropic.Finish(output);
        }
        else
        {
            openAI.Finish(output);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static TheoryData<string, ApiFormat, ApiFormat> Streams => new()
    {
        { "anthropic-text", ApiFormat.Anthropic, ApiFormat.OpenAI },
        { "anthropic-tool", ApiFormat.Anthropic, ApiFormat.OpenAI },
        { "gemini-text", ApiFormat.Gemini, ApiFormat.OpenAI },
        { "gemini-text", ApiFormat.Gemini, ApiFormat.Anthropic },
        { "gemini-tool", ApiFormat.Gemini, ApiFormat.OpenAI },
        { "gemini-tool", ApiFormat.Gemini, ApiFormat.Anthropic },
        { "bedrock-text", ApiFormat.Bedrock, ApiFormat.OpenAI },
        { "bedrock-text", ApiFormat.Bedrock, ApiFormat.Anthropic },
        { "bedrock-tool", ApiFormat.Bedrock, ApiFormat.OpenAI },
        { "bedrock-tool", ApiFormat.Bedrock, ApiFormat.Anthropic },
    };

    private static byte[] Bytes(string name) => name switch
    {
        "anthropic-text" => AnthropicText,
        "anthropic-tool" => AnthropicTool,
        "gemini-text" => GeminiText,
        "bedrock-text" => BedrockText,
        "bedrock-tool" => BedrockTool,
        _ => GeminiTool,
    };

    [Theory]
    [MemberData(nameof(Streams))]
    public async Task Stream_SplitAtEveryBoundary_SameClientStream(string name, ApiFormat wire, ApiFormat client)
    {
        var sse = Bytes(name);
        var reference = await TranslateAsync(sse, [], wire, client);

        Assert.Equal(reference, await TranslateAsync(sse, Enumerable.Range(1, sse.Length - 1), wire, client));
        for (var cut = 1; cut < sse.Length; cut++)
        {
            var translated = await TranslateAsync(sse, [cut], wire, client);
            Assert.True(reference == translated, $"split at byte {cut} changed the client stream");
        }

        var random = new Random(42);
        for (var round = 0; round < 20; round++)
        {
            var cuts = Enumerable.Range(0, random.Next(2, 30)).Select(_ => random.Next(1, sse.Length)).Distinct().ToList();
            Assert.Equal(reference, await TranslateAsync(sse, cuts, wire, client));
        }
    }

    [Fact]
    public async Task AnthropicUpstream_ToOpenAIClient_ChunksConformAndCarryEverything()
    {
        var text = await TranslateAsync(AnthropicText, [], ApiFormat.Anthropic, ApiFormat.OpenAI);

        var payloads = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e["data: ".Length..]).ToList();
        Assert.Equal("[DONE]", payloads[^1]);
        var schemas = await OpenAISchemas.LoadAsync(Ct);
        foreach (var payload in payloads.SkipLast(1))
        {
            Assert.Null(schemas.Describe(OpenAISchemas.CreateChatCompletionStreamResponse, payload));
        }

        var chunks = payloads.SkipLast(1).Select(p => JsonNode.Parse(p)!).ToList();
        Assert.Equal("claude-sonnet-4-5", chunks[0]["model"]!.GetValue<string>());
        Assert.Equal("Grüße, 世界 — ok", string.Concat(chunks.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]!["content"]?.GetValue<string>())));
        Assert.Equal("stop", chunks[^2]["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var usage = chunks[^1]["usage"]!;
        Assert.Equal(FakeAnthropicUpstream.InputTokens + FakeAnthropicUpstream.CacheReadTokens + FakeAnthropicUpstream.CacheWriteTokens, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(FakeAnthropicUpstream.OutputTokens, usage["completion_tokens"]!.GetValue<int>());
    }

    [Fact]
    public async Task GeminiUpstream_ToAnthropicClient_ToolUseBlocksWithGeneratedIds()
    {
        var text = await TranslateAsync(GeminiTool, [], ApiFormat.Gemini, ApiFormat.Anthropic);

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('\n')).Select(l => (Name: l[0][7..], Data: l[1][6..])).ToList();
        Assert.Equal(
            ["message_start", "ping", "content_block_start", "content_block_delta", "content_block_stop", "content_block_start", "content_block_delta", "content_block_stop",
             "content_block_start", "content_block_delta", "content_block_stop", "message_delta", "message_stop"],
            events.Select(e => e.Name));
        var schemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (_, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }

        var tools = events.Where(e => e.Name == "content_block_start").Skip(1).Select(e => JsonNode.Parse(e.Data)!["content_block"]!).ToList();
        Assert.Equal(["call_x_0", "call_x_1"], tools.Select(t => t["id"]!.GetValue<string>()));
        Assert.Equal("tool_use", JsonNode.Parse(events[^2].Data)!["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public void AnthropicDecoder_ErrorEvent_IsNotTranslatable()
    {
        var decoder = new AnthropicEventDecoder();

        Assert.False(decoder.Decode(Encoding.UTF8.GetBytes("""{"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}"""), []));
    }

    [Fact]
    public void GeminiDecoder_MalformedFunctionCall_IsNotTranslatable()
    {
        var decoder = new GeminiChunkDecoder("call_x_");

        Assert.False(decoder.Decode(Encoding.UTF8.GetBytes("""{"candidates":[{"content":{"parts":[],"role":"model"},"finishReason":"MALFORMED_FUNCTION_CALL","index":0}]}"""), []));
    }

    [Fact]
    public async Task BedrockUpstream_ToAnthropicClient_ToolUseBlockAndExactUsage()
    {
        var text = await TranslateAsync(BedrockTool, [], ApiFormat.Bedrock, ApiFormat.Anthropic);

        var events = text.Split("\n\n", StringSplitOptions.RemoveEmptyEntries).Select(e => e.Split('\n')).Select(l => (Name: l[0][7..], Data: l[1][6..])).ToList();
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Name));
        var schemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (_, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(schemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }

        Assert.Equal("tooluse_fake_1", JsonNode.Parse(events[2].Data)!["content_block"]!["id"]!.GetValue<string>());
        var delta = JsonNode.Parse(events[^2].Data)!;
        Assert.Equal("tool_use", delta["delta"]!["stop_reason"]!.GetValue<string>());
        Assert.Equal(FakeBedrockUpstream.InputTokens, delta["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.CacheReadTokens, delta["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.CacheWriteTokens, delta["usage"]!["cache_creation_input_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.OutputTokens, delta["usage"]!["output_tokens"]!.GetValue<int>());
    }

    [Fact]
    public void ConverseDecoder_ThrottlingExceptionEvent_IsNotTranslatable()
    {
        var decoder = new ConverseEventDecoder();

        Assert.False(decoder.Decode(Encoding.UTF8.GetBytes("""{"throttlingException":{"message":"Too many requests"}}"""), []));
    }
}
