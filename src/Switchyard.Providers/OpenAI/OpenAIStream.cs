using Switchyard.Canonical;
using Switchyard.Execution;
using Switchyard.Providers.Http;
using Switchyard.Providers.Sse;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// An OpenAI-format SSE stream from an upstream, read event by event. Each chunk is scanned as it passes
/// for usage and generated-text size; nothing is buffered beyond the current event. A gap between events
/// longer than the idle timeout ends the stream as a timeout.
/// </summary>
internal sealed class OpenAIStream : IUpstreamStream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly SseEventReader _reader;
    private readonly TimeSpan _idleTimeout;
    private readonly CancellationTokenSource _idle;
    private readonly CancellationTokenRegistration _clientRegistration;
    private readonly CancellationToken _clientToken;
    private bool _done;
    private bool _sawFinish;

    private OpenAIStream(HttpResponseMessage response, Stream body, TimeSpan idleTimeout, TimeProvider time, CancellationToken clientToken)
    {
        _response = response;
        _body = body;
        _reader = new SseEventReader(body);
        _idleTimeout = idleTimeout;
        _idle = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        _clientToken = clientToken;
        _clientRegistration = clientToken.UnsafeRegister(static s => ((CancellationTokenSource)s!).Cancel(), _idle);
    }

    public static async Task<OpenAIStream> OpenAsync(HttpResponseMessage response, TimeSpan idleTimeout, TimeProvider time, CancellationToken clientToken)
    {
        var body = await response.Content.ReadAsStreamAsync(clientToken);
        return new OpenAIStream(response, body, idleTimeout, time, clientToken);
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

            Failure = _reader.End == SseEnd.TooLarge ? DispatchStatus.InvalidResponse : DispatchStatus.UpstreamError;
            return false;
        }

        var data = evt.Data;
        if (data.Span.SequenceEqual("[DONE]"u8))
        {
            _done = true;
            Current = new StreamEvent(data, IsDone: true, IsUsageOnly: false, 0);
            return true;
        }

        if (!OpenAIUsageReader.TryScan(data.Span, out var scan) || scan.IsError)
        {
            Failure = DispatchStatus.InvalidResponse;
            return false;
        }

        if (scan.Usage is { } usage)
        {
            Usage = usage;
        }

        _sawFinish |= scan.HasFinishReason;
        ContentChars += scan.ContentChars;
        Current = new StreamEvent(data, IsDone: false, IsUsageOnly: scan.ChoicesEmpty && scan.Usage is not null, scan.ContentChars);
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
