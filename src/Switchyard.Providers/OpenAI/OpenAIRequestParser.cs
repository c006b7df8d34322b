using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.OpenAI.OpenAIEmbeddingsReader;
using static Switchyard.Providers.OpenAI.OpenAIFieldReader;
using static Switchyard.Providers.OpenAI.OpenAIMessagesReader;
using static Switchyard.Providers.OpenAI.OpenAIOptionsReader;

namespace Switchyard.Providers.OpenAI;

/// <summary>
/// Ingress for the OpenAI format: one forward-only <see cref="Utf8JsonReader"/> pass over the body builds the
/// <see cref="CanonicalRequest"/>. Fields it does not need are skipped (they survive in <c>RawBody</c> for
/// same-format forwarding); fields it reads are type-checked, and a bad one is reported with its path as
/// OpenAI's <c>param</c>.
/// </summary>
public static class OpenAIRequestParser
{
    public static (CanonicalRequest? Request, Problem? Error) ParseChat(ReadOnlyMemory<byte> body) =>
        RequestBody.Parse(body, ReadChat, "invalid_body", "invalid_json", JsonError, fieldCodes: true);

    public static (CanonicalRequest? Request, Problem? Error) ParseEmbeddings(ReadOnlyMemory<byte> body) =>
        RequestBody.Parse(body, ReadEmbeddings, "invalid_body", "invalid_json", JsonError, fieldCodes: true);

    private static string JsonError(long line, long bytePosition) => $"We could not parse the JSON body of your request (line {line}, byte {bytePosition}).";

    /// <summary>The OpenAI chat fields known not to be carried by the canonical model (any other unknown field is refused too); docs/translation.md lists them.</summary>
    public static readonly IReadOnlyList<string> UntranslatableFields =
    [
        "logprobs", "top_logprobs", "logit_bias", "frequency_penalty", "presence_penalty", "seed", "modalities", "audio", "prediction", "reasoning_effort",
        "web_search_options", "functions", "function_call", "service_tier",
    ];

    /// <summary>
    /// Chat fields the canonical model does not carry, with what they are; null for the ones it carries (and for
    /// <c>store</c>, <c>metadata</c>, <c>stream_options</c>, whose absence upstream changes nothing the client sees).
    /// </summary>
    public static string? UntranslatableWhat(string property) => property switch
    {
        "model" or "messages" or "stream" or "stream_options" or "tools" or "tool_choice" or "parallel_tool_calls" or "response_format"
            or "max_tokens" or "max_completion_tokens" or "n" or "temperature" or "top_p" or "stop" or "user" or "store" or "metadata" => null,
        "logprobs" or "top_logprobs" => "log probabilities",
        "logit_bias" => "token logit bias",
        "frequency_penalty" or "presence_penalty" => "repetition penalties",
        "seed" => "deterministic sampling seed",
        "modalities" or "audio" => "audio output",
        "prediction" => "predicted outputs",
        "reasoning_effort" => "reasoning effort",
        "web_search_options" => "OpenAI web search",
        "functions" or "function_call" => "legacy function calling (use tools)",
        "service_tier" => "service tier",
        _ => "an OpenAI-specific option",
    };

    private static CanonicalRequest ReadChat(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body)
    {
        ExpectStartObject(ref reader, null);
        string? model = null;
        var stream = false;
        var includeUsage = false;
        var hasStreamOptions = false;
        List<ChatMessage>? messages = null;
        List<ToolDefinition>? tools = null;
        ToolChoice? toolChoice = null;
        bool? parallel = null;
        ResponseFormat? responseFormat = null;
        int? maxTokens = null, maxCompletionTokens = null, n = null;
        double? temperature = null, topP = null;
        List<string>? stop = null;
        string? user = null;
        var features = RequestFeatures.None;
        var promptChars = 0;
        var images = 0;
        List<UntranslatableField>? untranslatable = null;
        var segments = new SegmentRecorder(body);

        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var property = reader.GetString()!;
            reader.Read();
            if (reader.TokenType is not (JsonTokenType.Null or JsonTokenType.False) && UntranslatableWhat(property) is { } what)
            {
                // Kept in RawBody for an OpenAI-style upstream; any other format refuses the request naming it.
                (untranslatable ??= []).Add(new UntranslatableField(property, what));
            }

            switch (property)
            {
                case "model":
                    model = ReadString(ref reader, "model");
                    break;
                case "messages":
                    messages = ReadMessages(ref reader, segments, ref features, ref promptChars, ref images);
                    break;
                case "stream":
                    stream = ReadBool(ref reader, "stream") ?? false;
                    break;
                case "stream_options":
                    // Present even as null: a usage rewrite must then replace it, not add a duplicate key.
                    hasStreamOptions = true;
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        ExpectStartObject(ref reader, "stream_options");
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                        {
                            var name = reader.GetString();
                            reader.Read();
                            if (name == "include_usage")
                            {
                                includeUsage = ReadBool(ref reader, "stream_options.include_usage") ?? false;
                            }
                            else
                            {
                                segments.Skip(ref reader, name, inZone: false);
                            }
                        }
                    }

                    break;
                case "tools":
                    tools = ReadTools(ref reader, body.Span, ref promptChars);
                    break;
                case "tool_choice":
                    toolChoice = ReadToolChoice(ref reader);
                    break;
                case "parallel_tool_calls":
                    parallel = ReadBool(ref reader, "parallel_tool_calls");
                    break;
                case "response_format":
                    responseFormat = ReadResponseFormat(ref reader, body.Span, ref promptChars);
                    break;
                case "max_tokens":
                    maxTokens = ReadInt(ref reader, "max_tokens", 1);
                    break;
                case "max_completion_tokens":
                    maxCompletionTokens = ReadInt(ref reader, "max_completion_tokens", 1);
                    break;
                case "n":
                    n = ReadInt(ref reader, "n", 1, 128);
                    break;
                case "temperature":
                    temperature = ReadNumber(ref reader, "temperature", 0, 2);
                    break;
                case "top_p":
                    topP = ReadNumber(ref reader, "top_p", 0, 1);
                    break;
                case "frequency_penalty":
                    ReadNumber(ref reader, "frequency_penalty", -2, 2);
                    break;
                case "presence_penalty":
                    ReadNumber(ref reader, "presence_penalty", -2, 2);
                    break;
                case "seed":
                    if (reader.TokenType is not (JsonTokenType.Number or JsonTokenType.Null))
                    {
                        throw new RequestFieldException("seed must be an integer.", "seed");
                    }

                    break;
                case "stop":
                    stop = ReadStop(ref reader);
                    break;
                case "user":
                    user = ReadString(ref reader, "user", allowNull: true);
                    break;
                case "modalities":
                    if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("audio"u8))
                            {
                                features |= RequestFeatures.Audio;
                            }
                        }
                    }
                    else
                    {
                        reader.Skip();
                    }

                    break;
                default:
                    // Unknown and pass-through fields (logprobs, metadata, store, service_tier, …) stay in RawBody.
                    segments.Skip(ref reader, property, inZone: false);
                    break;
            }
        }

        if (model is null)
        {
            throw new RequestFieldException("You must provide a model parameter.", "model", "missing_required_parameter");
        }

        if (messages is null)
        {
            throw OpenAIFieldReader.Missing("messages");
        }

        if (messages.Count == 0)
        {
            throw new RequestFieldException("Invalid 'messages': empty array. Expected an array with minimum length 1.", "messages", "empty_array");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Named } named && (tools is null || !tools.Exists(t => t.Name == named.Name)))
        {
            throw new RequestFieldException($"Invalid 'tool_choice': no tool named '{named.Name}' in 'tools'.", "tool_choice");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Required } && (tools is null || tools.Count == 0))
        {
            throw new RequestFieldException("Invalid 'tool_choice': 'required' needs at least one tool in 'tools'.", "tool_choice");
        }

        CheckToolResults(messages);

        if (stream)
        {
            features |= RequestFeatures.Streaming;
        }

        if (tools is { Count: > 0 })
        {
            features |= RequestFeatures.Tools;
            if (parallel != false && tools.Count > 1)
            {
                features |= RequestFeatures.ParallelToolCalls;
            }
        }

        if (responseFormat?.Kind == ResponseFormatKind.JsonSchema)
        {
            features |= RequestFeatures.JsonSchema;
        }
        else if (responseFormat?.Kind == ResponseFormatKind.JsonObject)
        {
            features |= RequestFeatures.JsonObject;
        }

        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.OpenAI,
            Operation = Operation.ChatCompletion,
            Model = model,
            Stream = stream,
            IncludeUsage = includeUsage,
            HasStreamOptions = hasStreamOptions,
            Messages = messages,
            Tools = tools ?? [],
            ToolChoice = toolChoice,
            ParallelToolCalls = parallel,
            Untranslatable = (IReadOnlyList<UntranslatableField>?)untranslatable ?? [],
            ResponseFormat = responseFormat,
            MaxOutputTokens = maxCompletionTokens ?? maxTokens,
            Temperature = temperature,
            TopP = topP,
            Stop = stop ?? [],
            N = n,
            User = user,
            Features = features,
            PromptChars = promptChars,
            ImageCount = images,
            RawBody = body,
            Segments = segments.Finish(messages),
        };
    }
}
