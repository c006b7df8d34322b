using System.Globalization;
using Switchyard.Core.Common;
namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// The domain signal of expected quality: a multinomial logistic regression over the prompt's hashed features
/// (<c>domain-classifier.bin</c>) says which subject a prompt is about (MMLU-Pro's fourteen categories, GSM8K's
/// word problems, MT-Bench's open questions), and <c>domain-priors.csv</c> holds each quality profile's dev accuracy
/// per domain, shrunk toward its overall mean. A profile's domain quality is the priors mixed by the domain
/// probabilities (over the domains it was measured in); <see cref="Blend"/> mixes that with the per-prompt heads.
/// </summary>
public sealed class DomainModel
{
    /// <summary>Weight of the per-prompt head in the blend; the rest goes to the domain mixture (tuned on a dev fold, docs/routing.md).</summary>
    public const float DefaultHeadWeight = 0.5f;

    /// <summary>Row-major <c>[domain * profiles + profile]</c>; NaN where the profile has no record in the domain.</summary>
    private readonly float[] _priors;
    private readonly int _profiles;

    public DomainModel(LinearModel classifier, float[] priors, int profiles, float headWeight = DefaultHeadWeight)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(priors);
        if (priors.Length != classifier.Labels.Count * profiles)
        {
            throw new InvalidDataException("the domain priors do not match domains × profiles");
        }

        Classifier = classifier;
        _priors = priors;
        _profiles = profiles;
        HeadWeight = headWeight;
    }

    public LinearModel Classifier { get; }

    public IReadOnlyList<string> Domains => Classifier.Labels;

    public float HeadWeight { get; }

    /// <summary>The prior of a profile in a domain, or NaN when unmeasured.</summary>
    public float Prior(int domain, int profile) => _priors[(domain * _profiles) + profile];

    /// <summary>
    /// Replaces each head probability in <paramref name="quality"/> by <c>w · head + (1 − w) · Σ p(d) prior(d)</c>,
    /// the sum over the domains the profile was measured in and renormalised by their probability; a profile with
    /// no measured domain keeps its head.
    /// </summary>
    public void Blend(ReadOnlySpan<float> domainProbabilities, Span<float> quality)
    {
        var w = HeadWeight;
        for (var j = 0; j < _profiles && j < quality.Length; j++)
        {
            var sum = 0f;
            var mass = 0f;
            for (var d = 0; d < domainProbabilities.Length; d++)
            {
                var prior = _priors[(d * _profiles) + j];
                if (!float.IsNaN(prior))
                {
                    sum += domainProbabilities[d] * prior;
                    mass += domainProbabilities[d];
                }
            }

            if (mass > 1e-6f)
            {
                quality[j] = (w * quality[j]) + ((1 - w) * (sum / mass));
            }
        }
    }

    /// <summary>Reads <c>domain-priors.csv</c> (<c>domain,profile,rows,prior</c>) against the classifier's domains and the quality model's profiles.</summary>
    public static DomainModel Read(LinearModel classifier, IReadOnlyList<string> profiles, TextReader priorsCsv)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        ArgumentNullException.ThrowIfNull(profiles);
        var priors = new float[classifier.Labels.Count * profiles.Count];
        Array.Fill(priors, float.NaN);
        var domainIndex = classifier.Labels.Select((d, i) => (d, i)).ToDictionary(x => x.d, x => x.i, StringComparer.Ordinal);
        var profileIndex = profiles.Select((p, i) => (p, i)).ToDictionary(x => x.p, x => x.i, StringComparer.Ordinal);
        foreach (var row in Csv.ReadWithHeader(priorsCsv))
        {
            if (domainIndex.TryGetValue(row["domain"], out var d) && profileIndex.TryGetValue(row["profile"], out var p))
            {
                priors[(d * profiles.Count) + p] = float.Parse(row["prior"], CultureInfo.InvariantCulture);
            }
        }

        return new DomainModel(classifier, priors, profiles.Count);
    }
}
