using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.OpenAI;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Azure;

/// <summary>Creates adapters for <c>type: azure-openai</c>; takes the registered <see cref="EntraTransport"/>, if any.</summary>
public sealed class AzureOpenAIAdapterFactory(TimeProvider time, EntraTransport? transport = null, ProviderClientRegistry? clients = null) : IProviderAdapterFactory
{
    public string Type => "azure-openai";

    public IProviderAdapter Create(ProviderSettings settings) => new AzureOpenAIAdapter(settings, time, transport, clients);
}

/// <summary>
/// Azure OpenAI: the OpenAI wire format (an OpenAI client's bytes are forwarded with only the model rewritten) on a
/// resource's own host. With <c>api_version</c>, the deployment-style URLs
/// <c>{base_url}/openai/deployments/{deployment}/chat/completions?api-version=…</c> (the deployment is the
/// deployment's <c>upstream_model</c>); without, the version-less <c>{base_url}/openai/v1/chat/completions</c> with the
/// deployment as <c>model</c>. Authenticated by <c>api-key</c> or an Entra ID bearer token (<see cref="EntraToken"/>).
/// Azure's content filter refusing a prompt (a 400 with code <c>content_filter</c>) becomes a reply stopped by the
/// content filter with the filtered categories as its refusal, streamed or whole.
/// </summary>
public sealed class AzureOpenAIAdapter : HttpProviderAdapter
{
    private readonly string _baseUrl;
    private readonly string? _apiVersion;
    private readonly LeasedResource<EntraToken>? _entra;

    public AzureOpenAIAdapter(ProviderSettings settings, TimeProvider time, EntraTransport? transport = null, ProviderClientRegistry? clients = null)
        : base(settings, time, clients)
    {
        try
        {
            var config = settings.Config;
            _baseUrl = (config.BaseUrl ?? throw new ProviderUnavailableException("an azure-openai provider needs its resource's base_url")).ToString().TrimEnd('/');
            _apiVersion = config.ApiVersion;
            _entra = settings.ApiKey is null && config.Auth is { } auth ? ShareCredential(() => EntraToken.Create(settings, auth, time, transport)) : null;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public override ApiFormat WireFormat => ApiFormat.OpenAI;

    /// <summary>The Entra token source, when the provider uses one (for tests of caching).</summary>
    public EntraToken? Entra => _entra?.Current;

    public override string? CannotCarry(CanonicalRequest request) => Refusals.Untranslatable(request, WireFormat);

    protected override Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body)
    {
        OpenAIAdapter.WriteBody(call, Settings.Config, body);
        var operation = call.Request.Operation == Operation.Embeddings ? "embeddings" : "chat/completions";
        return _apiVersion is null
            ? new Uri($"{_baseUrl}/openai/v1/{operation}")
            : new Uri($"{_baseUrl}/openai/deployments/{Uri.EscapeDataString(call.Deployment.UpstreamModel)}/{operation}?api-version={Uri.EscapeDataString(_apiVersion)}");
    }

    protected override void AddCredentials(HttpRequestMessage message)
    {
        if (Settings.ApiKey is { } key)
        {
            message.Headers.TryAddWithoutValidation("api-key", key.Reveal());
        }
    }

    protected override async ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        if (_entra is null)
        {
            AddCredentials(message);
            return null;
        }

        using var entra = _entra.Rent();
        var (token, problem) = await entra.Value.GetAsync(cancellationToken);
        if (token is null)
        {
            return $"Entra ID {entra.Value.Source}: {problem}";
        }

        message.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
        return null;
    }

    protected override IEventScanner CreateEventScanner() => OpenAIEventScanner.Instance;

    protected override string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage) => OpenAIAdapter.CheckBody(body, request, out usage);

    protected override UpstreamErrorBody ReadError(byte[] body)
    {
        var (message, code, param) = OpenAIErrorReader.Read(body);
        return new UpstreamErrorBody(message, code, param);
    }

    /// <summary>
    /// <c>{"error":{"code":"content_filter","innererror":{"code":"ResponsibleAIPolicyViolation","content_filter_result":{"hate":{"filtered":true,…}}}}}</c>:
    /// the prompt was refused by the content filter. The reply is the OpenAI one a filtered answer has: a refusal naming
    /// the filtered categories, finish reason <c>content_filter</c>.
    /// </summary>
    protected override byte[]? ErrorAsReply(int code, byte[] body, UpstreamCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        if (code != 400 || AzureContentFilter.PromptRefusal(body) is not { } refusal)
        {
            return null;
        }

        var id = "chatcmpl-" + (call.RequestId.StartsWith("req_", StringComparison.Ordinal) ? call.RequestId[4..] : call.RequestId);
        var created = Time.GetUtcNow().ToUnixTimeSeconds();
        var output = new ArrayBufferWriter<byte>(512);
        if (!call.Request.Stream)
        {
            OpenAIReplyWriter.Write(new CanonicalResponse { Refusal = refusal, Finish = FinishReason.ContentFilter, FilterReason = refusal }, id, created, call.Deployment.UpstreamModel, output);
            return output.WrittenSpan.ToArray();
        }

        var chunks = new OpenAIChunkWriter(id, created, call.Deployment.UpstreamModel, includeUsage: false);
        chunks.Write(new StreamDelta(StreamDeltaKind.Start, call.Deployment.UpstreamModel), output);
        chunks.Write(new StreamDelta(StreamDeltaKind.Refusal, refusal), output);
        chunks.Write(new StreamDelta(StreamDeltaKind.Finish, Finish: FinishReason.ContentFilter), output);
        chunks.Finish(output);
        return output.WrittenSpan.ToArray();
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _entra?.Dispose();
        }

        base.Dispose(disposing);
    }
}

/// <summary>Reads Azure OpenAI's content-filter results.</summary>
public static class AzureContentFilter
{
    /// <summary>The refusal text of a prompt the content filter refused (<c>error.code</c> <c>content_filter</c>), else null.</summary>
    public static string? PromptRefusal(byte[] body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object || !document.RootElement.TryGetProperty("error"u8, out var error)
                || error.ValueKind != JsonValueKind.Object || !error.TryGetProperty("code"u8, out var code) || code.ValueKind != JsonValueKind.String || code.GetString() != "content_filter")
            {
                return null;
            }

            var categories = new List<string>();
            if (error.TryGetProperty("innererror"u8, out var inner) && inner.ValueKind == JsonValueKind.Object
                && inner.TryGetProperty("content_filter_result"u8, out var results) && results.ValueKind == JsonValueKind.Object)
            {
                foreach (var category in results.EnumerateObject())
                {
                    if (category.Value.ValueKind == JsonValueKind.Object && category.Value.TryGetProperty("filtered"u8, out var filtered) && filtered.ValueKind == JsonValueKind.True)
                    {
                        categories.Add(category.Name);
                    }
                }
            }

            return categories.Count == 0
                ? "The prompt was refused by Azure OpenAI's content filter."
                : $"The prompt was refused by Azure OpenAI's content filter ({string.Join(", ", categories)}).";
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
