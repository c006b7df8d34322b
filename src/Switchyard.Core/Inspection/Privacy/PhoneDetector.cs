using static Switchyard.Inspection.Privacy.NumberScanner;

namespace Switchyard.Inspection.Privacy;

/// <summary>Phone numbers, told from quantities, dates and postal codes by how their digits are grouped.</summary>
internal static class PhoneDetector
{
    /// <summary>
    /// Phone numbers: E.164 (+ and 8–15 digits), and national formats written in groups (US 3-3-4 with an
    /// optional (area) and 1 or 001 prefix, UK 0xxxx xxxxxx, DE 0xxx xxxxxxx, FR 0x xx xx xx xx, NL 0xx xxx xxxx,
    /// ES xxx xxx xxx, IT 0x xxxx xxxx / 3xx xxx xxxx). Grouping is what tells a phone from a quantity.
    /// </summary>
    public static bool IsPhone(ReadOnlySpan<int> shape, int digits, bool plus, bool paren, int separators, bool extension)
    {
        if (plus)
        {
            return digits is >= 8 and <= 15;
        }

        if (digits is < 7 or > 15)
        {
            return false;
        }

        if (shape.Length == 1)
        {
            // Unseparated: a US or European 10–11 digit number, or one with an extension.
            return digits is 10 or 11 || (extension && digits >= 10);
        }

        // Every group but a leading country or trunk code has at least two digits.
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

        // Two four-digit years ("2019-2020", "1990 2000") are a range, not a phone.
        if (shape.Length == 2 && shape[0] == 4 && shape[1] == 4 && !paren && separators != SeparatorBit(' '))
        {
            return false;
        }

        return true;
    }
}
