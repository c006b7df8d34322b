using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Switchyard.Core.Execute;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Http;

/// <summary>
/// The HTTP plumbing every adapter shares: the pooled <see cref="SocketsHttpHandler"/> of a connection key (YARP's
/// forwarder client factory pattern; one per key, held by the <see cref="ProviderClientRegistry"/>), with
/// connections reused across requests and recycled so DNS changes are seen; retry-after, failure classification.
/// </summary>
public static class UpstreamHttp
{
    public static HttpMessageInvoker CreateInvoker(ConnectionKey config)
    {
        var handler = new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(60),
            ConnectTimeout = config.ConnectTimeout,
            MaxConnectionsPerServer = config.MaxConnections,
            AutomaticDecompression = DecompressionMethods.All,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
            EnableMultipleHttp2Connections = true,
        };

        // HttpMessageInvoker, not HttpClient: no default headers, no global timeout; each call sets its own.
        return new HttpMessageInvoker(handler, disposeHandler: true);
    }

    /// <summary>Reads <c>retry-after-ms</c>, else <c>retry-after</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfter(HttpResponseMessage response, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.Headers.TryGetValues("retry-after-ms", out var ms) &&
            double.TryParse(ms.FirstOrDefault(), NumberStyles.Float, CultureInfo.InvariantCulture, out var millis) && millis >= 0)
        {
            return TimeSpan.FromMilliseconds(millis);
        }

        var retry = response.Headers.RetryAfter;
        if (retry?.Delta is { } delta)
        {
            return delta;
        }

        if (retry?.Date is { } date)
        {
            var wait = date - time.GetUtcNow();
            return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
        }

        return null;
    }

    /// <summary>Classifies a transport exception as a value (rule 9).</summary>
    public static DispatchStatus Classify(Exception exception, CancellationToken clientToken) => exception switch
    {
        OperationCanceledException when clientToken.IsCancellationRequested => DispatchStatus.ClientCanceled,
        OperationCanceledException => DispatchStatus.Timeout,
        HttpRequestException { InnerException: SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.NetworkUnreachable or SocketError.HostUnreachable } } => DispatchStatus.ConnectFailed,
        HttpRequestException { HttpRequestError: HttpRequestError.ConnectionError or HttpRequestError.NameResolutionError or HttpRequestError.SecureConnectionError } => DispatchStatus.ConnectFailed,
        HttpRequestException or IOException => DispatchStatus.UpstreamError,
        _ => DispatchStatus.UpstreamError,
    };

    public static void AddBearer(HttpRequestMessage message, Secret? key)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (key is not null)
        {
            message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key.Reveal());
        }
    }

    private const int MaxResponseBytes = 64 * 1024 * 1024;

    /// <summary>Maps an upstream error status to a result: 429 rate limited (with its wait), 401/403 our credentials, 400-class the request itself, the rest upstream failures (with a wait when the upstream gave one).</summary>
    public static UpstreamResult MapError(string provider, HttpResponseMessage response, int code, string? message, string? errorCode, string? param, TimeSpan elapsed, TimeProvider time) => code switch
    {
        429 => new UpstreamResult
        {
            Status = DispatchStatus.RateLimited,
            UpstreamStatusCode = code,
            RetryAfter = RetryAfter(response, time),
            SafeMessage = $"The upstream provider '{provider}' is rate limiting requests.",
            ErrorCode = errorCode,
            UpstreamTime = elapsed,
        },
        401 or 403 => UpstreamResult.Failure(DispatchStatus.AuthFailed, code, $"The upstream provider '{provider}' refused the gateway's credentials.", elapsed),
        400 or 409 or 413 or 422 => new UpstreamResult
        {
            Status = DispatchStatus.Rejected,
            UpstreamStatusCode = code,
            SafeMessage = message ?? $"The upstream provider '{provider}' rejected the request.",
            ErrorCode = errorCode,
            ErrorParam = param,
            UpstreamTime = elapsed,
        },
        // A 503 (or any failure) may say when to come back: the client learns it too (docs/resilience.md, "Errors that tell the truth").
        _ => UpstreamResult.Failure(DispatchStatus.UpstreamError, code, $"The upstream provider '{provider}' failed with status {code}.", elapsed, RetryAfter(response, time)),
    };

    public static string FailureMessage(string provider, DispatchStatus status) => status switch
    {
        DispatchStatus.Timeout => $"The upstream provider '{provider}' did not answer in time.",
        DispatchStatus.ConnectFailed => $"The upstream provider '{provider}' could not be reached.",
        DispatchStatus.ClientCanceled => "The client closed the connection.",
        DispatchStatus.InvalidResponse => $"The upstream provider '{provider}' sent an invalid response.",
        _ => $"The connection to the upstream provider '{provider}' failed.",
    };

    /// <summary>Reads a whole reply body, refusing one over 64 MiB (<see cref="InvalidDataException"/>).</summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpContent content, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(content);
        var declared = content.Headers.ContentLength;
        if (declared is > MaxResponseBytes)
        {
            throw new InvalidDataException("Upstream response too large.");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        if (declared is { } length)
        {
            // The common case: read straight into an array of the declared size, no intermediate copy.
            var exact = new byte[length];
            await stream.ReadExactlyAsync(exact, cancellationToken);
            return exact;
        }

        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        while (true)
        {
            var memory = buffer.GetMemory(8192);
            var read = await stream.ReadAsync(memory, cancellationToken);
            if (read == 0)
            {
                break;
            }

            buffer.Advance(read);
            if (buffer.WrittenCount > MaxResponseBytes)
            {
                throw new InvalidDataException("Upstream response too large.");
            }
        }

        return buffer.WrittenSpan.ToArray();
    }
}
