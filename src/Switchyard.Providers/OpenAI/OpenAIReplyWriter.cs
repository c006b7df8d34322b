using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Switchyard.Core.Model;
namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Writes a canonical reply as an OpenAI chat completion, for an OpenAI client served by an upstream of another
/// format: text as <c>content</c>, tool calls with their ids, the finish reason, usage with cached tokens.
/// </summary>
public static class OpenAIReplyWriter
{
    internal static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static string FinishName(FinishReason finish) => finish switch
    {
        FinishReason.Length => "length",
        FinishReason.ToolCalls => "tool_calls",
        FinishReason.ContentFilter => "content_filter",
        _ => "stop",
    };

    public static void Write(CanonicalResponse response, string id, long created, string requestedModel, IBufferWriter<byte> output)
    {
        ArgumentNullException.ThrowIfNull(response);
        using var w = new Utf8JsonWriter(output, Options);
        w.WriteStartObject();
        w.WriteString("id"u8, id);
        w.WriteString("object"u8, "chat.completion"u8);
        w.WriteNumber("created"u8, created);
        w.WriteString("model"u8, response.Model ?? requestedModel);
        w.WriteStartArray("choices"u8);
        WriteChoice(w, response, 0);
        for (var i = 0; i < response.Alternatives.Count; i++)
        {
            WriteChoice(w, response.Alternatives[i], i + 1);
        }

        w.WriteEndArray();
        if (response.Usage is { } usage)
        {
            WriteUsage(w, usage);
        }

        w.WriteEndObject();
    }

    private static void WriteChoice(Utf8JsonWriter w, CanonicalResponse response, int index)
    {
        w.WriteStartObject();
        w.WriteNumber("index"u8, index);
        w.WriteStartObject("message"u8);
        w.WriteString("role"u8, "assistant"u8);
        if (response.Text.Length == 0 && (response.ToolCalls.Count > 0 || response.Refusal is not null))
        {
            w.WriteNull("content"u8);
        }
        else
        {
            w.WriteString("content"u8, response.Text);
        }

        if (response.Refusal is null)
        {
            w.WriteNull("refusal"u8);
        }
        else
        {
            w.WriteString("refusal"u8, response.Refusal);
        }

        if (response.ToolCalls.Count > 0)
        {
            w.WriteStartArray("tool_calls"u8);
            foreach (var call in response.ToolCalls)
            {
                w.WriteStartObject();
                w.WriteString("id"u8, call.Id);
                w.WriteString("type"u8, "function"u8);
                w.WriteStartObject("function"u8);
                w.WriteString("name"u8, call.Name);
                w.WriteString("arguments"u8, call.ArgumentsJson);
                w.WriteEndObject();
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteNull("logprobs"u8);
        w.WriteString("finish_reason"u8, FinishName(response.Finish));
        w.WriteEndObject();
    }

    /// <summary>OpenAI's <c>usage</c>: prompt tokens count every input token, cache writes included; cached reads in the details.</summary>
    internal static void WriteUsage(Utf8JsonWriter w, Usage usage)
    {
        var prompt = usage.InputTokens + usage.CacheWriteTokens;
        w.WriteStartObject("usage"u8);
        w.WriteNumber("prompt_tokens"u8, prompt);
        w.WriteNumber("completion_tokens"u8, usage.OutputTokens);
        w.WriteNumber("total_tokens"u8, prompt + usage.OutputTokens);
        w.WriteStartObject("prompt_tokens_details"u8);
        w.WriteNumber("cached_tokens"u8, usage.CachedInputTokens);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}

/// <summary>
/// Writes canonical stream deltas as OpenAI chat-completion chunks (<c>data: …</c> events), delta by delta: a first
/// chunk with the assistant role, content and tool-call deltas (a tool call's first chunk carries its id and name,
/// later ones argument pieces), a finish chunk, the usage chunk when the client asked for it, and <c>[DONE]</c>.
/// </summary>
public sealed class OpenAIChunkWriter
{
    private readonly string _id;
    private readonly long _created;
    private readonly string _requestedModel;
    private readonly bool _includeUsage;
    private readonly Dictionary<int, int> _toolIndexes = [];
    private string? _model;
    private bool _started;
    private bool _finished;
    private Usage? _usage;

    public OpenAIChunkWriter(string id, long created, string requestedModel, bool includeUsage)
    {
        _id = id;
        _created = created;
        _requestedModel = requestedModel;
        _includeUsage = includeUsage;
    }

    public bool Finished => _finished;

    public void Write(in StreamDelta delta, IBufferWriter<byte> output)
    {
        if (_finished)
        {
            return;
        }

        if (delta.Kind == StreamDeltaKind.Start)
        {
            _model ??= delta.Text;
        }

        if (!_started)
        {
            _started = true;
            using var w = Chunk(output);
            w.WriteStartObject("delta"u8);
            w.WriteString("role"u8, "assistant"u8);
            w.WriteString("content"u8, ""u8);
            w.WriteEndObject();
            EndChunk(w, output, null);
        }

        switch (delta.Kind)
        {
            case StreamDeltaKind.Text or StreamDeltaKind.Refusal when !string.IsNullOrEmpty(delta.Text):
                {
                    using var w = Chunk(output);
                    w.WriteStartObject("delta"u8);
                    w.WriteString(delta.Kind == StreamDeltaKind.Text ? "content"u8 : "refusal"u8, delta.Text);
                    w.WriteEndObject();
                    EndChunk(w, output, null);
                    break;
                }

            case StreamDeltaKind.ToolCallStart:
            case StreamDeltaKind.ToolArguments when !string.IsNullOrEmpty(delta.Text):
                {
                    var isNew = !_toolIndexes.TryGetValue(delta.Index, out var index);
                    if (isNew)
                    {
                        index = _toolIndexes.Count;
                        _toolIndexes[delta.Index] = index;
                    }

                    using var w = Chunk(output);
                    w.WriteStartObject("delta"u8);
                    w.WriteStartArray("tool_calls"u8);
                    w.WriteStartObject();
                    w.WriteNumber("index"u8, index);
                    if (isNew)
                    {
                        w.WriteString("id"u8, delta.Id is { Length: > 0 } id ? id : $"call_{_id}_{index}");
                        w.WriteString("type"u8, "function"u8);
                    }

                    w.WriteStartObject("function"u8);
                    if (isNew)
                    {
                        w.WriteString("name"u8, delta.Name ?? "");
                    }

                    w.WriteString("arguments"u8, delta.Kind == StreamDeltaKind.ToolArguments ? delta.Text : "");
                    w.WriteEndObject();
                    w.WriteEndObject();
                    w.WriteEndArray();
                    w.WriteEndObject();
                    EndChunk(w, output, null);
                    break;
                }

            case StreamDeltaKind.Finish:
                {
                    using var w = Chunk(output);
                    w.WriteStartObject("delta"u8);
                    w.WriteEndObject();
                    EndChunk(w, output, OpenAIReplyWriter.FinishName(delta.Finish));
                    break;
                }

            case StreamDeltaKind.Usage:
                _usage = delta.Usage;
                break;
        }
    }

    /// <summary>The usage chunk (when the client asked and the upstream reported), then <c>[DONE]</c>.</summary>
    public void Finish(IBufferWriter<byte> output)
    {
        if (_finished)
        {
            return;
        }

        _finished = true;
        if (_includeUsage && _usage is { } usage)
        {
            Write(output, "data: "u8);
            using (var w = new Utf8JsonWriter(output, OpenAIReplyWriter.Options))
            {
                w.WriteStartObject();
                Head(w);
                w.WriteStartArray("choices"u8);
                w.WriteEndArray();
                OpenAIReplyWriter.WriteUsage(w, usage);
                w.WriteEndObject();
            }

            Write(output, "\n\n"u8);
        }

        Write(output, "data: [DONE]\n\n"u8);
    }

    private Utf8JsonWriter Chunk(IBufferWriter<byte> output)
    {
        Write(output, "data: "u8);
        var w = new Utf8JsonWriter(output, OpenAIReplyWriter.Options);
        w.WriteStartObject();
        Head(w);
        w.WriteStartArray("choices"u8);
        w.WriteStartObject();
        w.WriteNumber("index"u8, 0);
        return w;
    }

    private static void EndChunk(Utf8JsonWriter w, IBufferWriter<byte> output, string? finish)
    {
        w.WriteNull("logprobs"u8);
        if (finish is null)
        {
            w.WriteNull("finish_reason"u8);
        }
        else
        {
            w.WriteString("finish_reason"u8, finish);
        }

        w.WriteEndObject();
        w.WriteEndArray();
        w.WriteEndObject();
        w.Flush();
        Write(output, "\n\n"u8);
    }

    private void Head(Utf8JsonWriter w)
    {
        w.WriteString("id"u8, _id);
        w.WriteString("object"u8, "chat.completion.chunk"u8);
        w.WriteNumber("created"u8, _created);
        w.WriteString("model"u8, _model ?? _requestedModel);
    }

    private static void Write(IBufferWriter<byte> output, ReadOnlySpan<byte> bytes)
    {
        var span = output.GetSpan(bytes.Length);
        bytes.CopyTo(span);
        output.Advance(bytes.Length);
    }
}
