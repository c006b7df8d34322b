using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Switchyard.Configuration;
using Switchyard.Execution;

namespace Switchyard.Providers.Http;

/// <summary>
/// One pooled <see cref="SocketsHttpHandler"/> per provider (YARP's forwarder client factory pattern):
/// connections are reused across requests and recycled so DNS changes are seen.
/// </summary>
public static class UpstreamHttp
{
    public static HttpMessageInvoker CreateInvoker(ProviderConfig config)
    {
        ArgumentNullException.ThrowIfNull(config);
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
}
