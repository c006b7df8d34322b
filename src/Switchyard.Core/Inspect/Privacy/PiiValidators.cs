using System.Collections.Frozen;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>Checksums and validity rules that turn a digit pattern into an entity (or reject a near miss).</summary>
public static class PiiValidators
{
    /// <summary>IBAN length by country (ISO 13616 registry, SWIFT release 2024): country code then length.</summary>
    private const string IbanRegistry = """
        AD24 AE23 AL28 AT20 AZ28 BA20 BE16 BG22 BH22 BI27 BR29 BY28 CH21 CR22 CY28 CZ24 DE22 DJ27 DK18 DO28
        EE20 EG29 ES24 FI18 FK18 FO18 FR27 GB22 GE22 GI23 GL18 GR27 GT28 HR21 HU28 IE22 IL23 IQ23 IS26 IT27
        JO30 KW30 KZ20 LB28 LC32 LI21 LT20 LU20 LV21 LY25 MC27 MD24 ME22 MK19 MN20 MR27 MT31 MU30 NI28 NL18
        NO15 OM23 PK24 PL28 PS29 PT25 QA29 RO24 RS22 RU33 SA24 SC31 SD18 SE24 SI19 SK24 SM27 SO23 ST25 SV28
        TL23 TN24 TR26 UA29 VA22 VG24 XK20 YE30
        """;

    private static readonly FrozenDictionary<string, int> _ibanLengths = IbanRegistry
        .Split((char[])[' ', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries)
        .ToFrozenDictionary(e => e[..2], e => int.Parse(e.AsSpan(2), System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);

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
