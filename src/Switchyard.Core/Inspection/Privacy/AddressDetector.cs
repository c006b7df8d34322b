using static Switchyard.Inspection.Privacy.ScanText;

namespace Switchyard.Inspection.Privacy;

/// <summary>Street addresses: a house number, then capitalised words ending in a street word or after a street prefix.</summary>
internal static class AddressDetector
{
    private static readonly WordSet _streetSuffixes = new([
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl",
        "terrace", "circle", "cir", "parkway", "pkwy", "highway", "hwy", "square", "sq", "trail", "crescent", "close", "row", "plaza", "loop",
        "alley", "path", "pike", "point", "ridge", "run", "view", "walk", "grove", "gardens", "mews", "hill", "park", "crossing", "station",
    ]);

    private static readonly string[] _streetWordEndings = ["straße", "strasse", "weg", "gasse", "allee", "platz", "laan", "straat", "plein", "gracht", "katu", "gatan", "vägen", "vej", "gade", "veien", "utca", "ulica"];

    private static readonly WordSet _streetPrefixes = new(["rue", "via", "viale", "piazza", "calle", "avenida", "av", "avda", "carrer", "paseo", "plaza", "rua", "corso", "boulevard", "chemin", "allée", "place"]);

    public static bool AfterUnitWord(ReadOnlySpan<char> text, int p)
    {
        var window = text[Math.Max(0, p - 7)..p].TrimEnd();
        return window.EndsWith("Apt.", StringComparison.OrdinalIgnoreCase) || window.EndsWith("Apt", StringComparison.OrdinalIgnoreCase)
            || window.EndsWith("Suite", StringComparison.OrdinalIgnoreCase) || window.EndsWith("Unit", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>"221B Baker Street", "1600 Pennsylvania Avenue NW", "12 Rue de Rivoli", "5 Hauptstraße": the end of the address, or 0.</summary>
    public static int StreetAddress(ReadOnlySpan<char> text, int p, int numberEnd)
    {
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
            if (words == 0 && _streetPrefixes.Contains(word))
            {
                prefixed = true;
            }
            else if (!char.IsUpper(word[0]) && !(prefixed && word.Length <= 4))
            {
                break;
            }

            words++;
            if (_streetSuffixes.Contains(word) && words > 1)
            {
                lastEnd = ws + word.Length;
                break;
            }

            foreach (var ending in _streetWordEndings)
            {
                if (word.Length > ending.Length && word.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
                {
                    lastEnd = ws + word.Length;
                }
            }

            if (lastEnd > 0 && !prefixed)
            {
                break;
            }

            if (prefixed && words >= 2 && char.IsUpper(word[0]))
            {
                // "Rue de Rivoli": the address runs to the last capitalised word after the prefix.
                lastEnd = ws + word.Length;
            }
        }

        if (lastEnd == 0)
        {
            return 0;
        }

        // An apartment or suite number right after: "Apt. 864", "Suite 201".
        var rest = text[lastEnd..];
        foreach (var unit in (string[])[" Apt. ", " Apt ", " Suite ", " Unit ", " #"])
        {
            if (rest.StartsWith(unit, StringComparison.OrdinalIgnoreCase))
            {
                var u = lastEnd + unit.Length;
                var d = u;
                while (d < text.Length && char.IsAsciiLetterOrDigit(text[d]))
                {
                    d++;
                }

                return d > u ? d : lastEnd;
            }
        }

        return lastEnd;
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
            if (_streetSuffixes.Contains(next) || _streetPrefixes.Contains(next))
            {
                return true;
            }

            foreach (var ending in _streetWordEndings)
            {
                if (next.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
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

        return _streetPrefixes.Contains(text[i..pe]);
    }
}
