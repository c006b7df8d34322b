using System.Buffers;
using System.Text.Json;
using Switchyard.Canonical;
using Switchyard.Inspection;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Turns an OpenAI chat-completion chunk stream into Anthropic's event stream, chunk by chunk, never buffering
/// the reply: <c>message_start</c> and a <c>ping</c> on the first chunk; a text block opened on the first text
/// and a <c>tool_use</c> block per tool call (keyed by the OpenAI tool-call index), each delta passed on as
/// <c>text_delta</c> or <c>input_json_delta</c>; a block is stopped when another one starts; at the end
/// <c>message_delta</c> with the stop reason and usage, then <c>message_stop</c>. Output is deterministic for a
/// given input (ids come from the caller), so a stream split anywhere translates to the same bytes.
/// </summary>
public sealed class AnthropicStreamTranslator
{
    private const int None = -1;

    private readonly string _messageId;
    private readonly string _model;
    private readonly int _estimatedInputTokens;
    private readonly IReadOnlyList<string> _stops;
    private readonly Dictionary<int, int> _toolBlocks = [];
    private bool _started;
    private int _nextBlock;
    private int _openBlock = None;
    private bool _openIsText;
    private string? _finishReason;
    private string? _matchedStop;
    private bool _refused;
    private Usage? _usage;
    private int _contentChars;

    public AnthropicStreamTranslator(string messageId, string model, int estimatedInputTokens, IReadOnlyList<string> stopSequences)
    {
        _messageId = messageId;
        _model = model;
        _estimatedInputTokens = estimatedInputTokens;
        _stops = stopSequences;
    }

    /// <summary>True once <c>message_stop</c> (or an error event) was written.</summary>
    public bool Finished { get; private set; }

    /// <summary>Translates one OpenAI chunk (the SSE <c>data</c>); false when it is not a chunk (nothing written).</summary>
    public bool Translate(ReadOnlyMemory<byte> chunk, IBufferWriter<byte> output)
    {
        if (Finished)
        {
            return true;
        }

        JsonDocument document;
        try
        {
            // The document lives only within this call, so it may read the event's memory in place.
            document = JsonDocument.Parse(chunk);
        }
        catch (JsonException)
        {
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            Start(output, AnthropicWire.String(root, "model"u8));
            if (root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                _usage = AnthropicWire.ReadOpenAIUsage(usage);
            }

            if (!root.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                return true;
            }

            var choice = choices[0];
            if (choice.TryGetProperty("delta"u8, out var delta) && delta.ValueKind == JsonValueKind.Object)
            {
                if (AnthropicWire.String(delta, "content"u8) is { Length: > 0 } text)
                {
                    WriteText(text, output);
                }

                if (AnthropicWire.String(delta, "refusal"u8) is { Length: > 0 } refusal)
                {
                    _refused = true;
                    WriteText(refusal, output);
                }

                if (delta.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
                {
                    foreach (var call in calls.EnumerateArray())
                    {
                        WriteToolCall(call, output);
                    }
                }
            }

            if (AnthropicWire.String(choice, "finish_reason"u8) is { } finish)
            {
                _finishReason = finish;
                _matchedStop = AnthropicWire.String(choice, "stop_reason"u8);
            }
        }

        return true;
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
        var (stopReason, stopSequence) = AnthropicWire.MapFinish(_finishReason, _matchedStop, _stops, _refused);
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

    private void WriteToolCall(JsonElement call, IBufferWriter<byte> output)
    {
        var openAIIndex = call.TryGetProperty("index"u8, out var i) && i.TryGetInt32(out var n) ? n : 0;
        call.TryGetProperty("function"u8, out var function);
        var hasFunction = function.ValueKind == JsonValueKind.Object;
        if (!_toolBlocks.TryGetValue(openAIIndex, out var block))
        {
            CloseOpenBlock(output);
            block = _nextBlock++;
            _toolBlocks[openAIIndex] = block;
            _openBlock = block;
            _openIsText = false;
            var id = AnthropicWire.String(call, "id"u8) is { Length: > 0 } given ? given : AnthropicResponseWriter.ToolId(_messageId, openAIIndex);
            using (var w = Event(output, "content_block_start"u8))
            {
                w.WriteStartObject();
                w.WriteString("type"u8, "content_block_start"u8);
                w.WriteNumber("index"u8, block);
                w.WriteStartObject("content_block"u8);
                w.WriteString("type"u8, "tool_use"u8);
                w.WriteString("id"u8, id);
                w.WriteString("name"u8, hasFunction ? AnthropicWire.String(function, "name"u8) ?? "" : "");
                w.WriteStartObject("input"u8);
                w.WriteEndObject();
                AnthropicResponseWriter.WriteDirectCaller(w);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            EndEvent(output);
        }

        if (hasFunction && AnthropicWire.String(function, "arguments"u8) is { Length: > 0 } arguments)
        {
            _contentChars += arguments.Length;
            WriteDelta(output, block, "input_json_delta"u8, "partial_json"u8, arguments);
        }
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
