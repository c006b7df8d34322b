using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Switchyard.Testing.Upstreams;

/// <summary>Real Kestrel on a loopback port that records every request and answers through a handler (the Anthropic and Gemini fakes).</summary>
public abstract class LoopbackFake : IAsyncDisposable
{
    private readonly ConcurrentQueue<ReceivedRequest> _received = new();
    private WebApplication? _app;

    /// <summary>Base URL of the API version (<c>…/v1</c> or <c>…/v1beta</c>), as a provider's <c>base_url</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedRequest> Received => [.. _received];

    /// <summary>Replaces the default behaviour.</summary>
    public Func<HttpContext, ReceivedRequest, Task>? Handler { get; set; }

    protected async Task StartAsync(string versionPath, System.Security.Cryptography.X509Certificates.X509Certificate2? httpsCertificate = null)
    {
        var builder = WebApplication.CreateSlimBuilder();
        if (httpsCertificate is null)
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
        }
        else
        {
            // Identity services (Entra ID) are HTTPS only, and their clients refuse anything else.
            builder.WebHost.UseKestrelHttpsConfiguration();
            builder.WebHost.ConfigureKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0, o => o.UseHttps(httpsCertificate)));
        }

        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseUrl = address.TrimEnd('/') + versionPath;
    }

    protected abstract Task DefaultAsync(HttpContext context, ReceivedRequest request);

    private int _refused;

    /// <summary>Requests refused for their credentials (signature, token, key).</summary>
    public int Refused => Volatile.Read(ref _refused);

    /// <summary>Why each refused request was refused.</summary>
    public ConcurrentQueue<string> RefusalReasons { get; } = new();

    /// <summary>Checks the request's credentials; on refusal writes the service's error reply and returns why. Default: none required.</summary>
    protected virtual Task<string?> AuthorizeAsync(HttpContext context, ReceivedRequest request) => Task.FromResult<string?>(null);

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
        var received = new ReceivedRequest(context.Request.Path.Value + context.Request.QueryString.Value, headers, buffer.ToArray())
        {
            RawTarget = context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpRequestFeature>()?.RawTarget ?? "",
            Method = context.Request.Method,
        };
        _received.Enqueue(received);
        try
        {
            // A fake of a real service checks the credentials of every request, as the service would.
            if (await AuthorizeAsync(context, received) is { } refusal)
            {
                Interlocked.Increment(ref _refused);
                RefusalReasons.Enqueue(refusal);
                return;
            }

            await (Handler ?? DefaultAsync)(context, received);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
        }
    }

    protected static async Task WriteJsonAsync(HttpContext context, string json, int status = 200)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>Writes SSE events one by one, flushing each.</summary>
    protected static async Task WriteEventsAsync(HttpContext context, IEnumerable<string> events)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        foreach (var e in events)
        {
            await context.Response.WriteAsync(e, context.RequestAborted);
            await context.Response.Body.FlushAsync(context.RequestAborted);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        GC.SuppressFinalize(this);
    }
}
