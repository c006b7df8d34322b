using static Switchyard.Core.Inspect.Privacy.NumberScanner;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Phone numbers, told from order and tracking numbers, amounts, versions, decimals and dates by how their digits
/// are grouped and by the words before them.
/// </summary>
internal static class PhoneDetector
{
    /// <summary>
    /// A phone number: E.164 (+ and 8–15 digits) or an area code in parentheses always; after a phone word ("Tel.",
    /// "call", "Handy", "portable", "móvil") any grouping a phone has; after an identifier word ("order", "tracking",
    /// "version", "#") never; with no cue only the shapes numbers other than phones rarely have: a national trunk 0
    /// (UK 020 7946 0958, DE 030 12345678, FR 01 23 45 67 89, NL 06-12345678), the North American 3-3-4, and the
    /// Spanish and Portuguese nine digits of a mobile or landline grouped in threes or pairs. Amounts next to a
    /// currency, decimals and dotted versions are no phones.
    /// </summary>
    public static bool IsPhone(ReadOnlySpan<char> text, int start, int p, int end, ReadOnlySpan<int> shape, int digits, bool plus, bool paren, int separators, bool extension)
    {
        if (plus)
        {
            return digits is >= 8 and <= 15 && !NumberCues.NextToCurrency(text, start, end);
        }

        if (digits is < 7 or > 15 || !Grouped(shape, paren, separators))
        {
            return false;
        }

        var cue = NumberCues.Around(text, start, end);
        if (cue == NumberCue.Identifier || NumberCues.NextToCurrency(text, start, end))
        {
            return false;
        }

        var dots = separators == SeparatorBit('.');
        if (cue == NumberCue.Phone || paren || extension)
        {
            // A decimal ("12.345678") or a version ("1.4.22.1903") stays what it is even after "call".
            return !dots || DottedPhone(text[p..end], shape);
        }

        if (dots)
        {
            return DottedPhone(text[p..end], shape);
        }

        var first = text[p];
        if (first == '0')
        {
            // National trunk prefix (or 00 for abroad): ungrouped only with the 10 or 11 digits of a national number.
            return shape.Length > 1 ? digits >= 9 : digits is 10 or 11;
        }

        if (shape.Length == 3 && shape[0] == 3 && shape[1] == 3 && shape[2] == 4 || shape.Length == 4 && shape[0] == 1 && shape[1] == 3 && shape[2] == 3 && shape[3] == 4)
        {
            return true; // 415-555-2671, 1-800-555-0199, 345 123 4567
        }

        // Spain (6xx, 7xx, 9xx) and Portugal (9x mobile, 2x landline) write nine digits in threes or pairs.
        return digits == 9 && first is '6' or '7' or '9' or '2' && shape.Length >= 3 && shape[0] is 2 or 3;
    }

    /// <summary>Groups a phone has: every group but a leading country or trunk code of two digits or more; not two years ("2019-2020").</summary>
    private static bool Grouped(ReadOnlySpan<int> shape, bool paren, int separators)
    {
        if (shape.Length == 1)
        {
            return true;
        }

        for (var g = 1; g < shape.Length; g++)
        {
            if (shape[g] < 2)
            {
                return false;
            }
        }

        if (shape[0] < 2 && !(shape[0] == 1 && shape.Length >= 4))
        {
            return false;
        }

        return !(shape.Length == 2 && shape[0] == 4 && shape[1] == 4 && !paren && separators != SeparatorBit(' '));
    }

    /// <summary>Dots only in the US 555.123.4567 and the French 01.23.45.67.89; else a decimal, version, amount or build number.</summary>
    private static bool DottedPhone(ReadOnlySpan<char> run, ReadOnlySpan<int> shape) =>
        (shape.Length == 3 && shape[0] == 3 && shape[1] == 3 && shape[2] == 4)
        || (shape.Length == 5 && run[0] == '0' && shape[0] == 2 && shape[1] == 2 && shape[2] == 2 && shape[3] == 2 && shape[4] == 2);
}
