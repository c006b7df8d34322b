using Microsoft.Extensions.Options;
using Switchyard.Admin;
using Switchyard.Core.Ledger;
using Switchyard.Dashboard;
using Switchyard.Endpoints;
using Switchyard.Hosting;
using Switchyard.Ledger;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Composition;

/// <summary>Builds the gateway's web application from <see cref="GatewayOptions"/>.</summary>
internal static partial class GatewayHost
{
    /// <summary>Builds the app; throws <see cref="Core.Snapshot.ConfigException"/> when the configuration is invalid.</summary>
    public static async Task<WebApplication> BuildAsync(GatewayOptions options, CancellationToken cancellationToken = default)
    {
        var store = StoreSelection.Resolve(options);
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // The gateway enforces its own (reloadable) body limit with an OpenAI-format 413.
            kestrel.Limits.MaxRequestBodySize = null;
        });
        if (InlineScheduling(options))
        {
            // Opt-in (docs/configuration.md, "Process knobs"): Kestrel runs request code on the socket's I/O thread
            // instead of queueing it to the thread pool, one hop less per request; a handler that blocks then stalls
            // every connection of that I/O thread. Kestrel's transport only, never the process-wide
            // DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS (which stalled upstream streams, bench/README.md).
            builder.WebHost.UseSockets(static sockets => sockets.UnsafePreferInlineScheduling = true);
        }

        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // While this category is enabled at any level, ASP.NET Core starts an Activity and a logging scope for every
        // request (two async-local writes, a trace id, the scope's strings), for request start/finish logs that are
        // Information and so never written. Off, a request pays neither; errors are logged by our own middleware and Kestrel.
        builder.Logging.AddFilter("Microsoft.AspNetCore.Hosting.Diagnostics", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Information);

        builder.Services
            .AddSwitchyard(options)
            .AddOpenAIProvider()
            .AddAnthropicProvider()
            .AddGeminiProvider()
            .AddCloudProviders()
            .AddSimulatedProvider()
            .AddStore(store);
        builder.Services.AddConsole(options, ConsoleConfigOf(options));
        options.ConfigureServices?.Invoke(builder.Services);

        var app = builder.Build();
        var table = app.Services.GetRequiredService<SwitchyardConfiguration>().LoadInitial();
        app.Services.GetRequiredService<IOptions<HostOptions>>().Value.ShutdownTimeout = table.Server.DrainTimeout;
        await app.Services.GetRequiredService<ILedgerStore>().InitializeAsync(cancellationToken);
        // Stored keys are in memory before the first request is accepted.
        await app.Services.GetRequiredService<Gate.TenantDirectory>().RefreshAsync(cancellationToken);

        app.Use(static async (context, next) =>
        {
            // Last line of defence: a bug answers 500 in the client's format, never a stack trace or a bare status.
            try
            {
                await next(context);
                if (context.Response.StatusCode >= 400 && !context.Response.HasStarted)
                {
                    // A status with no body (routing's 405, a bare NotFound): still an error in the client's format.
                    await WriteErrorAsync(context, context.Response.StatusCode, BodylessMessage(context), context.Response.StatusCode == 405 ? "method_not_allowed" : "unknown_url");
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !context.RequestAborted.IsCancellationRequested)
            {
                Log.Unhandled(context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Switchyard.Unhandled"), ex, context.Request.Path.Value ?? "");
                await WriteErrorAsync(context, 500, "The gateway failed to process the request.", "internal_error");
            }
        });
        app.MapHealthApi();
        app.MapOpenAIApi();
        app.MapAnthropicApi();
        app.MapAdminApi();
        app.MapTenancyAdminApi();
        app.MapAdminApiV1();
        app.MapDashboard();
        // No fallback endpoint: routing answers an unknown URL 404 and a known one asked with another method 405 (with
        // Allow), and the middleware above writes either in the client's format.
        return app;
    }

    /// <summary>The <c>console</c> section, read once at start-up (the configuration's own load reports its errors right after).</summary>
    private static Core.Snapshot.ConsoleConfig ConsoleConfigOf(GatewayOptions options)
    {
        var (config, errors) = Core.Snapshot.ConfigLoader.LoadFile(options.ConfigPath);
        return errors.Count == 0 ? config.Console : new Core.Snapshot.ConsoleConfig();
    }

    /// <summary>The environment variable that turns on Kestrel's inline scheduling (<c>1</c> or <c>true</c>; anything else leaves it off).</summary>
    public const string InlineSchedulingVariable = "SWITCHYARD_KESTREL_INLINE_SCHEDULING";

    internal static bool InlineScheduling(GatewayOptions options) =>
        options.Environment(InlineSchedulingVariable)?.Trim() is { } value && (value == "1" || value.Equals("true", StringComparison.OrdinalIgnoreCase));

    private static string BodylessMessage(HttpContext context) => context.Response.StatusCode switch
    {
        405 => $"Method {context.Request.Method} is not allowed on {context.Request.Path} (allowed: {context.Response.Headers.Allow}).",
        404 => $"Unknown request URL: {context.Request.Method} {context.Request.Path}.",
        _ => $"The request {context.Request.Method} {context.Request.Path} failed.",
    };

    /// <summary>
    /// Errors outside an endpoint still answer in the client's format: Anthropic's under /v1/messages (with the request's id,
    /// the one already in <c>x-request-id</c> when the pipeline had started, as every Anthropic error carries), OpenAI's elsewhere.
    /// </summary>
    private static Task WriteErrorAsync(HttpContext context, int status, string message, string code)
    {
        if (!context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal))
        {
            return OpenAIClientFormat.WriteErrorAsync(new HttpResponseSink(context.Response), status, message, null, code).AsTask();
        }

        var requestId = context.Response.Headers["x-request-id"].ToString();
        if (requestId.Length == 0 && !context.Response.HasStarted)
        {
            requestId = Pipeline.RequestSequencer.NewRequestId();
            context.Response.Headers["x-request-id"] = requestId;
        }

        return AnthropicClientFormat.WriteErrorAsync(new HttpResponseSink(context.Response), status, message, requestId).AsTask();
    }

    private static partial class Log
    {
        [LoggerMessage(Telemetry.EventIds.Unhandled, LogLevel.Error, "Unhandled error while serving {Path}.")]
        public static partial void Unhandled(ILogger logger, Exception exception, string path);
    }
}
