using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Translation;

/// <summary>
/// OpenAI and Anthropic clients through the real gateway to Amazon Bedrock's Converse API on a fake that recomputes
/// the SigV4 signature of every request: the request sent (golden), the reply each client gets (checked against its
/// format's schema), usage and cache tokens, streams, guardrails, throttling, and the web-identity credential flow.
/// </summary>
public sealed class BedrockPairsTests : CloudGateway
{
    private const string Weather = """{"type":"function","function":{"name":"get_weather","description":"Weather of a city","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}""";

    [Fact]
    public async Task OpenAIClient_ToBedrock_GoldenSignedRequestAndConformingReply()
    {
        using var client = App.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json($$$$$"""
            {"model":"bedrock-claude","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":[{"type":"text","text":"Weather?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo="}}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"21C"},{"role":"user","content":"And now?"}],
             "tools":[{{{{{Weather}}}}}],"tool_choice":{"type":"function","function":{"name":"get_weather"}},"stop":["END"],"temperature":0.5,"top_p":0.9,"max_tokens":64}
            """), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var sent = Assert.Single(Bedrock.Received);
        // The model id's ':' travels percent-encoded, and was signed encoded once more.
        Assert.Equal("/model/anthropic.claude-3-5-haiku-20241022-v1%3A0/converse", sent.RawTarget);
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=" + FakeBedrockUpstream.AccessKeyId + "/", sent.Headers["authorization"], StringComparison.Ordinal);
        AssertAllCredentialsVerified();
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Weather?"},{"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]},""" +
            """{"role":"assistant","content":[{"toolUse":{"toolUseId":"call_1","name":"get_weather","input":{"city":"Paris"}}}]},""" +
            """{"role":"user","content":[{"toolResult":{"toolUseId":"call_1","content":[{"text":"21C"}]}},{"text":"And now?"}]}],""" +
            "\"system\":[{\"text\":\"Be brief.\"}],\"inferenceConfig\":{\"maxTokens\":64,\"temperature\":0.5,\"topP\":0.9,\"stopSequences\":[\"END\"]}," +
            "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"description\":\"Weather of a city\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}}}}]," +
            "\"toolChoice\":{\"tool\":{\"name\":\"get_weather\"}}}}",
            sent.Text);
        Assert.Null((await OpenAISchemas.LoadAsync(Ct)).Describe(OpenAISchemas.CreateChatCompletionResponse, body));
        var choice = JsonNode.Parse(body)!["choices"]![0]!;
        Assert.Equal("tool_calls", choice["finish_reason"]!.GetValue<string>());
        Assert.Equal("tooluse_fake_1", choice["message"]!["tool_calls"]![0]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", choice["message"]!["tool_calls"]![0]!["function"]!["arguments"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAIClient_ToBedrock_UsageAndCacheTokensExact()
    {
        using var client = App.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var reply = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!;
        Assert.Equal("Hello from Bedrock.", reply["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        Assert.Equal("stop", reply["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var usage = reply["usage"]!;
        // Converse's inputTokens exclude cache reads and writes, as Anthropic's do; OpenAI's prompt_tokens count all three.
        Assert.Equal(FakeBedrockUpstream.InputTokens + FakeBedrockUpstream.CacheReadTokens + FakeBedrockUpstream.CacheWriteTokens, usage["prompt_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.CacheReadTokens, usage["prompt_tokens_details"]!["cached_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.OutputTokens, usage["completion_tokens"]!.GetValue<int>());
        Assert.Null(Bedrock.Received[0].Json["inferenceConfig"]);
        await App.StopAsync();
        var record = await App.Ledger.FindAsync(response.Headers.GetValues("x-request-id").Single(), Ct);
        Assert.NotNull(record);
        Assert.Equal(new Core.Model.Usage(FakeBedrockUpstream.InputTokens + FakeBedrockUpstream.CacheReadTokens, FakeBedrockUpstream.OutputTokens,
            FakeBedrockUpstream.CacheReadTokens, FakeBedrockUpstream.CacheWriteTokens), record.Usage);
        // Bedrock's own price row for Claude 3.5 Haiku: $0.80/M input, $0.08/M cache read, $1/M cache write, $4/M output.
        // 9 × 0.8 + 2 × 0.08 + 1 × 1 + 5 × 4 = 7.2 + 0.16 + 1 + 20 = 28.36 µ$.
        Assert.Equal(0.00002836m, record.CostUsd);
        Assert.StartsWith("catalog:amazon-bedrock/anthropic.claude-3-5-haiku-20241022-v1-0@2026-07-24", record.PriceVersion, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnthropicClient_ToBedrock_GoldenRequestAndConformingMessage()
    {
        using var client = AnthropicClient();
        using var response = await client.PostAsync("/v1/messages", Json("""
            {"model":"bedrock-claude","max_tokens":50,"system":"Be brief.","top_k":40,"messages":[{"role":"user","content":"Weather?"},
             {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
             {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"{\"temp\":21}","is_error":true}]}],
             "tools":[{"name":"get_weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}]}
            """), Ct);

        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(
            """{"messages":[{"role":"user","content":[{"text":"Weather?"}]},{"role":"assistant","content":[{"toolUse":{"toolUseId":"toolu_1","name":"get_weather","input":{"city":"Paris"}}}]},""" +
            """{"role":"user","content":[{"toolResult":{"toolUseId":"toolu_1","content":[{"json":{"temp":21}}],"status":"error"}}]}],""" +
            "\"system\":[{\"text\":\"Be brief.\"}],\"inferenceConfig\":{\"maxTokens\":50}," +
            "\"toolConfig\":{\"tools\":[{\"toolSpec\":{\"name\":\"get_weather\",\"inputSchema\":{\"json\":{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}}}}}}]}," +
            "\"additionalModelRequestFields\":{\"top_k\":40}}",
            Bedrock.Received[0].Text);
        Assert.Null((await AnthropicSchemas.LoadAsync(Ct)).Describe(AnthropicSchemas.Message, body));
        var message = JsonNode.Parse(body)!;
        Assert.Equal("Hello from Bedrock.", message["content"]![0]!["text"]!.GetValue<string>());
        Assert.Equal(FakeBedrockUpstream.InputTokens, message["usage"]!["input_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.CacheReadTokens, message["usage"]!["cache_read_input_tokens"]!.GetValue<int>());
        Assert.Equal(FakeBedrockUpstream.CacheWriteTokens, message["usage"]!["cache_creation_input_tokens"]!.GetValue<int>());
        AssertAllCredentialsVerified();
    }

    [Fact]
    public async Task BothClients_ToBedrock_StreamsTranslatedFromTheEventStream()
    {
        using var openAI = App.CreateClient();
        using var anthropic = AnthropicClient();
        using var tools = await openAI.PostAsync("/v1/chat/completions", Json($$$$$"""{"model":"bedrock-claude","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":"Weather?"}],"tools":[{{{{{Weather}}}}}],"tool_choice":"required"}"""), Ct);
        using var text = await anthropic.PostAsync("/v1/messages", Json("""{"model":"bedrock-claude","max_tokens":50,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        var chunks = SseEvents(await tools.Content.ReadAsStringAsync(Ct));
        Assert.Equal("[DONE]", chunks[^1].Data);
        var schemas = await OpenAISchemas.LoadAsync(Ct);
        foreach (var (_, data) in chunks.SkipLast(1))
        {
            Assert.Null(schemas.Describe(OpenAISchemas.CreateChatCompletionStreamResponse, data));
        }

        var parsed = chunks.SkipLast(1).Select(c => JsonNode.Parse(c.Data)!).ToList();
        var calls = parsed.Where(c => c["choices"]!.AsArray().Count > 0).Select(c => c["choices"]![0]!["delta"]!["tool_calls"]).Where(t => t is not null).ToList();
        Assert.Equal("tooluse_fake_1", calls[0]![0]!["id"]!.GetValue<string>());
        Assert.Equal("""{"city":"Paris"}""", string.Concat(calls.Select(t => t![0]!["function"]!["arguments"]?.GetValue<string>())));
        Assert.Equal(FakeBedrockUpstream.OutputTokens, parsed[^1]["usage"]!["completion_tokens"]!.GetValue<int>());
        Assert.EndsWith("/converse-stream", Bedrock.Received[0].Path, StringComparison.Ordinal);

        var events = SseEvents(await text.Content.ReadAsStringAsync(Ct));
        Assert.Equal(["message_start", "ping", "content_block_start", "content_block_delta", "content_block_delta", "content_block_stop", "message_delta", "message_stop"], events.Select(e => e.Name));
        var anthropicSchemas = await AnthropicSchemas.LoadAsync(Ct);
        foreach (var (_, data) in events.Where(e => e.Name != "ping"))
        {
            Assert.Null(anthropicSchemas.Describe(AnthropicSchemas.RawMessageStreamEvent, data));
        }

        Assert.Equal("Hello from Bedrock.", string.Concat(events.Where(e => e.Name == "content_block_delta").Select(e => JsonNode.Parse(e.Data)!["delta"]!["text"]!.GetValue<string>())));
        AssertAllCredentialsVerified();
    }

    [Fact]
    public async Task OpenAIClient_ToBedrock_JsonSchemaAsOutputConfig()
    {
        using var client = App.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Answer?"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer","schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"]}}}}"""), Ct);

        Assert.Equal("""{"answer":"42"}""", JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["message"]!["content"]!.GetValue<string>());
        var format = Bedrock.Received[0].Json["outputConfig"]!["textFormat"]!;
        Assert.Equal("json_schema", format["type"]!.GetValue<string>());
        Assert.Equal("answer", format["structure"]!["jsonSchema"]!["name"]!.GetValue<string>());
        // Converse takes the schema as a string holding JSON.
        Assert.Equal("answer", JsonNode.Parse(format["structure"]!["jsonSchema"]!["schema"]!.GetValue<string>())!["required"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task BothClients_ToBedrock_GuardrailIntervened_ContentFilterAndRefusal()
    {
        Bedrock.StopReason = "guardrail_intervened";
        using var openAI = App.CreateClient();
        using var anthropic = AnthropicClient();

        using var chat = await openAI.PostAsync("/v1/chat/completions", Json("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var message = await anthropic.PostAsync("/v1/messages", Json("""{"model":"bedrock-claude","max_tokens":20,"stream":true,"messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal("content_filter", JsonNode.Parse(await chat.Content.ReadAsStringAsync(Ct))!["choices"]![0]!["finish_reason"]!.GetValue<string>());
        var delta = SseEvents(await message.Content.ReadAsStringAsync(Ct)).Single(e => e.Name == "message_delta");
        Assert.Equal("refusal", JsonNode.Parse(delta.Data)!["delta"]!["stop_reason"]!.GetValue<string>());
    }

    [Fact]
    public async Task OpenAIClient_BedrockThrottling_429ForTheClient()
    {
        Bedrock.Handler = async (context, _) =>
        {
            context.Response.StatusCode = 429;
            context.Response.Headers["x-amzn-ErrorType"] = "ThrottlingException:http://internal.amazon.com/coral/com.amazon.bedrock/";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("""{"message":"Too many requests, please wait before trying again."}""", context.RequestAborted);
        };
        using var client = App.CreateClient();

        using var response = await client.PostAsync("/v1/chat/completions", Json("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Hi"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.True(response.Headers.Contains("retry-after"));
        AssertAllCredentialsVerified();
    }

    [Fact]
    public async Task OpenAIClient_WebIdentity_TemporaryKeysFromStsCachedAcrossRequests()
    {
        using var client = App.CreateClient();

        using var first = await client.PostAsync("/v1/chat/completions", Json("""{"model":"bedrock-irsa","messages":[{"role":"user","content":"Hi"}]}"""), Ct);
        using var second = await client.PostAsync("/v1/chat/completions", Json("""{"model":"bedrock-irsa","messages":[{"role":"user","content":"Again"}]}"""), Ct);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Equal(1, Bedrock.StsCalls);
        var signed = Bedrock.Received.Where(r => r.Path.StartsWith("/model/", StringComparison.Ordinal)).ToList();
        Assert.Equal(2, signed.Count);
        Assert.All(signed, r => Assert.StartsWith("AWS4-HMAC-SHA256 Credential=ASIAFAKE", r.Headers["authorization"], StringComparison.Ordinal));
        Assert.Equal("/model/eu.anthropic.claude-3-7-sonnet-20250219-v1%3A0/converse", signed[0].RawTarget);
        AssertAllCredentialsVerified();
    }

    [Theory]
    [InlineData("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Hi"}],"n":2,"stream":true}""", "n")]
    [InlineData("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Hi"}],"tools":[{"type":"function","function":{"name":"f","parameters":{"type":"object"}}}],"tool_choice":"none"}""", "tool_choice")]
    [InlineData("""{"model":"bedrock-claude","messages":[{"role":"user","content":"Hi"}],"response_format":{"type":"json_object"}}""", "response_format")]
    [InlineData("""{"model":"bedrock-claude","messages":[{"role":"user","content":[{"type":"image_url","image_url":{"url":"https://example.com/a.png"}}]}]}""", "messages")]
    public async Task OpenAIClient_FieldConverseCannotCarry_400NamingIt(string json, string param)
    {
        using var client = App.CreateClient();
        using var response = await client.PostAsync("/v1/chat/completions", Json(json), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["error"]!;
        Assert.StartsWith(param + ":", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("a Bedrock (Converse) upstream", error["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(Bedrock.Received);
    }
}
