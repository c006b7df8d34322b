using System.Buffers;
using System.Text.Json;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Writes canonical stream deltas as Anthropic's event stream, delta by delta, never buffering the reply:
/// <c>message_start</c> and a <c>ping</c> first; a text block opened on the first text and a <c>tool_use</c> block
/// per tool call (keyed by the canonical tool-call index), each delta passed on as <c>text_delta</c> or
/// <c>input_json_delta</c>; a block is stopped when another one starts; at the end <c>message_delta</c> with the
/// stop reason and usage, then <c>message_stop</c>. Output is deterministic for a given input (ids come from the
/// caller), so a stream split anywhere translates to the same bytes.
/// </summary>
public sealed class AnthropicStreamWriter
{
    private const int None = -1;

    private readonly string _messageId;
    private readonly string _model;
    private readonly int _estimatedInputTokens;
    private readonly Dictionary<int, int> _toolBlocks = [];
    private bool _started;
    private int _nextBlock;
    private int _openBlock = None;
    private bool _openIsText;
    private FinishReason _finish;
    private string? _matchedStop;
    private bool _refused;
    private Usage? _usage;
    private int _contentChars;

    public AnthropicStreamWriter(string messageId, string model, int estimatedInputTokens)
    {
        _messageId = messageId;
        _model = model;
        _estimatedInputTokens = estimatedInputTokens;
    }

    /// <summary>True once <c>message_stop</c> (or an error event) was written.</summary>
    public bool Finished { get; private set; }

    /// <summary>Writes one canonical delta.</summary>
    public void Write(in StreamDelta delta, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        Start(output, delta.Kind == StreamDeltaKind.Start ? delta.Text : null);
        switch (delta.Kind)
        {
            case StreamDeltaKind.Text when !string.IsNullOrEmpty(delta.Text):
                WriteText(delta.Text, output);
                break;
            case StreamDeltaKind.Refusal when !string.IsNullOrEmpty(delta.Text):
                _refused = true;
                WriteText(delta.Text, output);
                break;
            case StreamDeltaKind.ToolCallStart:
                StartTool(delta.Index, delta.Id, delta.Name, output);
                break;
            case StreamDeltaKind.ToolArguments when !string.IsNullOrEmpty(delta.Text):
                var block = StartTool(delta.Index, null, null, output);
                _contentChars += delta.Text.Length;
                WriteDelta(output, block, "input_json_delta"u8, "partial_json"u8, delta.Text);
                break;
            case StreamDeltaKind.Finish:
                _finish = delta.Finish;
                _matchedStop = delta.MatchedStop;
                break;
            case StreamDeltaKind.Usage:
                _usage = delta.Usage;
                break;
        }
    }

    /// <summary>Ends the message: stops the open block, then <c>message_delta</c> (stop reason, usage) and <c>message_stop</c>.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return;
        }

        Start(output, null);
        CloseOpenBlock(output);
        var (stopReason, stopSequence) = AnthropicWire.StopReason(_finish, _matchedStop, _refused);
        var usage = _usage ?? new Usage(_estimatedInputTokens, Inspector.EstimateTokens(_contentChars), Estimated: true);
        using (var w = Event(output, "message_delta"u8))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_delta"u8);
            w.WriteStartObject("delta"u8);
            w.WriteString("stop_reason"u8, stopReason);
            if (stopSequence is null)
            {
                w.WriteNull("stop_sequence"u8);
            }
            else
            {
                w.WriteString("stop_sequence"u8, stopSequence);
            }

            w.WriteNull("stop_details"u8);
            w.WriteNull("container"u8);
            w.WriteEndObject();
            w.WriteStartObject("usage"u8);
            w.WriteNumber("input_tokens"u8, Math.Max(0, usage.InputTokens - usage.CachedInputTokens));
            w.WriteNumber("output_tokens"u8, usage.OutputTokens);
            w.WriteNumber("cache_creation_input_tokens"u8, usage.CacheWriteTokens);
            w.WriteNumber("cache_read_input_tokens"u8, usage.CachedInputTokens);
            w.WriteNull("output_tokens_details"u8);
            w.WriteNull("server_tool_use"u8);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        EndEvent(output);
        using (var w = Event(output, "message_stop"u8))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_stop"u8);
            w.WriteEndObject();
        }

        EndEvent(output);
        Finished = true;
    }

    /// <summary>A stream that broke after bytes reached the client can only end with an <c>error</c> event.</summary>
    public void Error(IBufferWriter<byte> output, string type, string message, string? requestId)
    {
        if (Finished)
        {
            return;
        }

        Write(output, "event: error\ndata: "u8);
        AnthropicWire.WriteError(output, type, message, requestId);
        EndEvent(output);
        Finished = true;
    }

    /// <summary>Writes <c>message_start</c> once; the model is the one the upstream names (as in a non-streamed reply), else the requested one.</summary>
    private void Start(IBufferWriter<byte> output, string? upstreamModel)
    {
        if (_started)
        {
            return;
        }

        _started = true;
        using (var w = Event(output, "message_start"u8))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "message_start"u8);
            w.WriteStartObject("message"u8);
            w.WriteString("id"u8, _messageId);
            w.WriteString("type"u8, "message"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("model"u8, upstreamModel ?? _model);
            w.WriteStartArray("content"u8);
            w.WriteEndArray();
            w.WriteNull("stop_reason"u8);
            w.WriteNull("stop_sequence"u8);
            w.WriteNull("stop_details"u8);
            w.WriteNull("container"u8);
            w.WriteNull("diagnostics"u8);
            // The upstream reports usage only at the end; message_start carries the gateway's input estimate.
            AnthropicWire.WriteUsage(w, new Usage(_estimatedInputTokens, 0));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        EndEvent(output);
        Write(output, "event: ping\ndata: {\"type\":\"ping\"}\n\n"u8);
    }

    private void WriteText(string text, IBufferWriter<byte> output)
    {
        _contentChars += text.Length;
        if (_openBlock == None || !_openIsText)
        {
            CloseOpenBlock(output);
            _openBlock = _nextBlock++;
            _openIsText = true;
            using (var w = Event(output, "content_block_start"u8))
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "content_block_start"u8);
                w.WriteNumber("index"u8, _openBlock);
                w.WriteStartObject("content_block"u8);
                w.WriteString("type"u8, "text"u8);
                w.WriteString("text"u8, ""u8);
                w.WriteNull("citations"u8);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            EndEvent(output);
        }

        WriteDelta(output, _openBlock, "text_delta"u8, "text"u8, text);
    }

    /// <summary>The block of a tool call, opened (closing the open one) the first time its index is seen.</summary>
    private int StartTool(int toolIndex, string? id, string? name, IBufferWriter<byte> output)
    {
        if (_toolBlocks.TryGetValue(toolIndex, out var block))
        {
            return block;
        }

        CloseOpenBlock(output);
        block = _nextBlock++;
        _toolBlocks[toolIndex] = block;
        _openBlock = block;
        _openIsText = false;
        using (var w = Event(output, "content_block_start"u8))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_start"u8);
            w.WriteNumber("index"u8, block);
            w.WriteStartObject("content_block"u8);
            w.WriteString("type"u8, "tool_use"u8);
            w.WriteString("id"u8, id is { Length: > 0 } ? id : AnthropicResponseWriter.ToolId(_messageId, toolIndex));
            w.WriteString("name"u8, name ?? "");
            w.WriteStartObject("input"u8);
            w.WriteEndObject();
            AnthropicResponseWriter.WriteDirectCaller(w);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        EndEvent(output);
        return block;
    }

    private void CloseOpenBlock(IBufferWriter<byte> output)
    {
        if (_openBlock == None)
        {
            return;
        }

        using (var w = Event(output, "content_block_stop"u8))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_stop"u8);
            w.WriteNumber("index"u8, _openBlock);
            w.WriteEndObject();
        }

        EndEvent(output);
        _openBlock = None;
    }

    private static void WriteDelta(IBufferWriter<byte> output, int index, ReadOnlySpan<byte> deltaType, ReadOnlySpan<byte> field, string value)
    {
        using (var w = Event(output, "content_block_delta"u8))
        {
            w.WriteStartObject();
            w.WriteString("type"u8, "content_block_delta"u8);
            w.WriteNumber("index"u8, index);
            w.WriteStartObject("delta"u8);
            w.WriteString("type"u8, deltaType);
            w.WriteString(field, value);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        EndEvent(output);
    }

    private static Utf8JsonWriter Event(IBufferWriter<byte> output, ReadOnlySpan<byte> name)
    {
        Write(output, "event: "u8);
        Write(output, name);
        Write(output, "\ndata: "u8);
        return new Utf8JsonWriter(output, AnthropicWire.WriterOptions);
    }

    private static void EndEvent(IBufferWriter<byte> output) => Write(output, "\n\n"u8);

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
