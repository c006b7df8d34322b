using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing.Upstreams;

/// <summary>
/// Anthropic's Messages API on loopback (<c>POST /v1/messages</c>), speaking its exact wire format: a <c>Message</c>
/// body, or the named SSE events (<c>message_start</c>, <c>ping</c>, <c>content_block_*</c>, <c>message_delta</c>,
/// <c>message_stop</c>) when <c>stream</c> is set; a tool call when <c>tool_choice</c> is <c>any</c> or <c>tool</c>;
/// the JSON document <c>{"answer":"42"}</c> when <c>output_config.format</c> asks for one; errors as
/// <c>{"type":"error","error":{…}}</c>.
/// </summary>
public sealed class FakeAnthropicUpstream : LoopbackFake
{
    public const int InputTokens = 11;
    public const int OutputTokens = 7;
    public const int CacheReadTokens = 3;
    public const int CacheWriteTokens = 2;

    public string ReplyText { get; set; } = "Hello from Claude.";

    public static async Task<FakeAnthropicUpstream> StartAsync()
    {
        var fake = new FakeAnthropicUpstream();
        await fake.StartAsync("/v1");
        return fake;
    }

    public static Func<HttpContext, ReceivedRequest, Task> Error(int status, string type, string message, params (string Name, string Value)[] headers) => async (context, _) =>
    {
        foreach (var (name, value) in headers)
        {
            context.Response.Headers[name] = value;
        }

        await WriteJsonAsync(context, new JsonObject { ["type"] = "error", ["error"] = new JsonObject { ["type"] = type, ["message"] = message } }.ToJsonString(), status);
    };

    protected override Task DefaultAsync(HttpContext context, ReceivedRequest request) => AnswerAsync(context, request.Json, null, ReplyText);

    /// <summary>Answers a Messages body as Anthropic does (also for Claude on Vertex AI, whose model is in the URL: <paramref name="urlModel"/>).</summary>
    public static async Task AnswerAsync(HttpContext context, JsonNode body, string? urlModel, string replyText)
    {
        var model = urlModel ?? body["model"]?.GetValue<string>() ?? "claude";
        var choice = body["tool_choice"]?["type"]?.GetValue<string>();
        var tool = choice is "any" or "tool" ? (choice == "tool" ? body["tool_choice"]!["name"]!.GetValue<string>() : body["tools"]![0]!["name"]!.GetValue<string>()) : null;
        var text = body["output_config"]?["format"] is not null ? """{"answer":"42"}""" : replyText;
        if (body["stream"]?.GetValue<bool>() == true)
        {
            await WriteEventsAsync(context, StreamEvents(model, tool, text));
            return;
        }

        JsonNode block = tool is null
            ? new JsonObject { ["type"] = "text", ["text"] = text, ["citations"] = null }
            : new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_fake_1", ["name"] = tool, ["input"] = new JsonObject { ["city"] = "Paris" }, ["caller"] = DirectCaller() };
        var message = new JsonObject
        {
            ["id"] = "msg_fake_1",
            ["type"] = "message",
            ["role"] = "assistant",
            ["model"] = model,
            ["content"] = new JsonArray(block),
            ["stop_reason"] = tool is null ? "end_turn" : "tool_use",
            ["stop_sequence"] = null,
            ["usage"] = Usage(OutputTokens),
        };
        await WriteJsonAsync(context, message.ToJsonString());
    }

    /// <summary>Who made a tool call: Anthropic's replies name the caller on every tool_use block (the model itself: <c>direct</c>).</summary>
    private static JsonObject DirectCaller() => new() { ["type"] = "direct" };

    private static JsonObject Usage(int output) => new()
    {
        ["input_tokens"] = InputTokens,
        ["cache_creation_input_tokens"] = CacheWriteTokens,
        ["cache_read_input_tokens"] = CacheReadTokens,
        ["output_tokens"] = output,
    };

    /// <summary>The event stream Anthropic sends for a text reply (two deltas) or a tool call (two argument pieces).</summary>
    public static IEnumerable<string> StreamEvents(string model, string? tool, string text)
    {
        static string E(string name, JsonObject data) => $"event: {name}\ndata: {data.ToJsonString()}\n\n";
        yield return E("message_start", new JsonObject
        {
            ["type"] = "message_start",
            ["message"] = new JsonObject
            {
                ["id"] = "msg_fake_1",
                ["type"] = "message",
                ["role"] = "assistant",
                ["model"] = model,
                ["content"] = new JsonArray(),
                ["stop_reason"] = null,
                ["stop_sequence"] = null,
                ["usage"] = Usage(1),
            },
        });
        yield return "event: ping\ndata: {\"type\": \"ping\"}\n\n";
        if (tool is null)
        {
            yield return E("content_block_start", new JsonObject { ["type"] = "content_block_start", ["index"] = 0, ["content_block"] = new JsonObject { ["type"] = "text", ["text"] = "" } });
            var half = text.Length / 2;
            foreach (var piece in new[] { text[..half], text[half..] })
            {
                yield return E("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "text_delta", ["text"] = piece } });
            }
        }
        else
        {
            yield return E("content_block_start", new JsonObject
            {
                ["type"] = "content_block_start",
                ["index"] = 0,
                ["content_block"] = new JsonObject { ["type"] = "tool_use", ["id"] = "toolu_fake_1", ["name"] = tool, ["input"] = new JsonObject(), ["caller"] = DirectCaller() },
            });
            foreach (var piece in new[] { "{\"city\":", "\"Paris\"}" })
            {
                yield return E("content_block_delta", new JsonObject { ["type"] = "content_block_delta", ["index"] = 0, ["delta"] = new JsonObject { ["type"] = "input_json_delta", ["partial_json"] = piece } });
            }
        }

        yield return E("content_block_stop", new JsonObject { ["type"] = "content_block_stop", ["index"] = 0 });
        yield return E("message_delta", new JsonObject
        {
            ["type"] = "message_delta",
            ["delta"] = new JsonObject { ["stop_reason"] = tool is null ? "end_turn" : "tool_use", ["stop_sequence"] = null },
            ["usage"] = new JsonObject { ["output_tokens"] = OutputTokens },
        });
        yield return E("message_stop", new JsonObject { ["type"] = "message_stop" });
    }
}
