using System.Globalization;
using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// A run of digits and separators, classified by the shape of its groups and the words before it: IPv4, a date (of
/// birth, near a birth word), US SSN, payment card (also wrapped onto a second line), the house number of a street
/// address, or a phone number. Amounts, versions, decimals and identifiers are none of these.
/// </summary>
internal static class NumberScanner
{
    private static readonly string[] _ssnCues = ["ssn", "social security", "sozialversicherung"];

    // Before a number, these words say it is a version or build number, not an address.
    private static readonly string[] _versionCues = ["version", "versión", "versione", "versie", "versão", "build", "release", "firmware", "v", "kernel", "chrome", "safari", "android", "ios"];

    private static int Sum(ReadOnlySpan<int> values)
    {
        var sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }

    /// <summary>Spaces of any width count as spaces: no-break (U+00A0), narrow no-break (U+202F), thin (U+2009).</summary>
    private static bool IsSpace(char c) => c is ' ' or '\u00A0' or '\u202F' or '\u2009';

    private static bool IsNumberSeparator(char c) => IsSpace(c) || c is '-' or '.' or '/' or '(' or ')';

    public static int Scan(ReadOnlySpan<char> text, int p, List<PiiSpan> spans)
    {
        if (DateOfBirthDetector.TextualDate(text, p, out var dateStart) is var dateEnd and > 0)
        {
            // "born on March 3rd, 1984", "DOB: 3 March 1984": a date of birth; any other such date is no entity of ours.
            if (DateOfBirthDetector.NearBirthWord(text, dateStart))
            {
                Add(spans, PiiType.DateOfBirth, dateStart, dateEnd);
            }

            return dateEnd;
        }

        // "RE-2024-00123", "ORD_2024_7", "/orders/4711": digits after letters and a dash, underscore or slash belong to an identifier.
        if (p >= 2 && text[p - 1] is '-' or '_' or '/' && char.IsLetterOrDigit(text[p - 2]))
        {
            return IdentifierEnd(text, p);
        }

        var start = p;
        var plus = false;
        var paren = false;
        if (start > 0 && text[start - 1] == '(')
        {
            start--;
        }

        if (start > 0 && text[start - 1] == '+')
        {
            start--;
            plus = true;
        }

        Span<int> groups = stackalloc int[12];
        var groupCount = 0;
        var digits = 0;
        var separators = 0; // bit per separator kind
        var i = p;
        var end = p;
        var extension = false;
        while (i < text.Length)
        {
            var run = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                run++;
                i++;
            }

            if (groupCount < groups.Length)
            {
                groups[groupCount] = run;
            }

            groupCount++;
            digits += run;
            end = i;

            // Separators: at most three in a row (") ", " - ", "  "), and a digit must follow them.
            var j = i;
            var kinds = 0;
            while (j < text.Length && j - i < 3 && IsNumberSeparator(text[j]))
            {
                kinds |= SeparatorBit(text[j]);
                j++;
            }

            // A date followed by its time ("1992-02-20 22:50") ends at the date; a full stop and a space end a sentence.
            var dateThenSpace = i < text.Length && text[i] == ' ' && groupCount == 3 && separators is 2 or 4 or 8;
            dateThenSpace |= i + 1 < text.Length && text[i] == '.' && text[i + 1] is ' ' or '\n';
            if (j > i && j < text.Length && char.IsAsciiDigit(text[j]) && !dateThenSpace)
            {
                separators |= kinds;
                i = j;
                continue;
            }

            // Phone extensions: 555-555-5555x123, " ext. 123".
            if (digits >= 7 && i + 1 < text.Length && text[i] == 'x' && char.IsAsciiDigit(text[i + 1]))
            {
                i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                end = i;
                extension = true;
            }

            break;
        }

        if (end < text.Length && (char.IsLetter(text[end]) || text[end] == '_') && !extension)
        {
            // Glued to letters (5th, 10km, v2): not an entity of ours.
            var skip = end;
            while (skip < text.Length && char.IsLetterOrDigit(text[skip]))
            {
                skip++;
            }

            return skip;
        }

        var shape = groups[..Math.Min(groupCount, groups.Length)];
        var onlyDots = separators == SeparatorBit('.');

        // A parenthesis is part of a phone number only around a short group that more digits follow: "(415) 555-2671",
        // "+44 (0)20 7946 0958", "1 (800) 555-0199"; not a number in brackets ("(06823020)") or "1 (2021-07-03)".
        paren = ((start < p && text[start] == '(' || (plus && start + 1 < p && text[start + 1] == '(')) && p + shape[0] < text.Length && text[p + shape[0]] == ')'
                && shape[0] <= 5 && groupCount >= 2)
            || ((separators & SeparatorBit('(')) != 0 && text[p..end].Contains(')') && text[p..end].Contains('('));
        if (start < p && text[start] == '(' && !paren)
        {
            // An opening bracket of the prose: "(078-05-1120 on the form)".
            start++;
            plus = plus && text[start] == '+';
        }

        if (!plus && groupCount == 4 && onlyDots && NetworkDetectors.IsIpV4(text[p..end]))
        {
            if (!NearWord(text, p, _versionCues, 12))
            {
                Add(spans, PiiType.IpAddress, p, end);
            }

            return end;
        }

        if (!plus && !paren && DateOfBirthDetector.IsDate(text[p..end], shape, separators))
        {
            if (DateOfBirthDetector.NearBirthWord(text, p))
            {
                Add(spans, PiiType.DateOfBirth, p, end);
            }

            return end;
        }

        if (!plus && !paren && groupCount <= 3 && (separators | SeparatorBit(' ')) == SeparatorBit(' ') && AddressLines.UnitWordStart(text, p) is var unitStart and >= 0)
        {
            // "Apt. 305", "Suite 680 36 4022 Oakridge Lane": a unit, and the street that may follow it; not a phone or an SSN.
            var unitStreet = groupCount > 1 ? AddressDetector.StreetAddress(text, p, end) : 0;
            var unitEnd = Math.Max(unitStreet, AddressLines.AfterUnit(text, end));
            Add(spans, PiiType.StreetAddress, unitStart, unitEnd);
            return unitEnd;
        }

        if (!plus && !paren && groupCount == 3 && shape[0] == 3 && shape[1] == 2 && shape[2] == 4 && (separators == SeparatorBit('-') || separators == SeparatorBit(' ')))
        {
            var area = int.Parse(text.Slice(p, 3), CultureInfo.InvariantCulture);
            var group = int.Parse(text.Slice(p + 4, 2), CultureInfo.InvariantCulture);
            var serial = int.Parse(text.Slice(p + 7, 4), CultureInfo.InvariantCulture);
            if (PiiValidators.UsSsn(area, group, serial))
            {
                Add(spans, PiiType.UsSsn, p, end);
            }

            return end;
        }

        if (CardDetector.Find(text, p, end, shape, digits, plus || paren || extension, separators, spans) is var cardEnd and > 0)
        {
            return cardEnd;
        }

        if (!plus && groupCount == 1 && digits == 9 && !extension && NearWord(text, p, _ssnCues, 96))
        {
            var area = int.Parse(text.Slice(p, 3), CultureInfo.InvariantCulture);
            var group = int.Parse(text.Slice(p + 3, 2), CultureInfo.InvariantCulture);
            var serial = int.Parse(text.Slice(p + 5, 4), CultureInfo.InvariantCulture);
            if (PiiValidators.UsSsn(area, group, serial))
            {
                Add(spans, PiiType.UsSsn, p, end);
            }

            return end;
        }

        if (!plus && !paren && groupCount <= 3 && separators == SeparatorBit(' ') && AddressDetector.StreetAddress(text, p, end) is var street and > 0)
        {
            // "224 4966 Bond Street": house numbers, not a phone.
            Add(spans, PiiType.StreetAddress, p, street);
            return street;
        }

        // A postal code like 3610-114 is no phone number.
        if (!plus && groupCount == 2 && shape[0] == 4 && shape[1] == 3 && separators == SeparatorBit('-'))
        {
            return end;
        }

        if (PhoneDetector.IsPhone(text, start, p, end, shape, digits, plus, paren, separators, extension))
        {
            Add(spans, PiiType.Phone, start, end);
            return end;
        }

        if (groupCount == 1 && digits <= 6 && AddressDetector.StreetAddress(text, p, end) is var addressEnd and > 0)
        {
            Add(spans, PiiType.StreetAddress, p, addressEnd);
            return addressEnd;
        }

        if (!plus && groupCount == 1 && AddressLines.IsPostalCodeNearCue(text, p, digits))
        {
            Add(spans, PiiType.StreetAddress, p, end);
            return end;
        }

        return end;
    }

    /// <summary>The end of an identifier's token (letters, digits, '-', '_', '/', '.') from <paramref name="p"/>.</summary>
    private static int IdentifierEnd(ReadOnlySpan<char> text, int p)
    {
        var e = p;
        while (e < text.Length && (char.IsLetterOrDigit(text[e]) || (text[e] is '-' or '_' or '/' or '.' && e + 1 < text.Length && char.IsLetterOrDigit(text[e + 1]))))
        {
            e++;
        }

        return e;
    }

    public static int SeparatorBit(char c) => c switch
    {
        ' ' or '\u00A0' or '\u202F' or '\u2009' => 1,
        '-' => 2,
        '.' => 4,
        '/' => 8,
        _ => 16, // parentheses
    };
}
