using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>Street addresses: the words that make one (street words and endings, prefixes, units, cues) and the checks on them.</summary>
internal static class StreetWords
{
    internal static readonly WordSet StreetSuffixes = new([
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl",
        "terrace", "circle", "cir", "parkway", "pkwy", "highway", "hwy", "square", "sq", "trail", "crescent", "close", "row", "plaza", "loop",
        "alley", "path", "pike", "point", "ridge", "run", "view", "walk", "grove", "gardens", "mews", "hill", "park", "crossing", "station", "str",
    ]);

    private static readonly string[] _streetWordEndings = ["straße", "strasse", "weg", "gasse", "allee", "platz", "laan", "straat", "plein", "gracht", "katu", "gatan", "vägen", "vej", "gade", "veien", "vegen", "gata", "utca", "ulica", "tie", "kuja", "steenweg", "dreef", "kade", "singel"];

    internal static readonly WordSet StreetPrefixes = new(["rue", "via", "viale", "piazza", "calle", "avenida", "av", "avda", "carrer", "paseo", "plaza", "rua", "rúa", "corso", "boulevard", "chemin", "allée", "place",
        "avenue", "cours", "quai", "impasse", "strada", "largo", "vicolo", "piazzetta", "travessa", "praça", "estrada", "camino", "camiño", "carretera", "ronda", "passeig", "ul", "al", "os"]);

    // Lower-case words inside a street name: particles and the words some languages put after the name.
    internal static readonly WordSet StreetParticles = new(["de", "des", "del", "della", "delle", "degli", "dei", "dalla", "di", "da", "do", "dos", "das", "du", "la", "le", "les",
        "van", "der", "den", "ter", "ten", "y", "e", "al", "el", "op", "aan", "am", "an", "im", "tér", "út", "utca", "ulica", "vei", "vej", "gata", "kalea", "enparantza", "etorbidea", "ulitsa", "st",
        "tee", "gate", "gaten", "plads", "útja", "rakpart", "körút", "sor", "köz", "straat", "str", "rue", "allee"]);

    internal static readonly WordSet UnitWords = new(["apt", "apartment", "suite", "ste", "unit", "flat"]);

    // Capitalised words that a number follows in ordinary prose: not a street.
    internal static readonly WordSet NotStreets = new([
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
    internal static readonly WordSet StreetNouns = new(["street", "avenue", "road", "lane", "boulevard"]);

    internal static readonly WordSet Connectors = new(["and", "of", "de", "di", "da", "do", "du", "del", "della", "des", "la", "le", "van", "von", "der", "den", "y", "e"]);

    internal static bool HasStreetEnding(ReadOnlySpan<char> word) => EndsWithStreetWord(word, wholeWord: false);

    /// <summary>"Hauptstraße", "Kerkstraat", "Mannerheimintie"; with <paramref name="wholeWord"/> also "Weg" itself.</summary>
    internal static bool EndsWithStreetWord(ReadOnlySpan<char> word, bool wholeWord)
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

    internal static bool HasAddressCue(ReadOnlySpan<char> text, int s)
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

    internal static bool IsYear(ReadOnlySpan<char> digits) => digits.Length == 4 && (digits.StartsWith("19") || digits.StartsWith("20"));

    /// <summary>No capital letter within 120 characters either side: text typed in lower case.</summary>
    internal static bool LowerCaseAround(ReadOnlySpan<char> text, int p) =>
        text[Math.Max(0, p - 120)..Math.Min(text.Length, p + 120)].IndexOfAnyInRange('A', 'Z') < 0;
}
