using static Switchyard.Core.Inspect.Privacy.AddressLines;
using static Switchyard.Core.Inspect.Privacy.ScanText;
using static Switchyard.Core.Inspect.Privacy.StreetWords;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Street addresses. The street line, in the forms Europe and North America write it: a house number then
/// capitalised words ending in a street word (<c>221B Baker Street</c>, <c>5 Hauptstraße</c>), a house number then a
/// street prefix (<c>12 Rue de Rivoli</c>), a street name between two numbers (<c>08 Via Zannoni 49</c>,
/// <c>4923 Parmova 109</c>), or a street name and number after an address cue (<c>lives at Kromwater 38</c>). Then
/// what follows it on the same or the next lines, as long as it ends in something only an address has: a unit
/// (<c>Apt. 305</c>, <c>Suite 680</c>), a state code (<c>TX</c>) or a postal code (<c>Dallas TX 48486</c>,
/// <c>Marshall Islands 56293</c>). Also unit numbers alone, post-office boxes, US military addresses
/// (<c>PSC 7004, Box 8380 / APO AP 11949</c>) and a postal code after "zip code" or "postcode".
/// </summary>
internal static class AddressDetector
{
    /// <summary>"221B Baker Street", "1600 Pennsylvania Avenue NW", "12 Rue de Rivoli", "5 Hauptstraße": the end of the address, or 0.</summary>
    public static int StreetAddress(ReadOnlySpan<char> text, int p, int numberEnd)
    {
        if (numberEnd + 1 < text.Length && text[numberEnd] == ' ' && char.IsUpper(text[numberEnd + 1])
            && PostBox(text, numberEnd + 1, WordEnd(text, numberEnd + 1)) is var box and > 0)
        {
            // "98 P.O. Box 101".
            return box;
        }

        // Text typed all in lower case ("46 via raffaele conforti 74") gets lower-case street words, more strictly.
        var lower = -1;
        var i = numberEnd;
        var words = 0;
        var lastEnd = 0;
        var prefixed = false;
        while (words < 6)
        {
            // One space (or a comma and a space after the number in "12, Via Roma").
            if (i >= text.Length || text[i] != ' ')
            {
                break;
            }

            i++;
            var ws = i;
            while (i < text.Length && (char.IsLetter(text[i]) || text[i] is '\'' or '.' or '-'))
            {
                i++;
            }

            if (i == ws)
            {
                break;
            }

            var word = text[ws..i].TrimEnd('.');
            if (word.IsEmpty)
            {
                break;
            }

            if (words == 0 && StreetPrefixes.Contains(word))
            {
                prefixed = true;
            }
            else if (!char.IsUpper(word[0]) && !(prefixed && word.Length <= 4))
            {
                if (lower < 0)
                {
                    lower = LowerCaseAround(text, p) ? 1 : 0;
                }

                if (lower == 0 || words >= 3 || NotStreets.Contains(word))
                {
                    break;
                }
            }

            words++;
            if (StreetSuffixes.Contains(word) && words > 1)
            {
                lastEnd = ws + word.Length;
                break;
            }

            if (HasStreetEnding(word))
            {
                lastEnd = ws + word.Length;
            }

            if (lastEnd > 0 && !prefixed)
            {
                break;
            }

            if (prefixed && words >= 2 && (char.IsUpper(word[0]) || lower == 1))
            {
                // "Rue de Rivoli": the address runs to the last capitalised word after the prefix.
                lastEnd = ws + word.Length;
            }
        }

        if (lastEnd > 0)
        {
            var numbered = HouseNumberAfter(text, lastEnd);
            if (lower == 1 && prefixed && numbered == lastEnd)
            {
                // Lower case, "via" and words: an address only with its house number ("via lagrange 3").
                return 0;
            }

            return Tail(text, numbered, lower == 1);
        }

        // "08 Via Zannoni 49", "4923 Parmova 109", "10252 Μεγάλη Άμμος 184": a street name between two numbers.
        if (numberEnd >= text.Length || text[numberEnd] != ' ' || IsYear(text[p..numberEnd]))
        {
            return 0;
        }

        var streetEnd = NameThenNumber(text, numberEnd + 1);
        return streetEnd > 0 ? Tail(text, streetEnd, lower: false) : 0;
    }

    /// <summary>
    /// A street named without a leading house number, at the capitalised word <paramref name="s"/>: "Hauptstraße 5",
    /// "Magasinsgatan 7", or after an address cue: "lives at Kromwater 38", "the corner of Koepoortwal 115",
    /// "on Bezrukov Street". The end, or 0.
    /// </summary>
    public static int StreetFirst(ReadOnlySpan<char> text, int s, int e)
    {
        if (e + 1 >= text.Length || text[e] != ' ')
        {
            return 0;
        }

        var word = text[s..e];
        if (HasAddressCue(text, s))
        {
            if (NotStreets.Contains(word))
            {
                return 0;
            }

            var streetEnd = NameThenNumber(text, s);
            if (streetEnd == 0)
            {
                streetEnd = NameThenStreetWord(text, s, e);
            }

            return streetEnd > 0 ? Tail(text, streetEnd, lower: false) : 0;
        }

        if (char.IsAsciiDigit(text[e + 1]) && IsTitleCase(word) && HasStreetEnding(word))
        {
            var end = HouseNumberAfter(text, e);
            return end > e ? Tail(text, end, lower: false) : 0;
        }

        return 0;
    }

    /// <summary>
    /// "55 Halsey Road", "Tylova 1036", "Koontz Lane": words between a house number and a street word, or right
    /// before a house number, name a street or a town, not a person.
    /// </summary>
    public static bool InStreetName(ReadOnlySpan<char> text, int s, int e)
    {
        if (s >= 2 && text[s - 1] == ' ' && char.IsAsciiDigit(text[s - 2]))
        {
            return true;
        }

        if (e + 1 < text.Length && text[e] == ' ')
        {
            if (char.IsAsciiDigit(text[e + 1]))
            {
                return true;
            }

            var ne = WordEnd(text, e + 1);
            var next = text[(e + 1)..ne].TrimEnd('.');
            if (StreetSuffixes.Contains(next) || StreetPrefixes.Contains(next))
            {
                return true;
            }

            if (EndsWithStreetWord(next, wholeWord: true))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>"Via Carlo Cattaneo", "Rue Victor Hugo": a street named after a person is an address.</summary>
    public static bool AfterStreetWord(ReadOnlySpan<char> text, int s)
    {
        var i = s - 1;
        if (i < 0 || text[i] != ' ')
        {
            return false;
        }

        var pe = i;
        while (i > 0 && char.IsLetter(text[i - 1]))
        {
            i--;
        }

        return StreetPrefixes.Contains(text[i..pe]);
    }

    /// <summary>
    /// One to five words of a street name from <paramref name="i"/> (the first capitalised or an abbreviation such as
    /// "ul."; later ones capitalised, abbreviations, particles as in "Rue de Kairouan", or street words as in
    /// "Erzsébet tér", "Nordahl Rolfsens vei"), then a house number that is not a year. The end of the number, or 0.
    /// </summary>
    private static int NameThenNumber(ReadOnlySpan<char> text, int i)
    {
        for (var words = 0; words < 5; words++)
        {
            var ws = i;
            while (i < text.Length && (char.IsLetter(text[i]) || text[i] is '\'' or '.' or '-'))
            {
                i++;
            }

            if (i == ws)
            {
                return 0;
            }

            var word = text[ws..i];
            var bare = word.TrimEnd('.');
            if (bare.IsEmpty || NotStreets.Contains(bare))
            {
                return 0;
            }

            var abbreviation = word.Length <= 4 && word[^1] == '.';
            if (!char.IsUpper(word[0]) && !abbreviation && !(words > 0 && (StreetParticles.Contains(bare) || HasStreetEnding(bare))))
            {
                return 0;
            }

            if (i + 1 >= text.Length || text[i] != ' ')
            {
                return 0;
            }

            i++;
            if (char.IsAsciiDigit(text[i]))
            {
                var d = i;
                while (d < text.Length && char.IsAsciiDigit(text[d]))
                {
                    d++;
                }

                if (d - i > 5 || IsYear(text[i..d]) || (d < text.Length && (char.IsLetterOrDigit(text[d]) || text[d] is ':' or '%'
                    || (text[d] is ' ' or ',' or '.' or '-' or '/' && d + 1 < text.Length && char.IsAsciiDigit(text[d + 1])))))
                {
                    return 0;
                }

                return d;
            }
        }

        return 0;
    }

    /// <summary>One to three capitalised words then Street, Avenue, Road, Lane or Boulevard: "Bezrukov Street". The end, or 0.</summary>
    private static int NameThenStreetWord(ReadOnlySpan<char> text, int s, int e)
    {
        for (var words = 1; words <= 3 && e + 1 < text.Length && text[e] == ' ' && char.IsUpper(text[e + 1]); words++)
        {
            var ne = WordEnd(text, e + 1);
            if (StreetNouns.Contains(text[(e + 1)..ne]))
            {
                return ne;
            }

            if (NotStreets.Contains(text[(e + 1)..ne]))
            {
                return 0;
            }

            e = ne;
        }

        return 0;
    }

    /// <summary>A house number right after a street name ("Via Raffaele Conforti 74"); else <paramref name="end"/>.</summary>
    private static int HouseNumberAfter(ReadOnlySpan<char> text, int end)
    {
        if (end + 1 >= text.Length || text[end] != ' ' || !char.IsAsciiDigit(text[end + 1]))
        {
            return end;
        }

        var d = end + 1;
        while (d < text.Length && char.IsAsciiDigit(text[d]))
        {
            d++;
        }

        // Not the start of a phone number or another run of digits.
        if (d - end - 1 > 5 || (d < text.Length && (char.IsLetterOrDigit(text[d]) || (text[d] is ' ' or '-' or '.' && d + 1 < text.Length && char.IsAsciiDigit(text[d + 1])))))
        {
            return end;
        }

        return d;
    }
}
