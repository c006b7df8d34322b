using System.Buffers;
using Switchyard.Core.Model;
using Switchyard.Providers.OpenAI;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Turns an OpenAI chat-completion chunk stream into Anthropic's event stream, chunk by chunk: the OpenAI chunk
/// decoder feeding the Anthropic stream writer (the same pair Egress uses for an Anthropic client of an
/// OpenAI-style upstream).
/// </summary>
public sealed class AnthropicStreamTranslator
{
    private readonly OpenAIChunkDecoder _decoder;
    private readonly AnthropicStreamWriter _writer;
    private readonly List<StreamDelta> _deltas = [];

    public AnthropicStreamTranslator(string messageId, string model, int estimatedInputTokens, IReadOnlyList<string> stopSequences)
    {
        _decoder = new OpenAIChunkDecoder(stopSequences);
        _writer = new AnthropicStreamWriter(messageId, model, estimatedInputTokens);
    }

    /// <summary>True once <c>message_stop</c> (or an error event) was written.</summary>
    public bool Finished => _writer.Finished;

    /// <summary>Translates one OpenAI chunk (the SSE <c>data</c>); false when it is not a chunk (nothing written).</summary>
    public bool Translate(ReadOnlyMemory<byte> chunk, IBufferWriter<byte> output)
    {
        if (_writer.Finished)
        {
            return true;
        }

        _deltas.Clear();
        if (!_decoder.Decode(chunk, _deltas))
        {
            return false;
        }

        foreach (var delta in _deltas)
        {
            _writer.Write(delta, output);
        }

        return true;
    }

    public void Finish(IBufferWriter<byte> output) => _writer.Finish(output);

    public void Error(IBufferWriter<byte> output, string type, string message, string? requestId) => _writer.Error(output, type, message, requestId);
}
