using static Switchyard.Core.Inspect.Privacy.ScanText;
using static Switchyard.Core.Inspect.Privacy.StreetWords;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Street addresses, what comes with or instead of the street line: units (<c>Apt. 305</c>), post-office boxes,
/// US military addresses, a postal code after its cue word, and the town / state / postal-code lines that follow a
/// street (<see cref="Tail"/>). The street line itself is <see cref="AddressDetector"/>; the words both use are <see cref="StreetWords"/>.
/// </summary>
internal static class AddressLines
{
    private static readonly string[] _militaryOfficeMarks = ["APO ", "FPO ", "DPO "];

    private static readonly string[] _postalCodeCues = ["zip", "postcode", "postal code", "post code"];

    /// <summary>Where the unit word ("Apt.", "Suite", "Unit", "#") right before the number at <paramref name="p"/> starts, or -1.</summary>
    public static int UnitWordStart(ReadOnlySpan<char> text, int p)
    {
        var i = p - 1;
        while (i >= 0 && text[i] is ' ' or '.')
        {
            i--;
        }

        var we = i + 1;
        while (i >= 0 && char.IsLetter(text[i]))
        {
            i--;
        }

        var length = we - i - 1;
        return length is >= 3 and <= 9 && we < p && char.ToLowerInvariant(text[i + 1]) is 'a' or 's' or 'u' or 'f'
            && UnitWords.Contains(text[(i + 1)..we]) && (i < 0 || !char.IsLetterOrDigit(text[i])) ? i + 1 : -1;
    }

    /// <summary>The end of a unit written alone ("Apt. 944", "Suite 680") with what follows it, its number ending at <paramref name="numberEnd"/>.</summary>
    public static int AfterUnit(ReadOnlySpan<char> text, int numberEnd) => Tail(text, numberEnd, LowerCaseAround(text, numberEnd));

    /// <summary>
    /// "P.O. Box 255", "PO Box 17", and US military addresses: "PSC 7004, Box 8380 APO AP 11949", "Unit 5906 Box 6078
    /// DPO AP 49101", "USNS Björklund FPO AP 07688". The end, or 0.
    /// </summary>
    public static int PostBox(ReadOnlySpan<char> text, int s, int e)
    {
        var word = text[s..e];
        if (word.Length > 5 || (word.Length > 1 && !char.IsUpper(word[1]) && word is not "Unit"))
        {
            return 0;
        }

        if (word is "P" && text[e..].StartsWith(".O. Box ", StringComparison.Ordinal))
        {
            return NumberAt(text, e + 8);
        }

        if (word is "PO" && text[e..].StartsWith(" Box ", StringComparison.Ordinal))
        {
            return NumberAt(text, e + 5);
        }

        if (word is "APO" or "FPO" or "DPO")
        {
            return MilitaryZip(text, e);
        }

        if (word is not ("PSC" or "Unit" or "USS" or "USNS" or "USNV" or "USCGC" or "CMR") || text[e..Math.Min(text.Length, e + 48)].IndexOf("PO ", StringComparison.Ordinal) < 0)
        {
            return 0;
        }

        // The first line, then the post office on the same or the next line.
        var i = e;
        var limit = Math.Min(text.Length, e + 48);
        while (i < limit && text[i] != '\n')
        {
            i++;
        }

        var j = i;
        while (j < limit && text[j] is '\n' or '\r' or ' ' or ',')
        {
            j++;
        }

        var line = text[e..i];
        var officeAt = -1;
        foreach (var office in _militaryOfficeMarks)
        {
            var k = line.IndexOf(office, StringComparison.Ordinal);
            if (k >= 0)
            {
                officeAt = e + k + 3;
                break;
            }
        }

        if (officeAt < 0 && j + 3 <= text.Length && text[j..(j + 3)] is "APO" or "FPO" or "DPO")
        {
            officeAt = j + 3;
        }

        return officeAt < 0 ? 0 : MilitaryZip(text, officeAt);
    }

    /// <summary>A five-digit postal code right after "zip code", "zip", "postcode" or "postal code".</summary>
    public static bool IsPostalCodeNearCue(ReadOnlySpan<char> text, int p, int digits) =>
        digits is 5 && NearWord(text, p, _postalCodeCues);

    /// <summary>After "APO"/"FPO"/"DPO" at <paramref name="i"/>: " AA|AE|AP 12345"; the end, or 0.</summary>
    private static int MilitaryZip(ReadOnlySpan<char> text, int i)
    {
        if (i + 9 > text.Length || text[i] != ' ' || text[i + 1] != 'A' || text[i + 2] is not ('A' or 'E' or 'P') || text[i + 3] != ' ')
        {
            return 0;
        }

        var d = i + 4;
        while (d < text.Length && char.IsAsciiDigit(text[d]))
        {
            d++;
        }

        return d - i - 4 == 5 && (d >= text.Length || !char.IsLetterOrDigit(text[d])) ? d : 0;
    }

    /// <summary>
    /// What follows a street line: units, town and country words, state codes and a postal code, on the same line or
    /// the next ones. The address ends at the last unit, state code or postal code; town words count only when one
    /// of those follows them ("…\nDallas TX 48486" but not "…\nThanks, Bob").
    /// </summary>
    internal static int Tail(ReadOnlySpan<char> text, int end, bool lower)
    {
        var strongEnd = end;
        var i = end;
        for (var tokens = 0; tokens < 12; tokens++)
        {
            var j = i;
            var lines = 0;
            while (j < text.Length && j - i < 8 && text[j] is ' ' or ',' or '\n' or '\r' or '\t' or '>' or '?' or '|' or ';')
            {
                lines += text[j] == '\n' ? 1 : 0;
                j++;
            }

            if (j == i || j >= text.Length || lines > 2)
            {
                break;
            }

            if (char.IsAsciiDigit(text[j]))
            {
                // A postal code ends the address; digits that go on ("020 7946 0958") are something else.
                var d = j;
                while (d < text.Length && char.IsAsciiDigit(text[d]))
                {
                    d++;
                }

                if (d - j is < 3 or > 6 || (lower && IsYear(text[j..d])) || (d < text.Length && (char.IsLetterOrDigit(text[d]) || (text[d] is ' ' or '-' or '.' or '/' && d + 1 < text.Length && char.IsAsciiDigit(text[d + 1])))))
                {
                    break;
                }

                strongEnd = d;
                break;
            }

            var we = j;
            while (we < text.Length && (char.IsLetter(text[we]) || text[we] is '\'' or '-'))
            {
                we++;
            }

            if (we == j)
            {
                if (text[j] == '#' && j + 1 < text.Length && char.IsAsciiLetterOrDigit(text[j + 1]))
                {
                    i = UnitNumberEnd(text, j + 1);
                    strongEnd = i;
                    continue;
                }

                break;
            }

            var word = text[j..we];
            if (UnitWords.Contains(word))
            {
                var u = we < text.Length && text[we] == '.' ? we + 1 : we;
                if (u + 1 < text.Length && text[u] == ' ' && char.IsAsciiLetterOrDigit(text[u + 1]))
                {
                    i = UnitNumberEnd(text, u + 1);
                    strongEnd = i;
                    continue;
                }

                break;
            }

            if (word is "nan")
            {
                i = we;
                continue;
            }

            if (word.Length is 2 or 3 && IsAllUpper(word) && (we >= text.Length || !char.IsLetterOrDigit(text[we])))
            {
                // A state or province code: TX, NSW, AB.
                i = we;
                strongEnd = we;
                continue;
            }

            if (!char.IsUpper(word[0]) && !(lower && !NotStreets.Contains(word)))
            {
                break;
            }

            // Town or country words: "Colorado Springs", "Trinidad and Tobago", "Cyprus (Greek)".
            i = we;
            var townWords = 1;
            while (i + 1 < text.Length && text[i] == ' ' && townWords++ < 6)
            {
                var ns = i + 1;
                if (text[ns] == '(')
                {
                    var close = text[ns..].IndexOf(')');
                    if (close is > 1 and < 16)
                    {
                        i = ns + close + 1;
                        continue;
                    }

                    break;
                }

                if (!char.IsLetter(text[ns]))
                {
                    break;
                }

                var ne = WordEnd(text, ns);
                if (char.IsUpper(text[ns]) || (lower && !NotStreets.Contains(text[ns..ne])))
                {
                    i = ne;
                }
                else if (Connectors.Contains(text[ns..ne]) && ne + 1 < text.Length && text[ne] == ' ' && char.IsUpper(text[ne + 1]))
                {
                    i = ne;
                }
                else
                {
                    break;
                }
            }
        }

        return strongEnd;
    }

    private static int UnitNumberEnd(ReadOnlySpan<char> text, int i)
    {
        while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || (text[i] == '-' && i + 1 < text.Length && char.IsAsciiLetterOrDigit(text[i + 1]))))
        {
            i++;
        }

        return i;
    }

    private static bool IsAllUpper(ReadOnlySpan<char> word)
    {
        foreach (var c in word)
        {
            if (!char.IsUpper(c))
            {
                return false;
            }
        }

        return true;
    }

    internal static int NumberAt(ReadOnlySpan<char> text, int i)
    {
        var d = i;
        while (d < text.Length && char.IsAsciiDigit(text[d]))
        {
            d++;
        }

        return d > i && (d >= text.Length || !char.IsLetterOrDigit(text[d])) ? Tail(text, d, lower: false) : 0;
    }
}
