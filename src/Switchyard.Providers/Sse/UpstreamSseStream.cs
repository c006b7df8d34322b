using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Http;

namespace Switchyard.Providers.Sse;

/// <summary>What a format's scanner found in one event, as it passed.</summary>
/// <param name="IsDone">The format's terminator (OpenAI <c>[DONE]</c>, Anthropic <c>message_stop</c>).</param>
/// <param name="IsUsageOnly">The event only carries usage (OpenAI's final usage chunk).</param>
/// <param name="IsFinish">The event carries the finish reason: a clean end after it is a complete stream.</param>
/// <param name="Usage">The usage known so far, when this event reported some.</param>
/// <param name="ContentChars">Characters of generated content in the event.</param>
public readonly record struct ScannedEvent(bool IsDone, bool IsUsageOnly, bool IsFinish, Usage? Usage, int ContentChars);

/// <summary>Scans one format's stream events for accounting (usage, text size, end); one instance per stream.</summary>
public interface IEventScanner
{
    /// <summary>False when the event is not of the format or is an error event: the stream then ends as a failure.</summary>
    bool Scan(in SseEvent evt, out ScannedEvent scanned);
}

/// <summary>
/// An upstream SSE stream, read event by event, whatever the format (its <see cref="IEventScanner"/> decides).
/// Each event is scanned as it passes for usage and generated-text size; nothing is buffered beyond the current
/// event. A gap between events longer than the idle timeout ends the stream as a timeout.
/// </summary>
public sealed class UpstreamSseStream : IUpstreamStream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly IEventReader _reader;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationTokenRegistration _clientRegistration;
    private readonly CancellationToken _clientToken;
    private readonly IEventScanner _scanner;
    private bool _done;
    private bool _sawFinish;

    private UpstreamSseStream(HttpResponseMessage response, Stream body, IEventReader reader, IEventScanner scanner, TimeSpan idleTimeout, TimeProvider time, CancellationToken clientToken)
    {
        _scanner = scanner;
        _response = response;
        _body = body;
        _reader = reader;
        _idleTimeout = idleTimeout;
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _clientToken = clientToken;
        _clientRegistration = clientToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _idle);
    }

    public static async Task<UpstreamSseStream> OpenAsync(HttpResponseMessage response, IEventScanner scanner, TimeSpan idleTimeout, TimeProvider time, CancellationToken clientToken,
        Func<Stream, IEventReader>? reader = null)
    {
        ArgumentNullException.ThrowIfNull(response);
        var body = await response.Content.ReadAsStreamAsync(clientToken);
        return new UpstreamSseStream(response, body, reader?.Invoke(body) ?? new SseEventReader(body), scanner, idleTimeout, time, clientToken);
    }

    public StreamEvent Current { get; private set; }

    public Usage? Usage { get; private set; }

    public int ContentChars { get; private set; }

    public DispatchStatus? Failure { get; private set; }

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        if (_done || Failure is not null)
        {
            return false;
        }

        SseEvent? next;
        try
        {
            _idle.CancelAfter(_idleTimeout);
            next = await _reader.ReadAsync(_idle.Token);
            if (!_idle.TryReset())
            {
                Failure = DispatchStatus.Timeout;
                return false;
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or HttpRequestException)
        {
            if (_clientToken.IsCancellationRequested || cancellationToken.IsCancellationRequested)
            {
                Failure = DispatchStatus.ClientCanceled;
                throw new OperationCanceledException(_clientToken.IsCancellationRequested ? _clientToken : cancellationToken);
            }

            Failure = ex is OperationCanceledException ? DispatchStatus.Timeout : UpstreamHttp.Classify(ex, cancellationToken);
            return false;
        }

        if (next is not { } evt)
        {
            if (_reader.End == SseEnd.Clean && _sawFinish)
            {
                // Some servers end after the finish chunk without [DONE]: a complete stream all the same.
                _done = true;
                Current = new StreamEvent(default, IsDone: true, IsUsageOnly: false, 0);
                return true;
            }

            Failure = _reader.End is SseEnd.TooLarge or SseEnd.Corrupt ? DispatchStatus.InvalidResponse : DispatchStatus.UpstreamError;
            return false;
        }

        if (!_scanner.Scan(evt, out var scan))
        {
            Failure = DispatchStatus.InvalidResponse;
            return false;
        }

        if (scan.Usage is { } usage)
        {
            Usage = usage;
        }

        _done = scan.IsDone;
        _sawFinish |= scan.IsFinish;
        ContentChars += scan.ContentChars;
        Current = new StreamEvent(evt.Data, scan.IsDone, scan.IsUsageOnly, scan.ContentChars) { EventName = evt.EventName };
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await _clientRegistration.DisposeAsync();
        _reader.Dispose();
        await _body.DisposeAsync();
        _response.Dispose();
        _idle.Dispose();
    }
}
