using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Payment cards in a run of digits: grouped as cards are printed (4-4-4-4, Amex 4-6-5, Diners 4-6-4, or not at all)
/// with any one separator people use (space of any width, dash, dot, slash), Luhn-valid, with a length and first
/// digit some issuer uses; also wrapped onto a second line, or after another number ("qty 12 4111 …").
/// </summary>
internal static class CardDetector
{
    /// <summary>A card in the run <paramref name="p"/>..<paramref name="end"/>: its end (also for a near miss, which is then no phone either), or 0.</summary>
    public static int Find(ReadOnlySpan<char> text, int p, int end, ReadOnlySpan<int> shape, int digits, bool phoneMarks, int separators, List<PiiSpan> spans)
    {
        if (phoneMarks || !OneSeparatorKind(separators))
        {
            return 0;
        }

        // A card wrapped onto the next line: "4111 1111\n1111 1111".
        if (digits < 16 && AllFours(shape) && NextLineDigits(text, end) is var next and > 0 && Wrapped(text, p, end, next, spans) is var wrappedEnd and > 0)
        {
            return wrappedEnd;
        }

        var spaceOrDash = (separators & ~(NumberScanner.SeparatorBit(' ') | NumberScanner.SeparatorBit('-'))) == 0;
        if (spaceOrDash && digits > 13 && shape.Length >= 2 && !(digits <= 19 && FinancialDetectors.IsCardGrouping(shape)))
        {
            // Another number right before a grouped card ("qty 12 4111 1111 1111 1111"): try the card alone.
            var offset = p;
            for (var drop = 1; drop < shape.Length; drop++)
            {
                offset += shape[drop - 1];
                while (!char.IsAsciiDigit(text[offset]))
                {
                    offset++;
                }

                var rest = shape[drop..];
                if (FinancialDetectors.IsCardGrouping(rest) && Sum(rest) is var n and >= 13 and <= 19 && IsCard(text[offset..end], n, text, offset))
                {
                    Add(spans, PiiType.CreditCard, offset, end);
                    return end;
                }
            }
        }

        if (digits is < 12 or > 19 || !FinancialDetectors.IsCardGrouping(shape))
        {
            return 0;
        }

        if (IsCard(text[p..end], digits, text, p))
        {
            Add(spans, PiiType.CreditCard, p, end);
            return end;
        }

        // A card-shaped number that fails is a near miss (a reference, a barcode), not a phone.
        return digits >= 13 ? end : 0;
    }

    private static int Sum(ReadOnlySpan<int> values)
    {
        var sum = 0;
        foreach (var v in values)
        {
            sum += v;
        }

        return sum;
    }

    /// <summary>Luhn, and a length and first digit some issuer uses; 12 and 13 digits (Maestro, old Visa) only after a card word, never after "EAN".</summary>
    private static bool IsCard(ReadOnlySpan<char> run, int digits, ReadOnlySpan<char> text, int p)
    {
        var first = FirstDigit(run);
        var issuer = digits switch
        {
            12 => first is '5' or '6',
            13 => first == '4',
            14 => first == '3',
            15 => first is '1' or '2' or '3',
            16 => first is >= '2' and <= '6',
            _ => first is >= '3' and <= '6',
        };
        if (!issuer || !PiiValidators.Luhn(run))
        {
            return false;
        }

        return digits >= 14 || NumberCues.Before(text, p) == NumberCue.Card;
    }

    private static char FirstDigit(ReadOnlySpan<char> run)
    {
        foreach (var c in run)
        {
            if (char.IsAsciiDigit(c))
            {
                return c;
            }
        }

        return '0';
    }

    private static bool OneSeparatorKind(int separators) =>
        separators == 0 || (separators & (separators - 1)) == 0 || separators == (NumberScanner.SeparatorBit(' ') | NumberScanner.SeparatorBit('-'));

    private static bool AllFours(ReadOnlySpan<int> shape)
    {
        foreach (var g in shape)
        {
            if (g != 4)
            {
                return false;
            }
        }

        return shape.Length is >= 1 and <= 3;
    }

    /// <summary>Where the digits continue on the next line after <paramref name="end"/> ("\n", "\r\n", spaces, a quote mark "> "), or 0.</summary>
    private static int NextLineDigits(ReadOnlySpan<char> text, int end)
    {
        var i = end;
        while (i < text.Length && text[i] is ' ' or '\u00A0')
        {
            i++;
        }

        if (i < text.Length && text[i] == '\r')
        {
            i++;
        }

        if (i >= text.Length || text[i] != '\n')
        {
            return 0;
        }

        i++;
        while (i < text.Length && text[i] is ' ' or '\u00A0' or '>')
        {
            i++;
        }

        return i < text.Length && char.IsAsciiDigit(text[i]) ? i : 0;
    }

    /// <summary>The groups of fours on the next line completing a Luhn-valid card: the end of the card, or 0.</summary>
    private static int Wrapped(ReadOnlySpan<char> text, int p, int end, int next, List<PiiSpan> spans)
    {
        Span<char> digits = stackalloc char[19];
        var n = 0;
        foreach (var c in text[p..end])
        {
            if (char.IsAsciiDigit(c))
            {
                digits[n++] = c;
            }
        }

        var i = next;
        var cardEnd = 0;
        while (i < text.Length && n < 19)
        {
            var g = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]) && n < 19)
            {
                digits[n++] = text[i++];
                g++;
            }

            if (g is 0 or > 4 || (i < text.Length && char.IsAsciiDigit(text[i])))
            {
                return 0;
            }

            cardEnd = i;
            if (i + 1 < text.Length && text[i] is ' ' or '-' or '.' or '\u00A0' && char.IsAsciiDigit(text[i + 1]) && g == 4)
            {
                i++;
                continue;
            }

            break;
        }

        if (n < 15 || (cardEnd < text.Length && char.IsLetterOrDigit(text[cardEnd])) || !IsCard(digits[..n], n, text, p))
        {
            return 0;
        }

        Add(spans, PiiType.CreditCard, p, cardEnd);
        return cardEnd;
    }
}
