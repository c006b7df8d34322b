using System.Text;
using System.Text.Json;
using System.Text.Unicode;
using Switchyard.Core.Model;
using Switchyard.Providers.Json;
using static Switchyard.Providers.Anthropic.AnthropicBlockReader;
using static Switchyard.Providers.Anthropic.AnthropicFieldReader;
using static Switchyard.Providers.Anthropic.AnthropicMessagesReader;
using static Switchyard.Providers.Anthropic.AnthropicOptionsReader;

namespace Switchyard.Providers.Anthropic;

/// <summary>
/// Ingress for the Anthropic Messages format (<c>POST /v1/messages</c> and <c>/v1/messages/count_tokens</c>): one
/// forward-only <see cref="Utf8JsonReader"/> pass builds the <see cref="CanonicalRequest"/>. Unlike the OpenAI
/// parser nothing can be forwarded as original bytes (the upstream speaks another format), so every field is
/// either translated or refused with a 400 that names it: no field is dropped silently. Paths in messages use
/// Anthropic's dotted form (<c>messages.0.content.1.type</c>).
/// </summary>
public static class AnthropicRequestParser
{
    /// <summary>Parses a <c>/v1/messages</c> body.</summary>
    public static (CanonicalRequest? Request, Problem? Error) ParseMessages(ReadOnlyMemory<byte> body) => Parse(body, countTokens: false);

    /// <summary>Parses a <c>/v1/messages/count_tokens</c> body (no <c>max_tokens</c>, <c>stream</c> or sampling fields).</summary>
    public static (CanonicalRequest? Request, Problem? Error) ParseCountTokens(ReadOnlyMemory<byte> body) => Parse(body, countTokens: true);

    private static (CanonicalRequest?, Problem?) Parse(ReadOnlyMemory<byte> body, bool countTokens) => RequestBody.Parse(
        body,
        countTokens ? static (ref reader, b) => Read(ref reader, b, countTokens: true) : static (ref reader, b) => Read(ref reader, b, countTokens: false),
        Code,
        Code,
        static (line, position) => $"The request body is not valid JSON (line {line}, byte {position}).",
        fieldCodes: false);

    /// <summary>The Anthropic block types the canonical model does not carry; docs/translation.md lists them.</summary>
    public static IReadOnlyList<string> UntranslatableBlocks => AnthropicBlockReader.UntranslatableBlocks;

    /// <summary>Anthropic's one code (its error type) for a request it refuses.</summary>
    private const string Code = "invalid_request_error";

    private static CanonicalRequest Read(ref Utf8JsonReader reader, ReadOnlyMemory<byte> body, bool countTokens)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RequestFieldException("The request body must be a JSON object.", null);
        }

        string? model = null, user = null;
        var stream = false;
        List<ChatMessage>? system = null;
        List<ChatMessage>? messages = null;
        List<ToolDefinition>? tools = null;
        ToolChoice? toolChoice = null;
        bool? parallel = null;
        ResponseFormat? responseFormat = null;
        int? maxTokens = null, topK = null;
        double? temperature = null, topP = null;
        List<string>? stop = null;
        var counts = new Counts { Segments = new SegmentRecorder(body) };

        while (NextProperty(ref reader, out var property))
        {
            switch (property)
            {
                case "model":
                    model = ReadString(ref reader, "model");
                    break;
                case "messages":
                    messages = ReadMessages(ref reader, body.Span, ref counts);
                    break;
                case "system":
                    system = ReadSystem(ref reader, body.Span, ref counts);
                    break;
                case "tools":
                    tools = ReadTools(ref reader, body.Span, ref counts);
                    break;
                case "tool_choice":
                    (toolChoice, parallel) = ReadToolChoice(ref reader);
                    break;
                case "output_config":
                    responseFormat = ReadOutputConfig(ref reader, body.Span, ref counts);
                    break;
                case "thinking":
                    ReadThinking(ref reader, ref counts);
                    break;
                case "max_tokens" when !countTokens:
                    maxTokens = ReadInt(ref reader, "max_tokens", 0);
                    if (maxTokens == 0)
                    {
                        Note(ref counts, "max_tokens", "max_tokens 0 (prompt-cache pre-warming)");
                    }

                    break;
                case "cache_control":
                    // A breakpoint on the last cacheable block: a caching hint, as on blocks (docs/translation.md).
                    ReadCacheControl(ref reader, "", "cache_control");
                    break;
                case "speed" when !countTokens:
                    if (reader.TokenType != JsonTokenType.Null && ReadString(ref reader, "speed") is var speed and not "standard")
                    {
                        Note(ref counts, "speed", $"speed '{RequestJson.Clip(speed)}'");
                    }

                    break;
                case "inference_geo" when !countTokens:
                    if (reader.TokenType != JsonTokenType.Null)
                    {
                        ReadString(ref reader, "inference_geo");
                        Note(ref counts, "inference_geo", "inference_geo (where Anthropic runs the model)");
                    }

                    break;
                case "diagnostics" when !countTokens:
                    NoteUnlessEmpty(ref reader, "diagnostics", "prompt-cache diagnostics", ref counts);
                    break;
                case "container" when !countTokens && reader.TokenType == JsonTokenType.Null:
                    break;
                case "stream" when !countTokens:
                    stream = ReadBool(ref reader, "stream");
                    break;
                case "temperature" when !countTokens:
                    temperature = ReadNumber(ref reader, "temperature", 0, 1);
                    break;
                case "top_p" when !countTokens:
                    topP = ReadNumber(ref reader, "top_p", 0, 1);
                    break;
                case "top_k" when !countTokens:
                    topK = ReadInt(ref reader, "top_k", 0);
                    break;
                case "stop_sequences" when !countTokens:
                    stop = ReadStringArray(ref reader, "stop_sequences");
                    break;
                case "metadata" when !countTokens:
                    user = ReadMetadata(ref reader);
                    break;
                case "service_tier" when !countTokens:
                    // A capacity preference of Anthropic's own; an OpenAI-style upstream has one tier. Only "auto" means "no preference".
                    var tier = ReadString(ref reader, "service_tier");
                    if (tier != "auto")
                    {
                        Note(ref counts, "service_tier", $"service tier '{RequestJson.Clip(tier)}'");
                    }

                    break;
                default:
                    if (countTokens)
                    {
                        throw new RequestFieldException($"{property}: Extra inputs are not permitted", property);
                    }

                    // Unknown and Anthropic-only fields (container, mcp_servers, context_management, beta fields) survive in
                    // RawBody for an Anthropic upstream; any other format refuses the request naming the field.
                    Note(ref counts, property, "an Anthropic-specific field");
                    counts.Segments.Skip(ref reader, property, inZone: false);
                    break;
            }
        }

        if (model is null)
        {
            throw new RequestFieldException("model: Field required", "model");
        }

        if (messages is null)
        {
            throw new RequestFieldException("messages: Field required", "messages");
        }

        if (messages.Count == 0)
        {
            throw new RequestFieldException("messages: at least one message is required", "messages");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Named } named && (tools is null || !tools.Exists(t => t.Name == named.Name)) && counts.ServerTools?.Contains(named.Name!) != true)
        {
            throw new RequestFieldException($"tool_choice.name: no tool named '{RequestJson.Clip(named.Name!)}' in tools.", "tool_choice.name");
        }

        if (toolChoice is { Mode: ToolChoiceMode.Required } && (tools is null || tools.Count == 0) && counts.ServerTools is null)
        {
            throw new RequestFieldException("tool_choice: 'any' needs at least one tool in tools.", "tool_choice");
        }

        var features = RequestFeatures.None;
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

        if (counts.Images > 0)
        {
            features |= RequestFeatures.Vision;
        }

        if (responseFormat is not null)
        {
            features |= RequestFeatures.JsonSchema;
        }

        if (system is not null)
        {
            system.AddRange(messages);
            messages = system;
        }

        return new CanonicalRequest
        {
            ClientFormat = ApiFormat.Anthropic,
            Operation = Operation.ChatCompletion,
            Model = model,
            Stream = stream,
            Messages = messages,
            Tools = tools ?? [],
            ToolChoice = toolChoice,
            ParallelToolCalls = parallel,
            ResponseFormat = responseFormat,
            MaxOutputTokens = maxTokens,
            Temperature = temperature,
            TopP = topP,
            TopK = topK,
            Stop = stop ?? [],
            User = user,
            Features = features,
            PromptChars = counts.Chars,
            ImageCount = counts.Images,
            RawBody = body,
            Segments = counts.Segments.Finish(messages),
            Untranslatable = (IReadOnlyList<UntranslatableField>?)counts.Untranslatable ?? [],
        };
    }
}
