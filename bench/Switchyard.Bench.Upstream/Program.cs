using System.Buffers;
using System.Text;

// A fast fake OpenAI upstream for the load script: canned bytes, no delays, no logging. Not a test fake
// (tests/Switchyard.Testing has the exact-wire one); its only job is to cost as little as possible so
// that the figures measure the gateway.
var port = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 5901;
var builder = WebApplication.CreateSlimBuilder();
builder.Logging.ClearProviders();
builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, port));
var app = builder.Build();

var completion = Encoding.UTF8.GetBytes(
    "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench-model\"," +
    "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you today?\",\"refusal\":null}," +
    "\"logprobs\":null,\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":9,\"total_tokens\":28}," +
    "\"system_fingerprint\":\"fp_bench\"}");

var sse = new StringBuilder();
string[] words = ["Hello", "!", " How", " can", " I", " help", "?"];
sse.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
foreach (var w in words)
{
    sse.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\"")
        .Append(w).Append("\"},\"finish_reason\":null}]}\n\n");
}

sse.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n");
sse.Append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"bench-model\",\"choices\":[],\"usage\":{\"prompt_tokens\":19,\"completion_tokens\":9,\"total_tokens\":28}}\n\n");
sse.Append("data: [DONE]\n\n");
var stream = Encoding.UTF8.GetBytes(sse.ToString());

app.MapPost("/v1/chat/completions", async context =>
{
    var streaming = await IsStreamingAsync(context.Request);
    var response = context.Response;
    response.StatusCode = 200;
    if (streaming)
    {
        response.ContentType = "text/event-stream";
        response.Headers.CacheControl = "no-cache";
        await response.Body.WriteAsync(stream);
    }
    else
    {
        response.ContentType = "application/json";
        response.ContentLength = completion.Length;
        await response.Body.WriteAsync(completion);
    }
});

app.MapGet("/health", () => "ok");
await app.RunAsync();

// Reads the whole body (as a real upstream would) and looks for "stream":true without parsing.
static async Task<bool> IsStreamingAsync(HttpRequest request)
{
    while (true)
    {
        var result = await request.BodyReader.ReadAsync();
        var buffer = result.Buffer;
        if (result.IsCompleted)
        {
            var bytes = buffer.IsSingleSegment ? buffer.FirstSpan : buffer.ToArray();
            var found = bytes.IndexOf("\"stream\":true"u8) >= 0 || bytes.IndexOf("\"stream\": true"u8) >= 0;
            request.BodyReader.AdvanceTo(buffer.End);
            return found;
        }

        request.BodyReader.AdvanceTo(buffer.Start, buffer.End);
    }
}
