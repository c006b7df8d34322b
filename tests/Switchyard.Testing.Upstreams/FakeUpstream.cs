using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchyard.Testing.Upstreams;

/// <summary>A request the fake upstream received.</summary>
public sealed record ReceivedRequest(string Path, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>The request target exactly as it came on the request line (path still percent-encoded, query).</summary>
    public string RawTarget { get; init; } = "";

    public string Method { get; init; } = "POST";
}

/// <summary>
/// A paid provider's stand-in: real Kestrel on a loopback port, speaking OpenAI's wire format exactly
/// (bodies, SSE chunks, error objects). It records every request so tests can check what the gateway sent.
/// By default it answers like OpenAI: a completion, a stream when asked (with a usage chunk when
/// <c>stream_options.include_usage</c> is set), a tool call when tools are required.
/// </summary>
public sealed class FakeUpstream : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();

    private FakeUpstream(WebApplication app) => _app = app;

    /// <summary>Base URL including <c>/v1</c>, as a provider's <c>base_url</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Replaces the default behaviour.</summary>
    public Func<HttpContext, ReceivedRequest, Task>? Handler { get; set; }

    /// <summary>Text the default behaviour replies with.</summary>
    public string ReplyText { get; set; } = "Hello from the fake upstream.";

    /// <summary>Requests whose connection the gateway aborted while the fake was still answering.</summary>
    public int AbortedCount => Volatile.Read(ref _aborted);

    private int _aborted;

    public static async Task<FakeUpstream> StartAsync(Func<HttpContext, ReceivedRequest, Task>? handler = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeUpstream(app) { Handler = handler };
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake.BaseUrl = address.TrimEnd('/') + "/v1";
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var received = new ReceivedRequest(context.Request.Path.Value ?? "", headers, buffer.ToArray());
        _received.Enqueue(received);
        try
        {
            await (Handler ?? DefaultAsync)(context, received);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
        catch (IOException) when (context.RequestAborted.IsCancellationRequested)
        {
            Interlocked.Increment(ref _aborted);
        }
    }

    private Task DefaultAsync(HttpContext context, ReceivedRequest request)
    {
        if (request.Path.EndsWith("/models", StringComparison.Ordinal) && HttpMethods.IsGet(context.Request.Method))
        {
            // What the gateway's active health probe asks for.
            return WriteJsonAsync(context, """{"object":"list","data":[{"id":"gpt-4o-mini","object":"model","created":1721172741,"owned_by":"system"}]}""");
        }

        if (request.Path.EndsWith("/embeddings", StringComparison.Ordinal))
        {
            return WriteJsonAsync(context, OpenAIWire.Embeddings(request.Json, model: request.Json["model"]!.GetValue<string>()));
        }

        var json = request.Json;
        var model = json["model"]!.GetValue<string>();
        var stream = json["stream"]?.GetValue<bool>() == true;
        var includeUsage = json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var toolChoice = json["tool_choice"];
        var wantsTool = json["tools"] is JsonArray { Count: > 0 } && (toolChoice?.GetValueKind() == JsonValueKind.Object || toolChoice?.ToString() == "required");
        if (wantsTool)
        {
            var tools = (JsonArray)json["tools"]!;
            var name = toolChoice?.GetValueKind() == JsonValueKind.Object ? toolChoice["function"]!["name"]!.GetValue<string>() : tools[0]!["function"]!["name"]!.GetValue<string>();
            return stream
                ? WriteSseAsync(context, OpenAIWire.ToolCallChunks(model, name, "{\"city\":\"Paris\"}", includeUsage))
                : WriteJsonAsync(context, OpenAIWire.ToolCallCompletion(model, name, "{\"city\":\"Paris\"}"));
        }

        var text = json["response_format"]?["type"]?.GetValue<string>() is "json_schema" or "json_object" ? "{\"answer\":\"42\"}" : ReplyText;
        return stream
            ? WriteSseAsync(context, OpenAIWire.TextChunks(model, text, includeUsage))
            : WriteJsonAsync(context, OpenAIWire.Completion(model, text));
    }

    public static async Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>Writes SSE events (each a JSON payload, or <c>[DONE]</c>), flushing each.</summary>
    public static async Task WriteSseAsync(HttpContext context, IEnumerable<string> payloads, TimeSpan? delayBetween = null)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        await context.Response.StartAsync(context.RequestAborted);
        foreach (var payload in payloads)
        {
            await context.Response.WriteAsync("data: " + payload + "\n\n", context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
            if (delayBetween is { } delay)
            {
                await Task.Delay(delay, context.RequestAborted);
            }
        }
    }

    /// <summary>An OpenAI error object with a status (and optional headers such as retry-after).</summary>
    public static Func<HttpContext, ReceivedRequest, Task> Error(int status, string message, string type = "invalid_request_error", string? code = null, params (string Name, string Value)[] headers) =>
        async (context, _) =>
        {
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            await WriteJsonAsync(context, OpenAIWire.Error(message, type, code), status);
        };

    /// <summary>Never answers: waits until the gateway gives up on the request.</summary>
    public static Func<HttpContext, ReceivedRequest, Task> Hang() =>
        static (context, _) => Task.Delay(Timeout.Infinite, context.RequestAborted);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
