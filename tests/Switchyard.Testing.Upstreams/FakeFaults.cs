using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing.Upstreams;

/// <summary>A fault a fake upstream can inject, as real providers do them (status, headers, broken connections and streams).</summary>
public enum Fault
{
    None,

    /// <summary>429 with <c>retry-after: 1</c> and <c>retry-after-ms: 50</c>, as OpenAI sends them (the gateway honours the finer one).</summary>
    RateLimitedWithRetryAfter,
    RateLimitedNoRetryAfter,
    Status500,
    Status503,
    Overloaded529,
    ResetBeforeBody,
    ResetMidBody,
    SlowFirstByte,
    StallHalfway,
    TruncatedSse,
    MalformedJson,
}

/// <summary>
/// Scripted fault injection for <see cref="FakeUpstream"/> (the chaos suite): each request gets the fault the script
/// picks for its sequence number, in OpenAI's exact wire format; <see cref="Fault.None"/> answers normally.
/// </summary>
public sealed class FakeFaults
{
    private readonly Func<int, bool, Fault> _script;
    private readonly int[] _injected = new int[Enum.GetValues<Fault>().Length];
    private int _sequence = -1;

    /// <param name="script">Sequence number and whether the request streams → the fault to inject.</param>
    public FakeFaults(Func<int, bool, Fault> script) => _script = script;

    /// <summary>How long a slow first byte (or a stall) waits; longer than the gateway's timeouts in the tests.</summary>
    public TimeSpan Slow { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Extra latency before every healthy answer (keeps latency comparisons relative to a stable base).</summary>
    public TimeSpan HealthyDelay { get; init; }

    public int Injected(Fault fault) => Volatile.Read(ref _injected[(int)fault]);

    /// <summary>A port on loopback where nothing listens: connecting is refused.</summary>
    public static string RefusedBaseUrl()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return $"http://127.0.0.1:{port}/v1";
    }

    public Func<HttpContext, ReceivedRequest, Task> Handler(FakeUpstream upstream) => (context, request) => HandleAsync(upstream, context, request);

    private async Task HandleAsync(FakeUpstream upstream, HttpContext context, ReceivedRequest request)
    {
        var json = request.Json;
        var model = json["model"]!.GetValue<string>();
        var stream = json["stream"]?.GetValue<bool>() == true;
        var includeUsage = json["stream_options"]?["include_usage"]?.GetValue<bool>() == true;
        var fault = _script(Interlocked.Increment(ref _sequence), stream);
        Interlocked.Increment(ref _injected[(int)fault]);
        var aborted = context.RequestAborted;
        var chunks = OpenAIWire.TextChunks(model, upstream.ReplyText, includeUsage).ToList();
        var completion = OpenAIWire.Completion(model, upstream.ReplyText);
        switch (fault)
        {
            case Fault.RateLimitedWithRetryAfter:
                await FakeUpstream.Error(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded", ("retry-after", "1"), ("retry-after-ms", "50"))(context, request);
                return;
            case Fault.RateLimitedNoRetryAfter:
                await FakeUpstream.Error(429, "Rate limit reached for requests.", "requests", "rate_limit_exceeded")(context, request);
                return;
            case Fault.Status500:
                await FakeUpstream.Error(500, "The server had an error while processing your request.", "server_error")(context, request);
                return;
            case Fault.Status503:
                await FakeUpstream.Error(503, "The engine is currently overloaded, please try again later.", "server_error")(context, request);
                return;
            case Fault.Overloaded529:
                await FakeUpstream.Error(529, "Overloaded.", "overloaded_error")(context, request);
                return;
            case Fault.ResetBeforeBody:
                context.Abort();
                return;
            case Fault.SlowFirstByte:
                await Task.Delay(Slow, aborted);
                break;
            case Fault.MalformedJson:
                if (stream)
                {
                    await FakeUpstream.WriteSseAsync(context, ["{\"id\":\"chatcmpl-x\",\"choices\":[{\"delta\":"]);
                }
                else
                {
                    await FakeUpstream.WriteJsonAsync(context, "{\"id\":\"chatcmpl-x\",\"choices\":[{\"mess");
                }

                return;
            case Fault.ResetMidBody:
                await WriteFirstHalfAsync(context, stream, chunks, completion);
                context.Abort();
                return;
            case Fault.StallHalfway:
                await WriteFirstHalfAsync(context, stream, chunks, completion);
                await Task.Delay(Slow, aborted);
                context.Abort();
                return;
            case Fault.TruncatedSse:
                if (stream)
                {
                    // Two chunks, then a clean end of the body without finish_reason or [DONE].
                    await FakeUpstream.WriteSseAsync(context, chunks.Take(2));
                }
                else
                {
                    await FakeUpstream.WriteJsonAsync(context, completion[..(completion.Length / 2)]);
                }

                return;
            default:
                break;
        }

        if (HealthyDelay > TimeSpan.Zero)
        {
            await Task.Delay(HealthyDelay, aborted);
        }

        if (stream)
        {
            await FakeUpstream.WriteSseAsync(context, chunks);
        }
        else
        {
            await FakeUpstream.WriteJsonAsync(context, completion);
        }
    }

    /// <summary>Two chunks of a stream, or the first half of a body whose Content-Length promises all of it.</summary>
    private static async Task WriteFirstHalfAsync(HttpContext context, bool stream, List<string> chunks, string completion)
    {
        if (stream)
        {
            await FakeUpstream.WriteSseAsync(context, chunks.Take(2));
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = completion.Length;
        await context.Response.WriteAsync(completion[..(completion.Length / 2)], context.RequestAborted);
        await context.Response.Body.FlushAsync(context.RequestAborted);
    }

    /// <summary>True when a request body carries <paramref name="marker"/> in its messages.</summary>
    public static bool Carries(ReceivedRequest request, string marker) =>
        request.Json["messages"] is JsonArray messages && messages.ToJsonString().Contains(marker, StringComparison.Ordinal);
}
