using System.Buffers;
using System.Net.Http.Headers;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;
using Switchyard.Providers.Sse;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Http;

/// <summary>
/// What an upstream error body says, in any format: its message (the upstream's own wording about the request), its
/// type or code, the parameter it names, and a wait the body gives instead of a <c>retry-after</c> header.
/// </summary>
public readonly record struct UpstreamErrorBody(string? Message, string? Code, string? Param = null, TimeSpan? RetryAfter = null);

/// <summary>
/// The send/read flow every HTTP adapter shares, written once: a JSON POST carrying the request id and the
/// provider's configured headers, sent under the provider's timeout (<see cref="UpstreamExchange"/>); a 2xx stream
/// opened event by event with the format's scanner; a 2xx body checked to be of the format; any other status mapped
/// to a result from the format's error body and the <c>retry-after</c> headers (<see cref="UpstreamHttp.MapError"/>).
/// Each format says only what differs: where the request goes, its body and credentials, and how its replies read.
/// </summary>
public abstract class HttpProviderAdapter : IProviderAdapter, IDisposable
{
    private static readonly MediaTypeHeaderValue _json = new("application/json");

    private readonly LeasedResource<HttpMessageInvoker> _connection;

    protected HttpProviderAdapter(ProviderSettings settings, TimeProvider time, ProviderClientRegistry? clients)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(time);
        Settings = settings;
        Time = time;
        Clients = clients ?? new ProviderClientRegistry();
        ConnectionKey = ConnectionKey.Of(settings.Config);
        _connection = new LeasedResource<HttpMessageInvoker>(Clients, ConnectionKey, ProviderClientRegistry.CreateConnection(ConnectionKey));
    }

    protected ProviderSettings Settings { get; }

    protected TimeProvider Time { get; }

    /// <summary>Where the provider's pooled connections (and shared credential sources) are leased.</summary>
    protected ProviderClientRegistry Clients { get; }

    /// <summary>The key of the handler this provider's calls go through.</summary>
    public ConnectionKey ConnectionKey { get; }

    /// <summary>
    /// A credential source shared across snapshots while <see cref="CredentialKey"/> is unchanged: built by
    /// <paramref name="create"/> once, held by this adapter until it is disposed; calls lease it with <see cref="LeasedResource{T}.Rent"/>.
    /// </summary>
    protected LeasedResource<T> ShareCredential<T>(Func<T> create)
        where T : class, IDisposable
    {
        ArgumentNullException.ThrowIfNull(create);
        return ShareCredential(() => { var value = create(); return (value, (Action)value.Dispose); });
    }

    /// <summary>As <see cref="ShareCredential{T}(Func{T})"/>, for a source that says itself how it is disposed.</summary>
    protected LeasedResource<T> ShareCredential<T>(Func<(T Value, Action Dispose)> create)
        where T : class =>
        new(Clients, CredentialKey.Of(Settings), create);

    /// <summary>A lease on this provider's handler for a credential source that calls out itself (AWS STS).</summary>
    protected SharedLease<HttpMessageInvoker> LeaseConnection() => _connection.Rent();

    public string ProviderName => Settings.Config.Name;

    public abstract ApiFormat WireFormat { get; }

    public bool IsSimulated => false;

    public abstract string? CannotCarry(CanonicalRequest request);

    public ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var request = call.Request;
        return request.N is > 1 and var n && FansOutChoices && !request.Stream && request.Operation == Operation.ChatCompletion && request.ClientFormat != WireFormat
            ? FanOutAsync(call, n, cancellationToken)
            : SendOnceAsync(call, cancellationToken);
    }

    /// <summary>
    /// True for formats with one choice per call (Anthropic, Converse): a request for <c>n</c> &gt; 1 choices (not
    /// streamed) is sent <c>n</c> times at once and the replies merged, in order, with their usage summed.
    /// </summary>
    protected virtual bool FansOutChoices => false;

    private async ValueTask<UpstreamResult> FanOutAsync(UpstreamCall call, int n, CancellationToken cancellationToken)
    {
        var calls = new Task<UpstreamResult>[n];
        for (var i = 0; i < n; i++)
        {
            calls[i] = SendOnceAsync(call, cancellationToken).AsTask();
        }

        var results = await Task.WhenAll(calls);
        // All or nothing: the client asked for n choices; a failed call fails the attempt (resilience may retry it whole).
        if (results.FirstOrDefault(r => !r.IsSuccess) is { } failed)
        {
            return failed;
        }

        if (results.Any(r => r.Response is null))
        {
            return UpstreamResult.Failure(DispatchStatus.InvalidResponse, results[0].UpstreamStatusCode, "The upstream response could not be translated.", results.Max(r => r.UpstreamTime));
        }

        Usage? usage = null;
        foreach (var result in results)
        {
            if ((result.Usage ?? result.Response!.Usage) is not { } part)
            {
                usage = null;
                break;
            }

            var sum = usage ?? default;
            usage = new Usage(sum.InputTokens + part.InputTokens, sum.OutputTokens + part.OutputTokens, sum.CachedInputTokens + part.CachedInputTokens, sum.CacheWriteTokens + part.CacheWriteTokens);
        }

        return new UpstreamResult
        {
            Status = DispatchStatus.Success,
            UpstreamStatusCode = results[0].UpstreamStatusCode,
            Response = results[0].Response! with { Usage = usage, Alternatives = [.. results.Skip(1).Select(r => r.Response!)] },
            Usage = usage,
            UpstreamTime = results.Max(r => r.UpstreamTime),
        };
    }

    private async ValueTask<UpstreamResult> SendOnceAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var config = Settings.Config;
        var body = new ArrayBufferWriter<byte>(request.RawBody.Length + 256);
        var uri = WriteRequest(call, body);
        using var message = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ReadOnlyMemoryContent(body.WrittenMemory) };
        message.Content.Headers.ContentType = _json;
        message.Headers.TryAddWithoutValidation("x-request-id", call.RequestId);
        foreach (var (name, value) in config.Headers)
        {
            message.Headers.TryAddWithoutValidation(name, value);
        }

        var start = Time.GetTimestamp();
        if (await AuthorizeAsync(message, body.WrittenMemory, cancellationToken) is { } unauthorized)
        {
            return UpstreamResult.Failure(DispatchStatus.AuthFailed, 0, $"The gateway could not obtain credentials for the upstream provider '{ProviderName}' ({unauthorized}).", Time.GetElapsedTime(start));
        }

        // The call holds the handler until its reply is read (a stream: until the stream is disposed), so a reload that
        // retires the handler cannot dispose it under the call.
        var connection = _connection.Rent();
        var streamed = false;
        try
        {
            var exchange = await UpstreamExchange.SendAsync(connection.Value, message, ProviderName, config.RequestTimeout, request.Stream, Time, cancellationToken);
            var result = exchange.Failure ?? await ReadReplyAsync(exchange, call, connection, cancellationToken);
            // A stream owns the lease from here and releases it when the relay disposes it.
            streamed = result.Stream is not null;
            return result;
        }
        finally
        {
            if (!streamed)
            {
                connection.Dispose();
            }
        }
    }

    private async ValueTask<UpstreamResult> ReadReplyAsync(UpstreamExchange exchange, UpstreamCall call, IDisposable connection, CancellationToken cancellationToken)
    {
        var request = call.Request;
        var code = exchange.Code;
        if (code is >= 400 && ErrorAsReply(code, exchange.Body, call) is { } replacement)
        {
            // The format says this error is a reply (Azure's content filter): it goes on as the 200 the upstream would
            // have sent, streamed or whole, so every client format gets it in its own terms.
            exchange.Response?.Dispose();
            exchange = exchange with
            {
                Code = 200,
                Body = replacement,
                IsStream = request.Stream,
                Response = new HttpResponseMessage(System.Net.HttpStatusCode.OK) { Content = new ByteArrayContent(replacement) },
            };
            code = 200;
        }

        if (exchange.IsStream)
        {
            // The stream is read under the client's token plus an idle timeout per event, not the total timeout.
            var stream = new LeasedStream(await OpenStreamAsync(exchange.Response!, cancellationToken), connection);
            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = code, Stream = stream, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        using var response = exchange.Response!;
        if (code is >= 200 and < 300 && RewriteReply(exchange.Body, call) is var rewritten && !ReferenceEquals(rewritten, exchange.Body))
        {
            if (rewritten is null)
            {
                return UpstreamResult.Failure(DispatchStatus.InvalidResponse, code, $"The upstream provider '{ProviderName}' answered with a body that is not its format's reply.", exchange.Elapsed);
            }

            exchange = exchange with { Body = rewritten };
        }

        if (code is >= 200 and < 300)
        {
            // A 200 that is not the format's reply (a proxy's page, another API's body) must not reach the client as
            // a success: it becomes a 502 and the next candidate is tried.
            if (CheckReply(exchange.Body, request, out var usage) is { } problem)
            {
                return UpstreamResult.Failure(DispatchStatus.InvalidResponse, code, problem, exchange.Elapsed);
            }

            return ReplyTranslation.ForClient(new UpstreamResult { Status = DispatchStatus.Success, UpstreamStatusCode = code, Body = exchange.Body, Usage = usage, UpstreamTime = exchange.Elapsed },
                request, WireFormat, call.RequestId);
        }

        var error = ReadError(response, exchange.Body);
        var result = UpstreamHttp.MapError(ProviderName, response, code, error.Message, error.Code, error.Param, exchange.Elapsed, Time);
        // A format may give the wait in its body (Gemini's RetryInfo) rather than a header; a header wins.
        return result.RetryAfter is null && error.RetryAfter is not null
            ? new UpstreamResult
            {
                Status = result.Status,
                UpstreamStatusCode = result.UpstreamStatusCode,
                RetryAfter = error.RetryAfter,
                SafeMessage = result.SafeMessage,
                ErrorCode = result.ErrorCode,
                ErrorParam = result.ErrorParam,
                UpstreamTime = result.UpstreamTime,
            }
            : result;
    }

    /// <summary>Writes the request body for <paramref name="call"/> into <paramref name="body"/> and returns where it goes.</summary>
    protected abstract Uri WriteRequest(UpstreamCall call, IBufferWriter<byte> body);

    /// <summary>Adds the provider's key in the header its format reads.</summary>
    protected abstract void AddCredentials(HttpRequestMessage message);

    /// <summary>
    /// Authenticates the finished request (every header set, <paramref name="body"/> final): by default the key of
    /// <see cref="AddCredentials"/>; cloud adapters fetch a cached token or sign the request. Null when done, else why
    /// credentials could not be had (no secret in it): the attempt then fails as <see cref="DispatchStatus.AuthFailed"/>.
    /// </summary>
    protected virtual ValueTask<string?> AuthorizeAsync(HttpRequestMessage message, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        AddCredentials(message);
        return ValueTask.FromResult<string?>(null);
    }

    /// <summary>Opens an accepted stream: server-sent events read by the format's scanner, unless the format frames its stream otherwise.</summary>
    protected virtual async ValueTask<IUpstreamStream> OpenStreamAsync(HttpResponseMessage response, CancellationToken cancellationToken) =>
        await UpstreamSseStream.OpenAsync(response, CreateEventScanner(), Settings.Config.RequestTimeout, Time, cancellationToken);

    /// <summary>The scanner for one stream of this format (usage, end of stream, error events).</summary>
    protected abstract IEventScanner CreateEventScanner();

    /// <summary>Null when a 2xx body is a reply of this format (with its usage when read), else why it is not.</summary>
    protected abstract string? CheckReply(byte[] body, CanonicalRequest request, out Usage? usage);

    /// <summary>What an error body of this format says; empty when it cannot be read.</summary>
    protected abstract UpstreamErrorBody ReadError(byte[] body);

    /// <summary>
    /// A whole 2xx reply as the client's format has it, when the adapter translates it itself (Gemini's embeddings
    /// become OpenAI's list); the same array when nothing changes, null when the body is not the format's reply.
    /// </summary>
    protected virtual byte[]? RewriteReply(byte[] body, UpstreamCall call) => body;

    /// <summary>
    /// A 2xx body (server-sent events when the request streams) to use instead of an error reply that is in truth an
    /// answer (Azure's content filter refusing a prompt); null for a real error.
    /// </summary>
    protected virtual byte[]? ErrorAsReply(int code, byte[] body, UpstreamCall call) => null;

    /// <summary>What an error reply says, when a format also puts it in headers (Bedrock's <c>x-amzn-ErrorType</c>).</summary>
    protected virtual UpstreamErrorBody ReadError(HttpResponseMessage response, byte[] body) => ReadError(body);

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
        if (disposing)
        {
            _connection.Dispose();
        }
    }
}
