using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>National identifiers: UK National Insurance numbers (US SSNs are digit runs: <see cref="NumberScanner"/>).</summary>
internal static class NationalIdDetectors
{
    public static int Nino(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
    {
        if (!PiiValidators.UkNinoPrefix(text[s], text[s + 1]))
        {
            return 0;
        }

        // AB123456C or AB 12 34 56 C.
        var i = s + 2;
        var digits = 0;
        while (i < text.Length && digits < 6)
        {
            if (char.IsAsciiDigit(text[i]))
            {
                digits++;
                i++;
            }
            else if (text[i] == ' ' && digits % 2 == 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                i++;
            }
            else
            {
                break;
            }
        }

        if (digits != 6)
        {
            return 0;
        }

        if (i + 1 < text.Length && text[i] == ' ' && char.IsAsciiLetter(text[i + 1]))
        {
            i++;
        }

        if (i >= text.Length || char.ToUpperInvariant(text[i]) is not ('A' or 'B' or 'C' or 'D') || (i + 1 < text.Length && char.IsLetterOrDigit(text[i + 1])))
        {
            return 0;
        }

        Add(spans, PiiType.UkNino, s, i + 1);
        return i + 1;
    }
}
