using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// The compiled privacy settings of a route table: the scanner (built-in detectors plus the configured custom
/// ones), the mapping from entity type to data class, and the default action for restricted data.
/// </summary>
public sealed class PrivacyPolicy
{
    /// <summary>Defaults: cards, IBANs, SSNs, NI numbers and secrets are restricted; personal data is confidential.</summary>
    public static IReadOnlyDictionary<PiiType, DataClass> DefaultClasses { get; } = new Dictionary<PiiType, DataClass>
    {
        [PiiType.CreditCard] = DataClass.Restricted,
        [PiiType.Iban] = DataClass.Restricted,
        [PiiType.UsSsn] = DataClass.Restricted,
        [PiiType.UkNino] = DataClass.Restricted,
        [PiiType.Secret] = DataClass.Restricted,
        [PiiType.Email] = DataClass.Confidential,
        [PiiType.Phone] = DataClass.Confidential,
        [PiiType.Person] = DataClass.Confidential,
        [PiiType.StreetAddress] = DataClass.Confidential,
        [PiiType.DateOfBirth] = DataClass.Confidential,
        [PiiType.IpAddress] = DataClass.Internal,
    };

    private readonly DataClass[] _classes;

    public PrivacyPolicy(PrivacyScanner scanner, IReadOnlyDictionary<PiiType, DataClass>? classes = null, RestrictedAction onRestricted = RestrictedAction.Refuse)
    {
        ArgumentNullException.ThrowIfNull(scanner);
        Scanner = scanner;
        OnRestricted = onRestricted;
        _classes = new DataClass[Enum.GetValues<PiiType>().Length];
        foreach (var type in PiiTypeNames.BuiltIn)
        {
            _classes[(int)type] = classes is not null && classes.TryGetValue(type, out var c) ? c : DefaultClasses[type];
        }
    }

    /// <summary>Built-in detectors, default classes, refuse.</summary>
    public static PrivacyPolicy Default { get; } = new(PrivacyScanner.Default);

    public PrivacyScanner Scanner { get; }

    public RestrictedAction OnRestricted { get; }

    /// <summary>The class a span gives its request.</summary>
    public DataClass ClassOf(PiiSpan span) => span.Type == PiiType.Custom ? Scanner.Custom[span.Custom].DataClass : _classes[(int)span.Type];

    /// <summary>The name a span is reported under (a custom detector's own name).</summary>
    public string NameOf(PiiSpan span) => span.Type == PiiType.Custom ? Scanner.Custom[span.Custom].Name : PiiTypeNames.Name(span.Type);
}

/// <summary>What the scanner found in one request: entity type names (never values) and the class they imply.</summary>
/// <param name="EntityTypes">Distinct type names, in order of first appearance.</param>
/// <param name="DataClass">The highest class among the found types (<see cref="DataClass.Public"/> when none).</param>
/// <param name="Reason">The types that set the class, for the data-class reason.</param>
public sealed record PrivacyFindings(IReadOnlyList<string> EntityTypes, DataClass DataClass, string Reason)
{
    public static PrivacyFindings None { get; } = new([], DataClass.Public, "");

    internal static PrivacyFindings From(List<PiiSpan> spans, PrivacyPolicy policy)
    {
        if (spans.Count == 0)
        {
            return None;
        }

        var names = new List<string>(4);
        var top = DataClass.Public;
        foreach (var span in spans)
        {
            var name = policy.NameOf(span);
            if (!names.Contains(name))
            {
                names.Add(name);
            }

            var c = policy.ClassOf(span);
            if (c > top)
            {
                top = c;
            }
        }

        var reason = string.Join(", ", names.Where(n => spans.Exists(s => policy.NameOf(s) == n && policy.ClassOf(s) == top)));
        return new PrivacyFindings(names, top, reason);
    }
}
