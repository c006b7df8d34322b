using System.Collections.Frozen;
using System.Globalization;
using Switchyard.Core.Common;
using Switchyard.Core.Model;
namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// Which quality profile a model has and its per-category priors. A profile is a model measured in a routing
/// dataset (<c>gemini-1.5-pro-002</c>, <c>gpt-4-1106-preview</c>, …). <c>Inspect/Data/quality-profiles.csv</c>
/// maps catalog ids to profiles (hand-written, with notes); <c>quality-priors.csv</c> holds each profile's mean
/// score per task category on the dev splits (written by <c>switchyard train</c>). A configured model may name its
/// profile with <c>quality_profile</c>.
/// </summary>
public sealed class QualityCatalog
{
    private static readonly Lazy<QualityCatalog> _builtIn = new(() => Load(TaskAnalyzer.BuiltIn));

    private readonly FrozenDictionary<string, string> _byCatalogId;
    private readonly FrozenDictionary<string, double[]> _priors;
    private readonly FrozenDictionary<string, int> _outputTokens;

    public QualityCatalog(TaskAnalyzer analyzer, IEnumerable<KeyValuePair<string, string>> catalogIds, IEnumerable<KeyValuePair<string, double[]>> priors,
        IEnumerable<KeyValuePair<string, int>>? outputTokens = null)
    {
        Analyzer = analyzer;
        _byCatalogId = catalogIds.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);
        _priors = priors.ToFrozenDictionary(StringComparer.Ordinal);
        _outputTokens = (outputTokens ?? []).ToFrozenDictionary(StringComparer.Ordinal);
    }

    /// <summary>Median answer length of the profile in the datasets (tokens), or null when unmeasured.</summary>
    public int? OutputTokens(string profile) => _outputTokens.TryGetValue(profile, out var t) && t > 0 ? t : null;

    public static QualityCatalog BuiltIn => _builtIn.Value;

    public TaskAnalyzer Analyzer { get; }

    /// <summary>Every profile with a learned head or priors.</summary>
    public IEnumerable<string> Profiles => Analyzer.Profiles.Union(_priors.Keys, StringComparer.Ordinal);

    public bool IsKnown(string profile) => Analyzer.ProfileIndex.ContainsKey(profile) || _priors.ContainsKey(profile);

    /// <summary>The profile of a catalog id, if the mapping names one.</summary>
    public string? ProfileOf(string catalogId) => _byCatalogId.GetValueOrDefault(catalogId);

    /// <summary>Priors per <see cref="TaskCategory"/> (enum order), or null.</summary>
    public double[]? Priors(string profile) => _priors.GetValueOrDefault(profile);

    private static QualityCatalog Load(TaskAnalyzer analyzer)
    {
        var ids = new List<KeyValuePair<string, string>>();
        using (var reader = Open("quality-profiles.csv"))
        {
            foreach (var row in Csv.ReadWithHeader(reader))
            {
                foreach (var id in row["catalog_ids"].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    ids.Add(new(id, row["profile"]));
                }
            }
        }

        var priors = new Dictionary<string, double[]>(StringComparer.Ordinal);
        var outputTokens = new Dictionary<string, int>(StringComparer.Ordinal);
        using (var reader = Open("quality-priors.csv"))
        {
            foreach (var row in Csv.ReadWithHeader(reader))
            {
                if (!TaskCategories.TryParse(row["category"], out var category))
                {
                    continue;
                }

                if (!priors.TryGetValue(row["profile"], out var values))
                {
                    priors[row["profile"]] = values = new double[TaskCategories.All.Length];
                }

                values[(int)category] = double.Parse(row["prior"], CultureInfo.InvariantCulture);
                outputTokens[row["profile"]] = int.Parse(row["output_tokens"], CultureInfo.InvariantCulture);
            }
        }

        return new QualityCatalog(analyzer, ids, priors, outputTokens);
    }

    private static StreamReader Open(string name) =>
        new(typeof(QualityCatalog).Assembly.GetManifestResourceStream("Switchyard.Inspection." + name)
            ?? throw new InvalidOperationException($"embedded data file {name} is missing"));
}
