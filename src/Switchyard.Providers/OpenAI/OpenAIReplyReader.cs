using System.Text.Json;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Reads OpenAI chat completions (and their chunks) into the canonical reply, for clients of another format.
/// A plain <c>stop</c> counts as a stop sequence only when the upstream names the matched sequence (vLLM's
/// <c>stop_reason</c>) and it is one the client sent.
/// </summary>
public static class OpenAIReplyReader
{
    public static bool TryRead(ReadOnlyMemory<byte> body, IReadOnlyList<string> clientStops, out CanonicalResponse? response, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(clientStops);
        response = null;
        problem = null;
        if (!ReplyJson.TryParse(body, out var document))
        {
            problem = "The upstream answered with a body that is not JSON.";
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("choices"u8, out var choices) || choices.ValueKind != JsonValueKind.Array || choices.GetArrayLength() == 0)
            {
                problem = "The upstream answered without a choice.";
                return false;
            }

            var choice = choices[0];
            if (!choice.TryGetProperty("message"u8, out var message) || message.ValueKind != JsonValueKind.Object)
            {
                problem = "The upstream's choice has no message.";
                return false;
            }

            var calls = new List<ToolCall>();
            if (message.TryGetProperty("tool_calls"u8, out var toolCalls) && toolCalls.ValueKind == JsonValueKind.Array)
            {
                foreach (var call in toolCalls.EnumerateArray())
                {
                    call.TryGetProperty("function"u8, out var function);
                    var isObject = function.ValueKind == JsonValueKind.Object;
                    var arguments = isObject ? ReplyJson.String(function, "arguments"u8) : null;
                    calls.Add(new ToolCall(ReplyJson.String(call, "id"u8) ?? "", isObject ? ReplyJson.String(function, "name"u8) ?? "" : "",
                        string.IsNullOrWhiteSpace(arguments) ? "{}" : arguments));
                }
            }

            var usage = root.TryGetProperty("usage"u8, out var u) && u.ValueKind == JsonValueKind.Object ? ReadUsage(u) : (Usage?)null;
            var (finish, matched) = MapFinish(ReplyJson.String(choice, "finish_reason"u8), ReplyJson.String(choice, "stop_reason"u8), clientStops);
            response = new CanonicalResponse
            {
                Model = ReplyJson.String(root, "model"u8),
                Text = ReplyJson.String(message, "content"u8) ?? "",
                Refusal = ReplyJson.String(message, "refusal"u8),
                ToolCalls = calls,
                Finish = finish,
                MatchedStop = matched,
                Usage = usage,
            };
            return true;
        }
    }

    /// <summary>OpenAI <c>finish_reason</c> (and vLLM's matched <c>stop_reason</c>) → the canonical reason.</summary>
    public static (FinishReason Finish, string? MatchedStop) MapFinish(string? finishReason, string? matchedStop, IReadOnlyList<string> clientStops)
    {
        ArgumentNullException.ThrowIfNull(clientStops);
        return finishReason switch
        {
            "length" => (FinishReason.Length, null),
            "tool_calls" or "function_call" => (FinishReason.ToolCalls, null),
            "content_filter" => (FinishReason.ContentFilter, null),
            "stop" when matchedStop is not null && clientStops.Contains(matchedStop, StringComparer.Ordinal) => (FinishReason.StopSequence, matchedStop),
            _ => (FinishReason.Stop, null),
        };
    }

    /// <summary>OpenAI's <c>usage</c> object: prompt tokens include the cached ones, as the canonical usage does.</summary>
    internal static Usage ReadUsage(JsonElement usage)
    {
        var prompt = ReplyJson.Int(usage, "prompt_tokens"u8);
        var completion = ReplyJson.Int(usage, "completion_tokens"u8);
        var cached = usage.TryGetProperty("prompt_tokens_details"u8, out var details) && details.ValueKind == JsonValueKind.Object ? ReplyJson.Int(details, "cached_tokens"u8) : 0;
        return new Usage(prompt, completion, cached);
    }
}

/// <summary>Decodes OpenAI chat-completion chunks into canonical deltas; tool calls keep the upstream's index.</summary>
public sealed class OpenAIChunkDecoder(IReadOnlyList<string> clientStops) : IStreamDecoder
{
    private readonly HashSet<int> _tools = [];
    private bool _started;

    public bool Decode(ReadOnlyMemory<byte> data, List<StreamDelta> output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (!ReplyJson.TryParse(data, out var document))
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

            if (!_started)
            {
                _started = true;
                output.Add(new StreamDelta(StreamDeltaKind.Start, Text: ReplyJson.String(root, "model"u8)));
            }

            if (root.TryGetProperty("choices"u8, out var choices) && choices.ValueKind == JsonValueKind.Array && choices.GetArrayLength() > 0)
            {
                var choice = choices[0];
                if (choice.TryGetProperty("delta"u8, out var delta) && delta.ValueKind == JsonValueKind.Object)
                {
                    if (ReplyJson.String(delta, "content"u8) is { Length: > 0 } text)
                    {
                        output.Add(new StreamDelta(StreamDeltaKind.Text, text));
                    }

                    if (ReplyJson.String(delta, "refusal"u8) is { Length: > 0 } refusal)
                    {
                        output.Add(new StreamDelta(StreamDeltaKind.Refusal, refusal));
                    }

                    if (delta.TryGetProperty("tool_calls"u8, out var calls) && calls.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var call in calls.EnumerateArray())
                        {
                            var index = call.TryGetProperty("index"u8, out var i) && i.TryGetInt32(out var n) ? n : 0;
                            call.TryGetProperty("function"u8, out var function);
                            var isObject = function.ValueKind == JsonValueKind.Object;
                            if (_tools.Add(index))
                            {
                                output.Add(new StreamDelta(StreamDeltaKind.ToolCallStart, Index: index, Id: ReplyJson.String(call, "id"u8),
                                    Name: isObject ? ReplyJson.String(function, "name"u8) ?? "" : ""));
                            }

                            if (isObject && ReplyJson.String(function, "arguments"u8) is { Length: > 0 } arguments)
                            {
                                output.Add(new StreamDelta(StreamDeltaKind.ToolArguments, arguments, index));
                            }
                        }
                    }
                }

                if (ReplyJson.String(choice, "finish_reason"u8) is { } finish)
                {
                    var (reason, matched) = OpenAIReplyReader.MapFinish(finish, ReplyJson.String(choice, "stop_reason"u8), clientStops);
                    output.Add(new StreamDelta(StreamDeltaKind.Finish, Finish: reason, MatchedStop: matched));
                }
            }

            if (root.TryGetProperty("usage"u8, out var usage) && usage.ValueKind == JsonValueKind.Object)
            {
                output.Add(new StreamDelta(StreamDeltaKind.Usage, Usage: OpenAIReplyReader.ReadUsage(usage)));
            }
        }

        return true;
    }
}
