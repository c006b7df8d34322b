using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Execute;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
namespace Switchyard.Providers.Simulated;

/// <summary>The simulated model's stream: OpenAI chunks paced by time to first token and tokens per second.</summary>
internal sealed class SimulatedStream : IUpstreamStream
{
    private static readonly byte[] _done = "[DONE]"u8.ToArray();

    private readonly SimulatedAdapter _owner;
    private readonly SimulatedAdapter.Reply _reply;
    private readonly string _id;
    private readonly long _created;
    private readonly string _model;
    private readonly int _inputTokens;
    private readonly bool _sendUsage;
    private readonly SimulationConfig _sim;
    private readonly ArrayBufferWriter<byte> _buffer = new(512);
    private int _step;

    public SimulatedStream(SimulatedAdapter owner, SimulatedAdapter.Reply reply, string id, long created, string model, int inputTokens, bool sendUsage, SimulationConfig sim)
    {
        _owner = owner;
        _reply = reply;
        _id = id;
        _created = created;
        _model = model;
        _inputTokens = inputTokens;
        _sendUsage = sendUsage;
        _sim = sim;
    }

    public StreamEvent Current { get; private set; }

    public Usage? Usage { get; private set; }

    public int ContentChars { get; private set; }

    public DispatchStatus? Failure => null;

    public async ValueTask<bool> ReadAsync(CancellationToken cancellationToken)
    {
        // Steps: role chunk, one chunk per piece (or one tool-call chunk), finish chunk, usage chunk, [DONE].
        var pieces = _reply.ToolName is null ? _reply.Pieces.Count : 1;
        var step = _step++;
        _buffer.ResetWrittenCount();
        if (step == 0)
        {
            await _owner.DelayAsync(_sim.TimeToFirstToken, cancellationToken);
            Chunk(w =>
            {
                w.WriteString("role", "assistant");
                w.WriteString("content", "");
                w.WriteNull("refusal");
            }, finish: null);
        }
        else if (step <= pieces)
        {
            await _owner.DelayAsync(TimeSpan.FromSeconds(1 / _sim.TokensPerSecond * (_reply.ToolName is null ? 1 : _reply.Tokens)), cancellationToken);
            if (_reply.ToolName is null)
            {
                var piece = _reply.Pieces[step - 1];
                ContentChars += piece.Length;
                Chunk(w => w.WriteString("content", piece), finish: null);
            }
            else
            {
                ContentChars += _reply.ToolArguments!.Length;
                Chunk(w =>
                {
                    w.WriteStartArray("tool_calls");
                    SimulatedAdapter.WriteToolCall(w, _id, _reply, includeIndex: true);
                    w.WriteEndArray();
                }, finish: null);
            }
        }
        else if (step == pieces + 1)
        {
            Chunk(static _ => { }, finish: _reply.ToolName is null ? "stop" : "tool_calls");
        }
        else if (step == pieces + 2 && _sendUsage)
        {
            Usage = new Usage(_inputTokens, _reply.Tokens);
            using (var w = new Utf8JsonWriter(_buffer))
            {
                WriteHeader(w);
                w.WriteStartArray("choices");
                w.WriteEndArray();
                SimulatedAdapter.WriteUsage(w, Usage.Value);
                w.WriteEndObject();
            }

            Current = new StreamEvent(_buffer.WrittenMemory, IsDone: false, IsUsageOnly: true, 0);
            return true;
        }
        else if (step <= pieces + 3)
        {
            Usage ??= new Usage(_inputTokens, _reply.Tokens);
            _step = int.MaxValue;
            Current = new StreamEvent(_done, IsDone: true, IsUsageOnly: false, 0);
            return true;
        }
        else
        {
            return false;
        }

        Current = new StreamEvent(_buffer.WrittenMemory, IsDone: false, IsUsageOnly: false, 0);
        return true;
    }

    private void Chunk(Action<Utf8JsonWriter> delta, string? finish)
    {
        using var w = new Utf8JsonWriter(_buffer);
        WriteHeader(w);
        w.WriteStartArray("choices");
        w.WriteStartObject();
        w.WriteNumber("index", 0);
        w.WriteStartObject("delta");
        delta(w);
        w.WriteEndObject();
        w.WriteNull("logprobs");
        if (finish is null)
        {
            w.WriteNull("finish_reason");
        }
        else
        {
            w.WriteString("finish_reason", finish);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        if (_sendUsage)
        {
            w.WriteNull("usage");
        }

        w.WriteEndObject();
    }

    private void WriteHeader(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteString("id", _id);
        w.WriteString("object", "chat.completion.chunk");
        w.WriteNumber("created", _created);
        w.WriteString("model", _model);
        w.WriteString("system_fingerprint", SimulatedAdapter.Fingerprint);
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
