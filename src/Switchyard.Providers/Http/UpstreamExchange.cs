using Switchyard.Core.Execute;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Http;

/// <summary>
/// What one upstream exchange returned, before its format is read: a transport failure, an accepted stream (the
/// response is the caller's to own), or a whole body with its status (the response is the caller's to dispose).
/// </summary>
public readonly record struct UpstreamExchange(UpstreamResult? Failure, HttpResponseMessage? Response, int Code, byte[] Body, TimeSpan Elapsed, bool IsStream = false)
{
    /// <summary>
    /// Sends <paramref name="message"/> under the provider's total timeout (linked to the client's token). A 2xx reply
    /// to a streamed request is returned open (read later under an idle timeout per event); any other reply is read
    /// whole, bounded. Transport failures are values.
    /// </summary>
    public static async ValueTask<UpstreamExchange> SendAsync(HttpMessageInvoker http, HttpRequestMessage message, string provider, TimeSpan timeout, bool stream,
        TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(time);
        var start = time.GetTimestamp();
        // One source per call: the client's token is linked in, the provider timeout is a CancelAfter on it.
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        linked.CancelAfter(timeout);
        HttpResponseMessage response;
        try
        {
            response = await http.SendAsync(message, linked.Token);
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException)
        {
            var status = UpstreamHttp.Classify(ex, cancellationToken);
            return new UpstreamExchange(UpstreamResult.Failure(status, 0, UpstreamHttp.FailureMessage(provider, status), time.GetElapsedTime(start)), null, 0, [], default);
        }

        var code = (int)response.StatusCode;
        if (code is >= 200 and < 300 && stream)
        {
            return new UpstreamExchange(null, response, code, [], time.GetElapsedTime(start), IsStream: true);
        }

        try
        {
            var bytes = await UpstreamHttp.ReadBoundedAsync(response.Content, linked.Token);
            return new UpstreamExchange(null, response, code, bytes, time.GetElapsedTime(start));
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException or IOException or InvalidDataException or EndOfStreamException)
        {
            response.Dispose();
            var status = ex is InvalidDataException ? DispatchStatus.InvalidResponse : ex is EndOfStreamException ? DispatchStatus.UpstreamError : UpstreamHttp.Classify(ex, cancellationToken);
            return new UpstreamExchange(UpstreamResult.Failure(status, code, UpstreamHttp.FailureMessage(provider, status), time.GetElapsedTime(start)), null, code, [], default);
        }
    }
}
