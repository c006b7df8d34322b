using System.Text;
using Switchyard.Core.Model;
using Switchyard.Providers.OpenAI;
using Xunit;

namespace Switchyard.Providers.Tests.OpenAI;

public sealed class OpenAIUsageReaderTests
{
    private static OpenAIScan Scan(string json)
    {
        Assert.True(OpenAIUsageReader.TryScan(Encoding.UTF8.GetBytes(json), out var scan));
        return scan;
    }

    [Fact]
    public void TryScan_CompletionWithCachedTokens_ReadsUsageAndContent()
    {
        var scan = Scan("""
            {"id":"chatcmpl-1","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"Hello there","refusal":null},"finish_reason":"stop"}],
             "usage":{"prompt_tokens":1200,"completion_tokens":30,"total_tokens":1230,
                      "prompt_tokens_details":{"cached_tokens":1024,"audio_tokens":0},
                      "completion_tokens_details":{"reasoning_tokens":5,"prompt_tokens":999}}}
            """);

        Assert.Equal(new Usage(1200, 30, 1024, 0), scan.Usage);
        Assert.Equal("Hello there".Length, scan.ContentChars);
        Assert.True(scan.HasChoices);
        Assert.False(scan.ChoicesEmpty);
        Assert.True(scan.HasFinishReason);
        Assert.False(scan.IsError);
        Assert.False(scan.HasData);
    }

    [Fact]
    public void TryScan_CacheCreationTokens_ReadAsCacheWrites()
    {
        var scan = Scan("""{"choices":[],"usage":{"prompt_tokens":10,"completion_tokens":2,"cache_creation_input_tokens":7}}""");

        Assert.Equal(new Usage(10, 2, 0, 7), scan.Usage);
    }

    [Fact]
    public void TryScan_UsageNull_NoUsage()
    {
        var scan = Scan("""{"object":"chat.completion.chunk","choices":[{"index":0,"delta":{"content":"Hi"},"finish_reason":null}],"usage":null}""");

        Assert.Null(scan.Usage);
        Assert.Equal(2, scan.ContentChars);
        Assert.False(scan.HasFinishReason);
        Assert.False(scan.ChoicesEmpty);
    }

    [Fact]
    public void TryScan_UsageOnlyChunk_ChoicesEmptyWithUsage()
    {
        var scan = Scan("""{"id":"c","object":"chat.completion.chunk","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":3,"total_tokens":11}}""");

        Assert.True(scan.HasChoices);
        Assert.True(scan.ChoicesEmpty);
        Assert.Equal(new Usage(8, 3), scan.Usage);
        Assert.Equal(0, scan.ContentChars);
    }

    [Fact]
    public void TryScan_ToolCallArgumentsRefusalAndReasoning_AllCounted()
    {
        var scan = Scan("""
            {"choices":[
              {"index":0,"delta":{"tool_calls":[{"index":0,"id":"call_1","function":{"name":"get_weather","arguments":"{\"c\":1}"}}]}},
              {"index":1,"delta":{"refusal":"No.","reasoning_content":"think","content":null},"finish_reason":"tool_calls"}
            ]}
            """);

        // Arguments are counted as their escaped JSON text: {\"c\":1} is 9 bytes on the wire.
        Assert.Equal(9 + 3 + 5, scan.ContentChars);
        Assert.True(scan.HasFinishReason);
        Assert.False(scan.ChoicesEmpty);
        Assert.Null(scan.Usage);
    }

    [Fact]
    public void TryScan_ErrorPayload_IsError()
    {
        var scan = Scan("""{"error":{"message":"Rate limit reached","type":"requests","param":null,"code":"rate_limit_exceeded"}}""");

        Assert.True(scan.IsError);
        Assert.False(scan.HasChoices);
        Assert.Null(scan.Usage);
    }

    [Fact]
    public void TryScan_EmbeddingsResponse_HasDataAndUsage()
    {
        var scan = Scan("""{"object":"list","data":[{"object":"embedding","index":0,"embedding":[0.1,0.2]}],"model":"e","usage":{"prompt_tokens":4,"total_tokens":4}}""");

        Assert.True(scan.HasData);
        Assert.Equal(new Usage(4, 0), scan.Usage);
    }

    [Theory]
    [InlineData("[DONE]")]
    [InlineData("not json")]
    [InlineData("[1,2]")]
    [InlineData("\"text\"")]
    [InlineData("{\"choices\":[")]
    [InlineData("")]
    public void TryScan_NotAJsonObject_ReturnsFalse(string payload)
    {
        Assert.False(OpenAIUsageReader.TryScan(Encoding.UTF8.GetBytes(payload), out _));
    }
}
