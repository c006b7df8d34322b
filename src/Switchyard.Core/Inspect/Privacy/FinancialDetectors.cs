using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

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
            else if (n >= 4 && Separator(text, i, n) is var next and > 0)
            {
                i = next;
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

    /// <summary>
    /// Where the IBAN continues after the separator at <paramref name="i"/>, or 0: one to three spaces of any width,
    /// a dash or a dot between groups of four, or a line break (with the spaces around it) after a group of four.
    /// </summary>
    private static int Separator(ReadOnlySpan<char> text, int i, int n)
    {
        var j = i;
        var breaks = 0;
        while (j < text.Length && j - i < 6 && text[j] is ' ' or '\u00A0' or '\u202F' or '\u2009' or '-' or '.' or '\r' or '\n')
        {
            breaks += text[j] == '\n' ? 1 : 0;
            if (text[j] is '-' or '.' && (n % 4 != 0 || j > i))
            {
                return 0;
            }

            j++;
        }

        if (j == i || j >= text.Length || !char.IsAsciiLetterOrDigit(text[j]) || breaks > 1 || (breaks == 1 && n % 4 != 0) || (breaks == 0 && j - i > 3))
        {
            return 0;
        }

        return j;
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
