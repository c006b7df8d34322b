using static Switchyard.Inspection.Privacy.ScanText;

namespace Switchyard.Inspection.Privacy;

/// <summary>IBANs (country length and mod-97) and the groupings payment cards are written in (Luhn is in <see cref="PiiValidators"/>).</summary>
internal static class FinancialDetectors
{
    public static int Iban(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
    {
        Span<char> country = [char.ToUpperInvariant(text[s]), char.ToUpperInvariant(text[s + 1])];
        var length = PiiValidators.IbanLength(country);
        if (length == 0)
        {
            return 0;
        }

        Span<char> compact = stackalloc char[34];
        var n = 0;
        var i = s;
        while (i < text.Length && n < length)
        {
            var c = text[i];
            if (char.IsAsciiLetterOrDigit(c))
            {
                compact[n++] = c;
                i++;
            }
            else if (c == ' ' && n >= 4 && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        if (n != length || (i < text.Length && char.IsAsciiLetterOrDigit(text[i])) || !PiiValidators.Iban(compact[..n]))
        {
            return 0;
        }

        Add(spans, PiiType.Iban, s, i);
        return i;
    }

    public static bool IsCardGrouping(ReadOnlySpan<int> shape)
    {
        if (shape.Length == 1)
        {
            return true;
        }

        // 4-4-4-4(-3), Amex 4-6-5, Diners 4-6-4.
        if (shape.Length == 3 && shape[0] == 4 && shape[1] == 6 && shape[2] is 4 or 5)
        {
            return true;
        }

        for (var g = 0; g < shape.Length - 1; g++)
        {
            if (shape[g] != 4)
            {
                return false;
            }
        }

        return shape[^1] is >= 1 and <= 4;
    }
}
