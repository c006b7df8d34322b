using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Common;
using Switchyard.Core.Execute;
using Switchyard.Core.Inspect;
using Switchyard.Core.Model;
using Switchyard.Core.Snapshot;
using Switchyard.Core.Upstream;
using Switchyard.Providers.Translation;

namespace Switchyard.Providers.Simulated;

/// <summary>Creates adapters for <c>type: simulated</c>.</summary>
public sealed class SimulatedAdapterFactory(TimeProvider time, IRandomSource random) : IProviderAdapterFactory
{
    public string Type => "simulated";

    public IProviderAdapter Create(ProviderSettings settings) => new SimulatedAdapter(settings.Config, time, random);
}

/// <summary>
/// A provider that answers locally in the exact OpenAI wire format, with a configurable time to first token,
/// token rate, reply length, price and error rate: for demos, load tests and policy dry-runs. Every reply
/// says it is simulated (<c>system_fingerprint: switchyard-simulated</c>). Tool calls and structured output
/// are synthesised from the request's own schemas so clients exercise their real code paths.
/// </summary>
public sealed class SimulatedAdapter : IProviderAdapter
{
    public const string Fingerprint = "switchyard-simulated";

    private static readonly string[] _words =
    [
        "switchyard", "routes", "each", "request", "to", "the", "model", "that", "fits", "its", "privacy", "capability",
        "cost", "and", "latency", "needs", "while", "every", "token", "is", "accounted", "for", "in", "ledger", "this",
        "reply", "was", "simulated", "locally", "without", "calling", "any", "provider",
    ];

    private readonly ProviderConfig _config;
    private readonly TimeProvider _time;
    private readonly IRandomSource _random;

    public SimulatedAdapter(ProviderConfig config, TimeProvider time, IRandomSource random)
    {
        _config = config;
        _time = time;
        _random = random;
    }

    public string ProviderName => _config.Name;

    public ApiFormat WireFormat => ApiFormat.OpenAI;

    public bool IsSimulated => true;

    public async ValueTask<UpstreamResult> SendAsync(UpstreamCall call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var sim = call.Deployment.Simulation ?? new SimulationConfig();
        var start = _time.GetTimestamp();
        if (sim.ErrorRate > 0 && _random.NextDouble() < sim.ErrorRate)
        {
            // Half of simulated failures are rate limits, half server errors: both paths get exercised.
            return _random.NextDouble() < 0.5
                ? new UpstreamResult { Status = DispatchStatus.RateLimited, UpstreamStatusCode = 429, RetryAfter = TimeSpan.FromSeconds(1), SafeMessage = $"Simulated rate limit from '{ProviderName}'.", UpstreamTime = _time.GetElapsedTime(start) }
                : UpstreamResult.Failure(DispatchStatus.UpstreamError, 500, $"Simulated server error from '{ProviderName}'.", _time.GetElapsedTime(start));
        }

        var request = call.Request;
        var model = call.Deployment.UpstreamModel;
        var id = "chatcmpl-sim-" + call.RequestId;
        var created = _time.GetUtcNow().ToUnixTimeSeconds();
        var inputTokens = Inspector.EstimateInputTokens(request);

        if (request.Operation == Operation.Embeddings)
        {
            await DelayAsync(sim.TimeToFirstToken, cancellationToken);
            return new UpstreamResult
            {
                Status = DispatchStatus.Success,
                UpstreamStatusCode = 200,
                Body = Embeddings(request, model, inputTokens),
                Usage = new Usage(inputTokens, 0),
                UpstreamTime = _time.GetElapsedTime(start),
            };
        }

        var reply = Plan(request, sim.ReplyTokens);
        if (request.Stream)
        {
            // It speaks OpenAI's format; another client format gets the reply in canonical form.
            return ReplyTranslation.ForClient(new UpstreamResult
            {
                Status = DispatchStatus.Success,
                UpstreamStatusCode = 200,
                Stream = new SimulatedStream(this, reply, id, created, model, inputTokens, request.IncludeUsage || _config.StreamUsage, sim),
                UpstreamTime = TimeSpan.Zero,
            }, request, WireFormat, call.RequestId);
        }

        await DelayAsync(sim.TimeToFirstToken + TimeSpan.FromSeconds(reply.Tokens / sim.TokensPerSecond), cancellationToken);
        var usage = new Usage(inputTokens, reply.Tokens);
        return ReplyTranslation.ForClient(new UpstreamResult
        {
            Status = DispatchStatus.Success,
            UpstreamStatusCode = 200,
            Body = Completion(id, created, model, reply, usage),
            Usage = usage,
            UpstreamTime = _time.GetElapsedTime(start),
        }, request, WireFormat, call.RequestId);
    }

    internal Task DelayAsync(TimeSpan delay, CancellationToken cancellationToken) =>
        delay <= TimeSpan.Zero ? Task.CompletedTask : Task.Delay(delay, _time, cancellationToken);

    /// <summary>What the simulated model will say: text pieces, or one tool call.</summary>
    internal sealed record Reply(IReadOnlyList<string> Pieces, string? ToolName, string? ToolArguments, int Tokens);

    private Reply Plan(CanonicalRequest request, int replyTokens)
    {
        var lastIsToolResult = request.Messages.Count > 0 && request.Messages[^1].Role == ChatRole.Tool;
        var choice = request.ToolChoice?.Mode ?? ToolChoiceMode.Auto;
        if (request.Tools.Count > 0 && choice != ToolChoiceMode.None && (choice is ToolChoiceMode.Required or ToolChoiceMode.Named || !lastIsToolResult))
        {
            var tool = choice == ToolChoiceMode.Named ? request.Tools.First(t => t.Name == request.ToolChoice!.Name) : request.Tools[0];
            var args = SchemaSampler.Sample(tool.ParametersJson);
            return new Reply([], tool.Name, args, Math.Max(1, Inspector.EstimateTokens(args.Length + tool.Name.Length)));
        }

        if (request.ResponseFormat is { Kind: ResponseFormatKind.JsonSchema or ResponseFormatKind.JsonObject } format)
        {
            var json = format.Kind == ResponseFormatKind.JsonSchema ? SchemaSampler.Sample(format.SchemaJson) : "{\"simulated\":true}";
            return new Reply(Split(json), null, null, Math.Max(1, Inspector.EstimateTokens(json.Length)));
        }

        var tokens = request.MaxOutputTokens is { } max ? Math.Min(max, replyTokens) : replyTokens;
        var pieces = new List<string>(tokens);
        for (var i = 0; i < tokens; i++)
        {
            var word = _words[(int)(_random.NextDouble() * _words.Length) % _words.Length];
            pieces.Add(i == 0 ? char.ToUpperInvariant(word[0]) + word[1..] : " " + word);
        }

        pieces[^1] += ".";
        return new Reply(pieces, null, null, tokens);
    }

    private static List<string> Split(string text)
    {
        var pieces = new List<string>();
        for (var i = 0; i < text.Length; i += 8)
        {
            pieces.Add(text.Substring(i, Math.Min(8, text.Length - i)));
        }

        return pieces;
    }

    internal static byte[] Completion(string id, long created, string model, Reply reply, Usage usage)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id);
            w.WriteString("object", "chat.completion");
            w.WriteNumber("created", created);
            w.WriteString("model", model);
            w.WriteString("system_fingerprint", Fingerprint);
            w.WriteStartArray("choices");
            w.WriteStartObject();
            w.WriteNumber("index", 0);
            w.WriteStartObject("message");
            w.WriteString("role", "assistant");
            if (reply.ToolName is null)
            {
                w.WriteString("content", string.Concat(reply.Pieces));
            }
            else
            {
                w.WriteNull("content");
                w.WriteStartArray("tool_calls");
                WriteToolCall(w, id, reply, includeIndex: false);
                w.WriteEndArray();
            }

            w.WriteNull("refusal");
            w.WriteStartArray("annotations");
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteNull("logprobs");
            w.WriteString("finish_reason", reply.ToolName is null ? "stop" : "tool_calls");
            w.WriteEndObject();
            w.WriteEndArray();
            WriteUsage(w, usage);
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    internal static void WriteToolCall(Utf8JsonWriter w, string id, Reply reply, bool includeIndex)
    {
        w.WriteStartObject();
        if (includeIndex)
        {
            w.WriteNumber("index", 0);
        }

        w.WriteString("id", "call_" + id[^Math.Min(12, id.Length)..]);
        w.WriteString("type", "function");
        w.WriteStartObject("function");
        w.WriteString("name", reply.ToolName);
        w.WriteString("arguments", reply.ToolArguments);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    internal static void WriteUsage(Utf8JsonWriter w, Usage usage)
    {
        w.WriteStartObject("usage");
        w.WriteNumber("prompt_tokens", usage.InputTokens);
        w.WriteNumber("completion_tokens", usage.OutputTokens);
        w.WriteNumber("total_tokens", usage.TotalTokens);
        w.WriteStartObject("prompt_tokens_details");
        w.WriteNumber("cached_tokens", usage.CachedInputTokens);
        w.WriteNumber("audio_tokens", 0);
        w.WriteEndObject();
        w.WriteStartObject("completion_tokens_details");
        w.WriteNumber("reasoning_tokens", 0);
        w.WriteNumber("audio_tokens", 0);
        w.WriteNumber("accepted_prediction_tokens", 0);
        w.WriteNumber("rejected_prediction_tokens", 0);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static byte[] Embeddings(CanonicalRequest request, string model, int inputTokens)
    {
        var raw = request.RawBody.Span;
        var dimensions = 256;
        var base64 = false;
        var texts = new List<string>();
        var reader = new Utf8JsonReader(raw);
        reader.Read();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            reader.Read();
            if (name == "dimensions" && reader.TokenType == JsonTokenType.Number)
            {
                dimensions = Math.Clamp(reader.GetInt32(), 1, 4096);
            }
            else if (name == "encoding_format" && reader.TokenType == JsonTokenType.String)
            {
                base64 = reader.ValueTextEquals("base64"u8);
            }
            else if (name == "input")
            {
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                CollectInputs(raw[start..(int)reader.BytesConsumed], texts);
            }
            else
            {
                reader.Skip();
            }
        }

        var buffer = new ArrayBufferWriter<byte>(dimensions * 12 * texts.Count + 256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("object", "list");
            w.WriteStartArray("data");
            var vector = new float[dimensions];
            for (var i = 0; i < texts.Count; i++)
            {
                Embed(texts[i], vector);
                w.WriteStartObject();
                w.WriteString("object", "embedding");
                w.WriteNumber("index", i);
                if (base64)
                {
                    var bytes = new byte[dimensions * 4];
                    Buffer.BlockCopy(vector, 0, bytes, 0, bytes.Length);
                    w.WriteBase64String("embedding", bytes);
                }
                else
                {
                    w.WriteStartArray("embedding");
                    foreach (var v in vector)
                    {
                        w.WriteNumberValue(v);
                    }

                    w.WriteEndArray();
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteString("model", model);
            w.WriteStartObject("usage");
            w.WriteNumber("prompt_tokens", inputTokens);
            w.WriteNumber("total_tokens", inputTokens);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void CollectInputs(ReadOnlySpan<byte> input, List<string> texts)
    {
        var reader = new Utf8JsonReader(input);
        reader.Read();
        if (reader.TokenType == JsonTokenType.String)
        {
            texts.Add(reader.GetString()!);
            return;
        }

        var depth = reader.CurrentDepth;
        var numbersOnly = true;
        while (reader.Read() && !(reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == depth))
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                numbersOnly = false;
                texts.Add(reader.GetString()!);
            }
            else if (reader.TokenType == JsonTokenType.StartArray)
            {
                numbersOnly = false;
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                texts.Add(Encoding.UTF8.GetString(input[start..(int)reader.BytesConsumed]));
            }
        }

        if (numbersOnly)
        {
            texts.Add(Encoding.UTF8.GetString(input));
        }
    }

    /// <summary>A deterministic unit vector per text, so equal inputs embed equally (useful for cache and dedup demos).</summary>
    private static void Embed(string text, float[] vector)
    {
        Span<byte> seed = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(text), seed);
        var state = BitConverter.ToUInt64(seed) | 1;
        double norm = 0;
        for (var i = 0; i < vector.Length; i++)
        {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            vector[i] = (float)((state % 20001) / 10000.0 - 1.0);
            norm += vector[i] * vector[i];
        }

        var scale = (float)(1 / Math.Sqrt(norm));
        for (var i = 0; i < vector.Length; i++)
        {
            vector[i] *= scale;
        }
    }
}
