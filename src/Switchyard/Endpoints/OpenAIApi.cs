using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Gate;
using Switchyard.Core.Model;
using Switchyard.Core.Route;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Stores;
using Switchyard.Gate;
using Switchyard.Hosting;
using Switchyard.Pipeline;
using Switchyard.Providers.Clients;
using Switchyard.Providers.OpenAI;
namespace Switchyard.Endpoints;

/// <summary>The OpenAI-compatible data plane: chat completions, embeddings, and the model list.</summary>
internal static class OpenAIApi
{
    [System.Diagnostics.CodeAnalysis.UnconditionalSuppressMessage("Trimming", "IL2026", Justification = HostingJsonContext.MinimalApis)]
    public static IEndpointRouteBuilder MapOpenAIApi(this IEndpointRouteBuilder app)
    {
        // The pipeline is a singleton: taken once here, not resolved from the request's service scope on every call.
        var pipeline = app.ServiceProvider.GetRequiredService<RequestSequencer>();
        var openAI = app.ServiceProvider.GetRequiredService<ClientFormats>().Get(OpenAIClientFormat.FormatName);
        app.MapPost("/v1/chat/completions", (HttpContext context) => pipeline.HandleAsync(context, Operation.ChatCompletion, openAI));
        app.MapPost("/v1/embeddings", (HttpContext context) => pipeline.HandleAsync(context, Operation.Embeddings, openAI));
        app.MapGet("/v1/models", static (HttpContext context, RouteTableHolder routes, TenantDirectory tenants) => ListModelsAsync(context, routes.Current, tenants, null));
        app.MapGet("/v1/models/{*model}", static (HttpContext context, RouteTableHolder routes, TenantDirectory tenants, string model) => ListModelsAsync(context, routes.Current, tenants, model));
        return app;
    }

    private static async Task ListModelsAsync(HttpContext context, RouteTable table, TenantDirectory tenants, string? single)
    {
        var response = context.Response;
        var (caller, error) = GateStage.Authenticate(context.Request, table, tenants);
        if (error is not null)
        {
            await OpenAIClientFormat.WriteErrorAsync(new HttpResponseSink(response), error.Status, error.Message, error.Param, error.Code);
            return;
        }

        var entries = Visible(table, caller!).ToList();
        if (single is not null)
        {
            var match = entries.FirstOrDefault(e => e.Id == single);
            if (match.Id is null)
            {
                await OpenAIClientFormat.WriteErrorAsync(new HttpResponseSink(response), 404, $"The model '{single}' does not exist or you do not have access to it.", "model", "model_not_found");
                return;
            }

            entries = [match];
        }

        var buffer = new ArrayBufferWriter<byte>(256 + entries.Count * 96);
        using (var w = new Utf8JsonWriter(buffer))
        {
            if (single is null)
            {
                w.WriteStartObject();
                w.WriteString("object", "list");
                w.WriteStartArray("data");
            }

            foreach (var (id, owner) in entries)
            {
                w.WriteStartObject();
                w.WriteString("id", id);
                w.WriteString("object", "model");
                w.WriteNumber("created", table.CreatedUnixSeconds);
                w.WriteString("owned_by", owner);
                w.WriteEndObject();
            }

            if (single is null)
            {
                w.WriteEndArray();
                w.WriteEndObject();
            }
        }

        response.ContentType = "application/json";
        await response.Body.WriteAsync(buffer.WrittenMemory);
    }

    /// <summary>Aliases and models the caller may use and that have at least one deployment.</summary>
    private static IEnumerable<(string Id, string Owner)> Visible(RouteTable table, Caller caller)
    {
        foreach (var alias in table.Aliases.Values.OrderBy(a => a.Name, StringComparer.Ordinal))
        {
            if (caller.MayUse(alias.Name) && alias.Targets.Any(t => t.Model.Deployments.Count > 0))
            {
                yield return (alias.Name, "switchyard");
            }
        }

        foreach (var model in table.Models.Values.OrderBy(m => m.Name, StringComparer.Ordinal))
        {
            if (caller.MayUse(model.Name) && model.Deployments.Count > 0)
            {
                yield return (model.Name, model.Deployments[0].ProviderName);
            }
        }
    }
}
