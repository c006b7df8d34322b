using System.Collections.Frozen;

namespace Switchyard.Inspection.Privacy;

/// <summary>Checksums and validity rules that turn a digit pattern into an entity (or reject a near miss).</summary>
public static class PiiValidators
{
    /// <summary>IBAN length by country (ISO 13616 registry, SWIFT release 2024).</summary>
    private static readonly FrozenDictionary<string, int> _ibanLengths = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["AD"] = 24, ["AE"] = 23, ["AL"] = 28, ["AT"] = 20, ["AZ"] = 28, ["BA"] = 20, ["BE"] = 16, ["BG"] = 22, ["BH"] = 22, ["BI"] = 27,
        ["BR"] = 29, ["BY"] = 28, ["CH"] = 21, ["CR"] = 22, ["CY"] = 28, ["CZ"] = 24, ["DE"] = 22, ["DJ"] = 27, ["DK"] = 18, ["DO"] = 28,
        ["EE"] = 20, ["EG"] = 29, ["ES"] = 24, ["FI"] = 18, ["FK"] = 18, ["FO"] = 18, ["FR"] = 27, ["GB"] = 22, ["GE"] = 22, ["GI"] = 23,
        ["GL"] = 18, ["GR"] = 27, ["GT"] = 28, ["HR"] = 21, ["HU"] = 28, ["IE"] = 22, ["IL"] = 23, ["IQ"] = 23, ["IS"] = 26, ["IT"] = 27,
        ["JO"] = 30, ["KW"] = 30, ["KZ"] = 20, ["LB"] = 28, ["LC"] = 32, ["LI"] = 21, ["LT"] = 20, ["LU"] = 20, ["LV"] = 21, ["LY"] = 25,
        ["MC"] = 27, ["MD"] = 24, ["ME"] = 22, ["MK"] = 19, ["MN"] = 20, ["MR"] = 27, ["MT"] = 31, ["MU"] = 30, ["NI"] = 28, ["NL"] = 18,
        ["NO"] = 15, ["OM"] = 23, ["PK"] = 24, ["PL"] = 28, ["PS"] = 29, ["PT"] = 25, ["QA"] = 29, ["RO"] = 24, ["RS"] = 22, ["RU"] = 33,
        ["SA"] = 24, ["SC"] = 31, ["SD"] = 18, ["SE"] = 24, ["SI"] = 19, ["SK"] = 24, ["SM"] = 27, ["SO"] = 23, ["ST"] = 25, ["SV"] = 28,
        ["TL"] = 23, ["TN"] = 24, ["TR"] = 26, ["UA"] = 29, ["VA"] = 22, ["VG"] = 24, ["XK"] = 20, ["YE"] = 30,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _ibanLookup =
        _ibanLengths.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Luhn (mod 10) over the digits of <paramref name="digits"/> (other characters are skipped).</summary>
    public static bool Luhn(ReadOnlySpan<char> digits)
    {
        var sum = 0;
        var count = 0;
        for (var i = digits.Length - 1; i >= 0; i--)
        {
            var c = digits[i];
            if (!char.IsAsciiDigit(c))
            {
                continue;
            }

            var d = c - '0';
            if ((count & 1) == 1)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
            count++;
        }

        return count > 0 && sum % 10 == 0;
    }

    /// <summary>The IBAN length registered for a country code (upper case), or 0.</summary>
    public static int IbanLength(ReadOnlySpan<char> country) => _ibanLookup.TryGetValue(country, out var length) ? length : 0;

    /// <summary>
    /// An IBAN given as its compact alphanumeric characters (no spaces): registered country, registered length,
    /// check digits, and ISO 7064 mod 97-10 equal to 1. Letters may be either case.
    /// </summary>
    public static bool Iban(ReadOnlySpan<char> compact)
    {
        if (compact.Length < 15 || compact.Length > 34 || !char.IsAsciiLetter(compact[0]) || !char.IsAsciiLetter(compact[1])
            || !char.IsAsciiDigit(compact[2]) || !char.IsAsciiDigit(compact[3]))
        {
            return false;
        }

        Span<char> country = [char.ToUpperInvariant(compact[0]), char.ToUpperInvariant(compact[1])];
        if (IbanLength(country) != compact.Length)
        {
            return false;
        }

        // Move the first four characters to the end and read letters as 10..35, reducing mod 97 as we go.
        var remainder = 0;
        for (var k = 0; k < compact.Length; k++)
        {
            var c = compact[(k + 4) % compact.Length];
            if (char.IsAsciiDigit(c))
            {
                remainder = ((remainder * 10) + (c - '0')) % 97;
            }
            else if (char.IsAsciiLetter(c))
            {
                var v = char.ToUpperInvariant(c) - 'A' + 10;
                remainder = ((remainder * 100) + v) % 97;
            }
            else
            {
                return false;
            }
        }

        return remainder == 1;
    }

    /// <summary>
    /// US Social Security Number rules (SSA): area not 000, 666 or 900–999; group not 00; serial not 0000.
    /// </summary>
    public static bool UsSsn(int area, int group, int serial) =>
        area is > 0 and < 900 and not 666 && group is > 0 and < 100 && serial is > 0 and < 10_000;

    /// <summary>
    /// UK National Insurance number prefix rules (HMRC): neither letter D, F, I, Q, U or V; the second not O;
    /// and not the prefixes BG, GB, KN, NK, NT, TN or ZZ. The suffix is A–D.
    /// </summary>
    public static bool UkNinoPrefix(char first, char second)
    {
        first = char.ToUpperInvariant(first);
        second = char.ToUpperInvariant(second);
        if (!char.IsAsciiLetterUpper(first) || !char.IsAsciiLetterUpper(second) || "DFIQUV".Contains(first) || "DFIQUVO".Contains(second))
        {
            return false;
        }

        return (first, second) is not (('B', 'G') or ('G', 'B') or ('K', 'N') or ('N', 'K') or ('N', 'T') or ('T', 'N') or ('Z', 'Z'));
    }

    /// <summary>Shannon entropy in bits per character.</summary>
    public static double Entropy(ReadOnlySpan<char> token)
    {
        if (token.IsEmpty)
        {
            return 0;
        }

        Span<int> counts = stackalloc int[128];
        counts.Clear();
        var other = 0;
        foreach (var c in token)
        {
            if (c < 128)
            {
                counts[c]++;
            }
            else
            {
                other++;
            }
        }

        double entropy = 0;
        double n = token.Length;
        foreach (var count in counts)
        {
            if (count > 0)
            {
                var p = count / n;
                entropy -= p * Math.Log2(p);
            }
        }

        if (other > 0)
        {
            var p = other / n;
            entropy -= p * Math.Log2(p);
        }

        return entropy;
    }
}
