using Microsoft.Extensions.Options;
using Switchyard.Endpoints;
using Switchyard.Ledger;

namespace Switchyard.Hosting;

/// <summary>Builds the gateway's web application from <see cref="GatewayOptions"/>.</summary>
internal static partial class GatewayHost
{
    /// <summary>Builds the app; throws <see cref="Configuration.ConfigException"/> when the configuration is invalid.</summary>
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
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o =>
        {
            o.SingleLine = true;
            o.TimestampFormat = "HH:mm:ss ";
        });
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Information);

        builder.Services
            .AddSwitchyard(options)
            .AddOpenAIProvider()
            .AddAnthropicProvider()
            .AddGeminiProvider()
            .AddSimulatedProvider()
            .AddStore(store);
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
        app.MapFallback(static context => WriteErrorAsync(context, 404, $"Unknown request URL: {context.Request.Method} {context.Request.Path}.", "unknown_url"));
        return app;
    }

    /// <summary>Errors outside an endpoint still answer in the client's format: Anthropic's under /v1/messages, OpenAI's elsewhere.</summary>
    private static Task WriteErrorAsync(HttpContext context, int status, string message, string code) =>
        context.Request.Path.StartsWithSegments("/v1/messages", StringComparison.Ordinal)
            ? Pipeline.AnthropicEgress.WriteErrorAsync(context.Response, status, message, null)
            : Pipeline.OpenAIEgress.WriteErrorAsync(context.Response, status, message, null, code);

    private static partial class Log
    {
        [LoggerMessage(Telemetry.EventIds.Unhandled, LogLevel.Error, "Unhandled error while serving {Path}.")]
        public static partial void Unhandled(ILogger logger, Exception exception, string path);
    }
}
