using Switchyard.Core.Execute;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Upstream;
namespace Switchyard.Pipeline;

/// <summary>
/// The redaction stage (docs/privacy.md): when restricted data may not go where a request is pinned and the policy
/// says <c>redact</c>, the detected restricted and confidential spans are replaced by placeholders — a patch over the
/// text segments the parser recorded (<see cref="RedactionPatch"/>): the body spliced at their offsets, the canonical
/// request's texts replaced, no second parse — and replies get the values back.
/// </summary>
internal static class RedactionStage
{
    /// <summary>Confidential spans go too: left in, they would still keep the request from an external deployment.</summary>
    public const DataClass Threshold = DataClass.Confidential;

    /// <summary>
    /// The redacted request, its placeholders and what stays in it (<see cref="Redaction.Findings"/>), or null when there
    /// is nothing the policy may redact: the redacted request's class without a second scan (<see cref="Inspector.Inspect(CanonicalRequest, Core.Gate.Caller, DataClass?, PrivacyFindings, bool)"/>).
    /// </summary>
    public static Redaction? Patch(CanonicalRequest request, PrivacyPolicy policy) => RedactionPatch.Apply(request, policy, Threshold);

    /// <summary>The outcome with a reply that has the redacted values back: the body restored, or the stream wrapped.</summary>
    public static Outcome Restore(Outcome outcome, ReplyRestorer restorer) => new()
    {
        Result = Restore(outcome.Result, restorer),
        Served = outcome.Served,
        Attempts = outcome.Attempts,
        UpstreamTime = outcome.UpstreamTime,
        StreamPrimed = outcome.StreamPrimed,
        FirstChoice = outcome.FirstChoice,
    };

    private static UpstreamResult Restore(UpstreamResult result, ReplyRestorer restorer) => new()
    {
        Status = result.Status,
        UpstreamStatusCode = result.UpstreamStatusCode,
        RetryAfter = result.RetryAfter,
        SafeMessage = result.SafeMessage,
        ErrorCode = result.ErrorCode,
        ErrorParam = result.ErrorParam,
        Body = result.Stream is null ? restorer.RestoreBody(result.Body) : result.Body,
        Response = result.Response is { } reply ? Restore(reply, restorer) : null,
        Stream = result.Stream is { } stream ? new RestoringStream(stream, restorer) : null,
        Usage = result.Usage,
        UpstreamTime = result.UpstreamTime,
    };

    /// <summary>A reply translated for another client format carries its text in canonical form: restored there.</summary>
    private static CanonicalResponse Restore(CanonicalResponse reply, ReplyRestorer restorer) => reply with
    {
        Text = restorer.RestoreText(reply.Text),
        Refusal = reply.Refusal is { } refusal ? restorer.RestoreText(refusal) : null,
        ToolCalls = [.. reply.ToolCalls.Select(call => call with { ArgumentsJson = restorer.RestoreText(call.ArgumentsJson) })],
    };
}

/// <summary>An upstream stream whose events have the redacted values restored, placeholders split across events included.</summary>
internal sealed class RestoringStream : IUpstreamStream
{
    private readonly IUpstreamStream _inner;
    private readonly ReplyRestorer _restorer;
    private long _reads;
    private long _restoredAt = -1;
    private StreamEvent _current;

    public RestoringStream(IUpstreamStream inner, ReplyRestorer restorer)
    {
        _inner = inner;
        _restorer = restorer;
    }

    public StreamEvent Current
    {
        get
        {
            // Restored once per event: the restorer is stateful (held-back placeholder prefixes).
            if (_restoredAt != _reads)
            {
                var evt = _inner.Current;
                _current = evt.IsDone ? evt
                    : evt.Deltas is { } deltas ? evt with { Deltas = Restore(deltas) }
                    : evt with { Data = _restorer.RestoreEvent(evt.Data) };
                _restoredAt = _reads;
            }

            return _current;
        }
    }

    /// <summary>A translated event's text pieces, each field (text, refusal, a tool call's arguments) restored in sequence.</summary>
    private List<StreamDelta> Restore(IReadOnlyList<StreamDelta> deltas)
    {
        var restored = new List<StreamDelta>(deltas.Count);
        foreach (var delta in deltas)
        {
            restored.Add(delta.Kind switch
            {
                StreamDeltaKind.Text when delta.Text is { } text => delta with { Text = _restorer.RestoreDelta("text", text) },
                StreamDeltaKind.Refusal when delta.Text is { } text => delta with { Text = _restorer.RestoreDelta("refusal", text) },
                StreamDeltaKind.ToolArguments when delta.Text is { } text =>
                    delta with { Text = _restorer.RestoreDelta("arguments:" + delta.Index.ToString(System.Globalization.CultureInfo.InvariantCulture), text) },
                _ => delta,
            });
        }

        return restored;
    }

    public Usage? Usage => _inner.Usage;

    public int ContentChars => _inner.ContentChars;

    public DispatchStatus? Failure => _inner.Failure;

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        var has = await _inner.ReadAsync(cancellationToken);
        _reads++;
        return has;
    }

    public ValueTask DisposeAsync() => _inner.DisposeAsync();
}
