using System.Globalization;
using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Clients;

/// <summary>The parts every client format's responses share: the error response around a format's envelope, the retry headers, replies and stream starts.</summary>
public static class ClientResponses
{
    /// <summary>
    /// Writes an error response whose body is the format's <paramref name="envelope"/>: the status, the JSON content
    /// type, the retry headers (<see cref="SetRetryAfter"/>, and <c>x-should-retry: false</c> when retrying cannot help,
    /// which the SDKs honour). Nothing once the response has started.
    /// </summary>
    public static async ValueTask WriteErrorAsync(IResponseSink response, int status, TimeSpan? retryAfter, bool shouldRetry, ReadOnlyMemory<byte> envelope)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (response.HasStarted)
        {
            return;
        }

        response.StatusCode = status;
        response.ContentType = "application/json";
        if (retryAfter is { } wait)
        {
            SetRetryAfter(response, wait);
        }

        if (!shouldRetry)
        {
            response.SetHeader("x-should-retry", "false");
        }

        response.ContentLength = envelope.Length;
        await response.BodyWriter.WriteAsync(envelope);
    }

    /// <summary>
    /// The wait a client should honour, in both headers the OpenAI and Anthropic SDKs read: <c>retry-after</c> in whole
    /// seconds (rounded up, at least 1: the HTTP form) and <c>retry-after-ms</c> to the millisecond (rounded up).
    /// </summary>
    public static void SetRetryAfter(IResponseSink response, TimeSpan wait)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.SetHeader("retry-after", Math.Max(1, (long)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture));
        response.SetHeader("retry-after-ms", Math.Max(0, (long)Math.Ceiling(wait.TotalMilliseconds)).ToString(CultureInfo.InvariantCulture));
    }

    /// <summary>Writes a whole JSON reply with status 200.</summary>
    public static async ValueTask<int> WriteJsonAsync(IResponseSink response, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.ContentLength = body.Length;
        await response.BodyWriter.WriteAsync(body, cancellationToken);
        return 200;
    }

    /// <summary>Starts a server-sent event stream: status 200, no caching, no proxy buffering.</summary>
    public static void StartEventStream(IResponseSink response)
    {
        ArgumentNullException.ThrowIfNull(response);
        response.StatusCode = 200;
        response.ContentType = "text/event-stream; charset=utf-8";
        response.SetHeader("cache-control", "no-cache");
        response.SetHeader("x-accel-buffering", "no");
    }

    /// <summary>The status and code a client sees when no candidate succeeded (the gateway's own conventions, OpenAI's codes).</summary>
    public static (int Status, string Code) GatewayStatus(UpstreamResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Status switch
        {
            DispatchStatus.RateLimited => (429, "rate_limit_exceeded"),
            DispatchStatus.Timeout => (504, "upstream_timeout"),
            DispatchStatus.ConnectFailed => (503, "upstream_unavailable"),
            DispatchStatus.Rejected => (result.UpstreamStatusCode is >= 400 and < 500 ? result.UpstreamStatusCode : 400, result.ErrorCode ?? "upstream_rejected"),
            DispatchStatus.AuthFailed => (502, "upstream_auth_failed"),
            DispatchStatus.InvalidResponse => (502, "upstream_invalid_response"),
            _ => (502, "upstream_error"),
        };
    }
}
