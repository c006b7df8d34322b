using static Switchyard.Inspection.Privacy.ScanText;

namespace Switchyard.Inspection.Privacy;

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
    private static readonly WordSet _streetSuffixes = new([
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl",
        "terrace", "circle", "cir", "parkway", "pkwy", "highway", "hwy", "square", "sq", "trail", "crescent", "close", "row", "plaza", "loop",
        "alley", "path", "pike", "point", "ridge", "run", "view", "walk", "grove", "gardens", "mews", "hill", "park", "crossing", "station", "str",
    ]);

    private static readonly string[] _streetWordEndings = ["straße", "strasse", "weg", "gasse", "allee", "platz", "laan", "straat", "plein", "gracht", "katu", "gatan", "vägen", "vej", "gade", "veien", "vegen", "gata", "utca", "ulica", "tie", "kuja", "steenweg", "dreef", "kade", "singel"];

    private static readonly WordSet _streetPrefixes = new(["rue", "via", "viale", "piazza", "calle", "avenida", "av", "avda", "carrer", "paseo", "plaza", "rua", "rúa", "corso", "boulevard", "chemin", "allée", "place",
        "avenue", "cours", "quai", "impasse", "strada", "largo", "vicolo", "piazzetta", "travessa", "praça", "estrada", "camino", "camiño", "carretera", "ronda", "passeig", "ul", "al", "os"]);

    // Lower-case words inside a street name: particles and the words some languages put after the name.
    private static readonly WordSet _streetParticles = new(["de", "des", "del", "della", "delle", "degli", "dei", "dalla", "di", "da", "do", "dos", "das", "du", "la", "le", "les",
        "van", "der", "den", "ter", "ten", "y", "e", "al", "el", "op", "aan", "am", "an", "im", "tér", "út", "utca", "ulica", "vei", "vej", "gata", "kalea", "enparantza", "etorbidea", "ulitsa", "st",
        "tee", "gate", "gaten", "plads", "útja", "rakpart", "körút", "sor", "köz", "straat", "str", "rue", "allee"]);

    private static readonly WordSet _unitWords = new(["apt", "apartment", "suite", "ste", "unit", "flat"]);

    // Capitalised words that a number follows in ordinary prose: not a street.
    private static readonly WordSet _notStreets = new([
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "monday", "tuesday", "wednesday", "thursday",
        "friday", "saturday", "sunday", "page", "pages", "chapter", "section", "version", "level", "step", "steps", "gate", "room", "table",
        "figure", "fig", "item", "items", "line", "lines", "part", "phase", "windows", "python", "java", "ios", "android", "iphone", "season",
        "episode", "number", "no", "vol", "volume", "top", "day", "days", "week", "weeks", "year", "years", "month", "months", "hour", "hours",
        "minute", "minutes", "class", "grade", "lesson", "unit", "units", "question", "questions", "rule", "article", "act", "psalm", "verse",
        "the", "a", "an", "and", "or", "of", "for", "with", "from", "at", "on", "in", "to", "by", "i", "we", "you", "he", "she", "they", "it",
        "apt", "suite", "box", "po", "covid", "model", "type", "series", "gen", "mark", "team", "group", "player", "players", "game", "games",
        "world", "cup", "super", "bowl", "eur", "usd", "gbp", "chf", "jpy", "cad", "aud", "sek", "nok", "dkk", "pln", "czk", "huf", "inr", "cny", "route", "highway", "flight", "train", "bus", "platform", "channel", "tier", "size", "stage",
    ]);

    // The word right before a street named without a leading house number: "lives at Kromwater 38".
    private static readonly WordSet _addressCues = new(["at", "on", "to", "and", "address", "lives", "live", "living", "located", "moved", "ship", "deliver", "from"]);

    // Street words that follow a name alone, without a house number, after an address cue: "on Bezrukov Street".
    private static readonly WordSet _streetWords = new(["street", "avenue", "road", "lane", "boulevard"]);

    private static readonly WordSet _connectors = new(["and", "of", "de", "di", "da", "do", "du", "del", "della", "des", "la", "le", "van", "von", "der", "den", "y", "e"]);

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
            && _unitWords.Contains(text[(i + 1)..we]) && (i < 0 || !char.IsLetterOrDigit(text[i])) ? i + 1 : -1;
    }

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

            if (words == 0 && _streetPrefixes.Contains(word))
            {
                prefixed = true;
            }
            else if (!char.IsUpper(word[0]) && !(prefixed && word.Length <= 4))
            {
                if (lower < 0)
                {
                    lower = LowerCaseAround(text, p) ? 1 : 0;
                }

                if (lower == 0 || words >= 3 || _notStreets.Contains(word))
                {
                    break;
                }
            }

            words++;
            if (_streetSuffixes.Contains(word) && words > 1)
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
            if (_notStreets.Contains(word))
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

        return _streetPrefixes.Contains(text[i..pe]);
    }

    private static bool HasStreetEnding(ReadOnlySpan<char> word) => EndsWithStreetWord(word, wholeWord: false);

    /// <summary>"Hauptstraße", "Kerkstraat", "Mannerheimintie"; with <paramref name="wholeWord"/> also "Weg" itself.</summary>
    private static bool EndsWithStreetWord(ReadOnlySpan<char> word, bool wholeWord)
    {
        if (word.Length < 3)
        {
            return false;
        }

        // Cheap first: most words end in a letter no street ending ends in.
        var last = char.ToLowerInvariant(word[^1]);
        foreach (var ending in _streetWordEndings)
        {
            if (ending[^1] == last && (word.Length > ending.Length || (wholeWord && word.Length == ending.Length))
                && word.EndsWith(ending, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasAddressCue(ReadOnlySpan<char> text, int s)
    {
        var i = s - 1;
        while (i >= 0 && text[i] is ' ' or ':' or '\t')
        {
            i--;
        }

        var pe = i + 1;
        while (i >= 0 && char.IsLetter(text[i]))
        {
            i--;
        }

        if (pe <= i + 1)
        {
            return false;
        }

        // Cheap first: every cue is 2–8 letters and starts with one of these.
        var previous = text[(i + 1)..pe];
        if (previous.Length > 8 || char.ToLowerInvariant(previous[0]) is not ('a' or 'o' or 't' or 'l' or 'm' or 's' or 'd' or 'f'))
        {
            return false;
        }

        return _addressCues.Contains(previous) || (previous is "of" && i >= 6 && text[(i - 6)..(i + 1)].Equals("corner ", StringComparison.OrdinalIgnoreCase));
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
            if (bare.IsEmpty || _notStreets.Contains(bare))
            {
                return 0;
            }

            var abbreviation = word.Length <= 4 && word[^1] == '.';
            if (!char.IsUpper(word[0]) && !abbreviation && !(words > 0 && (_streetParticles.Contains(bare) || HasStreetEnding(bare))))
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
            if (_streetWords.Contains(text[(e + 1)..ne]))
            {
                return ne;
            }

            if (_notStreets.Contains(text[(e + 1)..ne]))
            {
                return 0;
            }

            e = ne;
        }

        return 0;
    }

    private static bool IsYear(ReadOnlySpan<char> digits) => digits.Length == 4 && (digits.StartsWith("19") || digits.StartsWith("20"));

    /// <summary>No capital letter within 120 characters either side: text typed in lower case.</summary>
    private static bool LowerCaseAround(ReadOnlySpan<char> text, int p) =>
        text[Math.Max(0, p - 120)..Math.Min(text.Length, p + 120)].IndexOfAnyInRange('A', 'Z') < 0;

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

    private static int NumberAt(ReadOnlySpan<char> text, int i)
    {
        var d = i;
        while (d < text.Length && char.IsAsciiDigit(text[d]))
        {
            d++;
        }

        return d > i && (d >= text.Length || !char.IsLetterOrDigit(text[d])) ? Tail(text, d, lower: false) : 0;
    }

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
    private static int Tail(ReadOnlySpan<char> text, int end, bool lower)
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
            if (_unitWords.Contains(word))
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

            if (!char.IsUpper(word[0]) && !(lower && !_notStreets.Contains(word)))
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
                if (char.IsUpper(text[ns]) || (lower && !_notStreets.Contains(text[ns..ne])))
                {
                    i = ne;
                }
                else if (_connectors.Contains(text[ns..ne]) && ne + 1 < text.Length && text[ne] == ' ' && char.IsUpper(text[ne + 1]))
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
}
