using Switchyard.Core.Gate;
using Switchyard.Core.Inspect.Classification;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;
using Switchyard.Core.Stores;
namespace Switchyard.Core.Inspect;

/// <summary>
/// The Inspect stage: data class, required features and a token estimate. Pure and allocation-light; the
/// privacy scanner and task classifier (routing issue) plug in here.
/// </summary>
public sealed class Inspector
{
    /// <summary>Tokens an image costs upstream, roughly (OpenAI's high-detail 512px tile budget).</summary>
    private const int TokensPerImage = 765;

    /// <summary>The default class of traffic nothing marks otherwise: the organisation's own.</summary>
    public const DataClass DefaultClass = DataClass.Internal;

    private readonly TaskAnalyzer _analyzer;

    public Inspector()
        : this(TaskAnalyzer.BuiltIn)
    {
    }

    public Inspector(TaskAnalyzer analyzer) => _analyzer = analyzer;

    public Inspection Inspect(CanonicalRequest request, Caller caller, DataClass? requestedClass) =>
        Inspect(request, caller, requestedClass, PrivacyPolicy.Default);

    /// <summary>
    /// The data class is the highest of: the default, the key's floor, what the privacy scanner found in the
    /// prompt (under <paramref name="privacy"/>'s mapping), and the class the caller asked for.
    /// </summary>
    public Inspection Inspect(CanonicalRequest request, Caller caller, DataClass? requestedClass, PrivacyPolicy privacy) =>
        Inspect(request, caller, requestedClass, privacy, analyzeTask: true);

    /// <summary>
    /// As <see cref="Inspect(CanonicalRequest, Caller, DataClass?, PrivacyPolicy)"/>; with <paramref name="analyzeTask"/>
    /// false the task analysis is left out (<see cref="TaskAnalysis.None"/>) for a route that does not rank by quality,
    /// and whoever needs the category later runs <see cref="AnalyzeTask(string?)"/> on <see cref="TaskText"/>.
    /// The privacy scan always runs: the data class is a hard constraint.
    /// </summary>
    public Inspection Inspect(CanonicalRequest request, Caller caller, DataClass? requestedClass, PrivacyPolicy privacy, bool analyzeTask)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(privacy);
        return Inspect(request, caller, requestedClass, PromptScan.Scan(request.Segments, privacy), analyzeTask);
    }

    /// <summary>
    /// As <see cref="Inspect(CanonicalRequest, Caller, DataClass?, PrivacyPolicy, bool)"/> with the privacy findings
    /// already known, as they are for a redacted request (<see cref="Redaction.Findings"/>): no second scan.
    /// </summary>
    public Inspection Inspect(CanonicalRequest request, Caller caller, DataClass? requestedClass, PrivacyFindings findings, bool analyzeTask)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(caller);
        ArgumentNullException.ThrowIfNull(findings);
        var dataClass = DefaultClass;
        var reason = "default";
        var source = DataClassSource.Default;
        if (caller.DataClassFloor > dataClass)
        {
            dataClass = caller.DataClassFloor;
            reason = "key policy floor";
            source = DataClassSource.KeyFloor;
        }

        if (findings.DataClass > dataClass)
        {
            dataClass = findings.DataClass;
            reason = "detected " + findings.Reason;
            source = DataClassSource.Detected;
        }

        // A caller may raise the class of its request, never lower it.
        if (requestedClass is { } raised && raised > dataClass)
        {
            dataClass = raised;
            reason = "x-switchyard-data-class header";
            source = DataClassSource.Header;
        }

        var task = analyzeTask ? AnalyzeTask(request) : TaskAnalysis.None;
        return new Inspection(dataClass, reason, EstimateInputTokens(request), request.Features) { Privacy = findings, Task = task, DataClassSource = source };
    }

    /// <summary>Classifies the last user turn (what the model is asked to do now) and predicts per-profile quality.</summary>
    public TaskAnalysis AnalyzeTask(CanonicalRequest request) => AnalyzeTask(TaskText(request));

    /// <summary>Analyzes a text found by <see cref="TaskText"/>; <see cref="TaskAnalysis.None"/> for null (nothing to classify).</summary>
    public TaskAnalysis AnalyzeTask(string? taskText) => taskText is null ? TaskAnalysis.None : _analyzer.Analyze(taskText);

    /// <summary>
    /// What the task analysis reads: the text of the last user turn of a chat request (the message's own string when it
    /// has one text part, so nothing is copied), or null for embeddings and for a chat without a user turn.
    /// </summary>
    public static string? TaskText(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Operation != Operation.ChatCompletion)
        {
            return null;
        }

        var messages = request.Messages;
        for (var i = messages.Count - 1; i >= 0; i--)
        {
            if (messages[i].Role != ChatRole.User)
            {
                continue;
            }

            var content = messages[i].Content;
            if (content.Count == 1 && content[0].Text is { } only)
            {
                return only;
            }

            return string.Concat(content.Where(p => p.Kind == ContentPartKind.Text).Select(p => p.Text));
        }

        return null;
    }

    /// <summary>About four characters a token, plus per-message framing and image costs.</summary>
    public static int EstimateInputTokens(CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.EmbeddingInput is { } input)
        {
            return (input.TotalChars + 3) / 4 + input.TotalTokenIds;
        }

        return (request.PromptChars + 3) / 4 + (request.Messages.Count * 4) + (request.ImageCount * TokensPerImage) + 3;
    }

    /// <summary>
    /// The output a reservation counts for a request on a model (budgets, deployment tokens per minute): the request's
    /// <c>max_tokens</c> (a hard limit, so the reservation covers the worst case); else the model's
    /// <c>reserved_output_tokens</c>, else <paramref name="defaultOutputTokens"/> (the caller's policy, else the storage
    /// default), never more than the model's <c>max_output_tokens</c>; none for embeddings. Without a request maximum
    /// the real output may exceed the reservation: settling corrects the counters, and docs/tenancy.md bounds the overshoot.
    /// </summary>
    public static int ReservedOutputTokens(CanonicalRequest request, Upstream.ModelInfo model, int defaultOutputTokens)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(model);
        if (request.Operation == Operation.Embeddings)
        {
            return 0;
        }

        return request.MaxOutputTokens ?? Math.Min(model.ReservedOutputTokens ?? defaultOutputTokens, model.MaxOutputTokens ?? int.MaxValue);
    }

    /// <summary>Estimated tokens of generated text.</summary>
    public static int EstimateTokens(int chars) => (chars + 3) / 4;
}
