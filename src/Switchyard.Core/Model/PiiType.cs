namespace Switchyard.Core.Model;

/// <summary>Kinds of sensitive data the privacy scanner finds.</summary>
public enum PiiType
{
    Email,
    Phone,
    CreditCard,
    Iban,
    UsSsn,
    UkNino,
    IpAddress,
    DateOfBirth,
    StreetAddress,
    Person,
    Secret,

    /// <summary>A tenant's own pattern or keyword list; the span's <c>Custom</c> index says which.</summary>
    Custom,
}

/// <summary>Names of entity types as they appear in configuration, headers, the ledger and eval output.</summary>
public static class PiiTypeNames
{
    private static readonly string[] _names =
        ["EMAIL", "PHONE", "CREDIT_CARD", "IBAN", "US_SSN", "UK_NINO", "IP_ADDRESS", "DATE_OF_BIRTH", "STREET_ADDRESS", "PERSON", "SECRET", "CUSTOM"];

    /// <summary>Every built-in type, in declaration order.</summary>
    public static IReadOnlyList<PiiType> BuiltIn { get; } = [.. Enum.GetValues<PiiType>().Where(t => t != PiiType.Custom)];

    public static string Name(PiiType type) => _names[(int)type];

    /// <summary>Parses a built-in type name (case-insensitive).</summary>
    public static bool TryParse(string name, out PiiType type)
    {
        for (var i = 0; i < _names.Length - 1; i++)
        {
            if (string.Equals(_names[i], name, StringComparison.OrdinalIgnoreCase))
            {
                type = (PiiType)i;
                return true;
            }
        }

        type = default;
        return false;
    }
}
