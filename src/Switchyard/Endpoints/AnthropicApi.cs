using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Gate;
using Switchyard.Hosting;
using Switchyard.Pipeline;
using Switchyard.Providers.Anthropic;
using Switchyard.Providers.Clients;
namespace Switchyard.Endpoints;

/// <summary>
/// The Anthropic-compatible data plane: <c>POST /v1/messages</c> (through the same pipeline as every request,
/// answered in Anthropic's format) and <c>POST /v1/messages/count_tokens</c> (the gateway's estimate, labelled
/// as one). Keys arrive as <c>x-api-key</c> or a bearer token; <c>anthropic-version</c> and
/// <c>anthropic-beta</c> are accepted and need no translation (beta body fields are refused by name).
/// </summary>
internal static class AnthropicApi
{
    /// <summary>Response header saying the count is the gateway's estimate, not the upstream tokenizer's.</summary>
    public const string EstimateHeader = "x-switchyard-token-count";

    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = HostingJsonContext.MinimalApis)]
    public static IEndpointRouteBuilder MapAnthropicApi(this IEndpointRouteBuilder app)
    {
        var pipeline = app.ServiceProvider.GetRequiredService<RequestSequencer>();
        var anthropic = app.ServiceProvider.GetRequiredService<ClientFormats>().Get(AnthropicClientFormat.FormatName);
        app.MapPost("/v1/messages", (HttpContext context) => pipeline.HandleAsync(context, Operation.ChatCompletion, anthropic));
        app.MapPost("/v1/messages/count_tokens", static (HttpContext context, RouteTableHolder routes, TenantDirectory tenants) => CountTokensAsync(context, routes.Current, tenants));
        return app;
    }

    private static async Task CountTokensAsync(HttpContext context, RouteTable table, TenantDirectory tenants)
    {
        var response = context.Response;
        var sink = new HttpResponseSink(response);
        var requestId = RequestSequencer.NewRequestId();
        response.Headers["x-request-id"] = requestId;
        var (caller, gateError) = GateStage.Authenticate(context.Request, table, tenants);
        if (gateError is not null)
        {
            await AnthropicClientFormat.WriteErrorAsync(sink, gateError.Status, gateError.Message, requestId);
            return;
        }

        RequestBody? body;
        try
        {
            body = await RequestBody.ReadAsync(context.Request, table.Server.MaxRequestBodyBytes, context.RequestAborted);
        }
        catch (Exception ex) when (ex is IOException or BadHttpRequestException or OperationCanceledException)
        {
            if (!context.RequestAborted.IsCancellationRequested)
            {
                await AnthropicClientFormat.WriteErrorAsync(sink, 400, "The request body could not be read.", requestId);
            }

            return;
        }

        if (body is null)
        {
            await AnthropicClientFormat.WriteErrorAsync(sink, 413, $"The request body exceeds the gateway's limit of {table.Server.MaxRequestBodyBytes} bytes.", requestId);
            return;
        }

        using (body)
        {
            var (request, error) = AnthropicRequestParser.ParseCountTokens(body.Memory);
            if (error is not null)
            {
                await AnthropicClientFormat.WriteErrorAsync(sink, error.Status, error.Message, requestId);
                return;
            }

            if (!table.Aliases.ContainsKey(request!.Model) && !table.Models.ContainsKey(request.Model))
            {
                await AnthropicClientFormat.WriteErrorAsync(sink, 404, $"The model '{request.Model}' does not exist or you do not have access to it.", requestId);
                return;
            }

            if (!caller!.MayUse(request.Model))
            {
                await AnthropicClientFormat.WriteErrorAsync(sink, 403, $"This key may not use the model '{request.Model}'.", requestId);
                return;
            }

            var buffer = new ArrayBufferWriter<byte>(32);
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteNumber("input_tokens"u8, Inspector.EstimateInputTokens(request));
                w.WriteEndObject();
            }

            response.Headers[EstimateHeader] = "estimate";
            response.ContentType = "application/json";
            response.ContentLength = buffer.WrittenCount;
            await response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted);
        }
    }
}
