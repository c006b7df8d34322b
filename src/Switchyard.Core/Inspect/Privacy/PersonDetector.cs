using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Person names: gazetteer words on capitalised words, extended over initials, particles and further capitalised
/// words; context (titles, greetings, "my name is") vouches for unlisted names; places, companies and street
/// names are not people. Lower-case text gets a stricter pass.
/// </summary>
internal sealed class PersonDetector(NameGazetteer names)
{
    // Words that an initial and a capitalised word follow without making a name: "Part B. Summary".
    private static readonly WordSet _notNameHeads = new(["part", "section", "appendix", "plan", "figure", "table", "chapter", "option", "type", "class", "grade", "exhibit",
        "schedule", "annex", "article", "vitamin", "hepatitis", "model", "phase", "step", "level", "row", "column", "group", "team", "block", "building", "wing", "zone",
        "gate", "terminal", "platform", "track", "category", "item", "note", "point", "unit", "suite", "apt", "flat", "box", "form", "version", "series", "volume", "book"]);

    private static readonly WordSet _unitWords = new(["suite", "apt", "apartment", "unit", "flat"]);

    private static readonly WordSet _companySuffixes = new(["ltd", "inc", "llc", "plc", "gmbh", "corp", "corporation", "company", "co", "group", "ag", "sa", "bv", "nv", "srl", "spa",
        "club", "movers", "lines", "services", "score", "bank", "university", "school", "hospital", "hotel", "airlines", "records", "studios",
        "media", "labs", "systems", "solutions", "technologies", "partners", "associates", "foundation", "institute", "office", "country", "lda", "ltda", "sarl", "sas", "sl",
        "slu", "kg", "ohg", "kgaa", "bvba", "sprl", "oy", "aps", "asa", "sàrl", "eirl"]);

    private static readonly WordSet _placePrefixes = new(["san", "santa", "santo", "são", "st", "ste", "saint", "sankt", "den", "le", "la", "los", "las", "el", "colle", "monte", "puerto", "port", "fort",
         "mount", "lake", "new", "north", "south", "east", "west", "upper", "lower", "bad", "ciudad", "villa", "delta", "cite", "cape", "glen",
         // A court, authority, station or university named after its town: "Amtsgericht Hagen", "Comune di Lugo", "Gemeente Ede".
         "amtsgericht", "landgericht", "oberlandesgericht", "verwaltungsgericht", "arbeitsgericht", "sozialgericht", "stadtwerke", "landkreis", "gemeinde", "rathaus",
         "bahnhof", "hauptbahnhof", "flughafen", "universität", "hochschule", "klinikum", "tribunal", "ayuntamiento", "comune", "gemeente", "câmara", "prefeitura",
         "aeropuerto", "aeroporto", "aéroport", "airport", "universidad", "université", "università", "universiteit", "universidade", "mairie", "préfecture"]);

    private static readonly string[] _surnameEndings =
        ["ov", "ova", "ev", "eva", "sson", "dóttir", "ski", "ska", "sky", "ić", "vić", "enko", "escu", "idze", "shvili", "oğlu", "ová", "czyk", "wicz", "yan", "ian", "aev", "ayev", "iev", "ieva", "eanu", "ich"];

    private static readonly WordSet _nameParticles = new(["van", "der", "den", "de", "von", "da", "di", "du", "del", "della", "dos", "das", "le", "la", "bin", "ibn", "al", "el", "ter", "ten", "y"]);

    private readonly NameGazetteer _names = names;

    private bool IsName(ReadOnlySpan<char> word) => _names.IsFirstName(word) || _names.IsLastName(word);

    /// <summary>A name starting at the capitalised word <paramref name="s"/>..<paramref name="e"/>; returns where scanning resumes.</summary>
    public int Find(ReadOnlySpan<char> text, int s, int e, List<PiiSpan> spans)
    {
        var word = text[s..e];
        if (!IsTitleCase(word))
        {
            return e;
        }

        // "San Luis", "St Hyacinthe", "New York": a place, whatever the next words are.
        if (_placePrefixes.Contains(word))
        {
            var p = e;
            while (p + 1 < text.Length && text[p] == ' ' && char.IsUpper(text[p + 1]))
            {
                p = WordEnd(text, p + 1);
            }

            return p;
        }

        // "Mr. John Hansen": the title belongs to the span and vouches for the name after it.
        if (PersonCueWords.Titles.Contains(word))
        {
            // "Dr.", "Sig.ra", "Dott.ssa"; then the name, which may start with a particle: "Dhr. van der Berg".
            var n = e < text.Length && text[e] == '.' ? e + 1 : e;
            while (n < text.Length && char.IsAsciiLetterLower(text[n]) && n - e <= 4)
            {
                n++;
            }

            n = n < text.Length && text[n] == '.' ? n + 1 : n;
            var ns = n + 1;
            while (ns < text.Length && char.IsLower(text[ns]) && WordEnd(text, ns) is var pe && _nameParticles.Contains(text[ns..pe]) && pe + 1 < text.Length && text[pe] == ' ')
            {
                ns = pe + 1;
            }

            if (n + 1 < text.Length && text[n] == ' ' && ns < text.Length && char.IsUpper(text[ns]))
            {
                var ne = WordEnd(text, ns);
                return PersonFrom(text, ns, ne, s, cued: true, spans);
            }

            return e;
        }

        return PersonFrom(text, s, e, s, cued: false, spans);
    }

    private int PersonFrom(ReadOnlySpan<char> text, int s, int e, int spanStart, bool cued, List<PiiSpan> spans)
    {
        var word = text[s..e];
        if (!IsTitleCase(word) && !cued)
        {
            return e;
        }

        var stop = _names.IsStopWord(word);
        var listed = !stop && IsName(word);

        // A listed name that is also an everyday word ("Costa", "Koch", "Bueno", "Post") is no person alone: a cue, or a
        // part that is a name and nothing else ("Thomas Koch"), must vouch for it.
        var strong = listed && !_names.IsCommonWord(word);
        cued = cued || (!stop && (HasNameCue(text, s) || InNameList(text, s, e, spans)));
        var end = e;
        var parts = 1;

        // Further parts: initials ("J" / "J."), particles ("van der"), capitalised words, generational suffixes.
        var i = e;
        while (parts < 5 && i + 1 < text.Length && text[i] == ' ')
        {
            var ns = i + 1;
            var ne = WordEnd(text, ns);
            if (ne == ns)
            {
                break;
            }

            var next = text[ns..ne];
            if (next.Length == 1 && char.IsUpper(next[0]))
            {
                // An initial: "Szabina J Gelencsér", "John F. Kennedy".
                var after = ne < text.Length && text[ne] == '.' ? ne + 1 : ne;
                if (after + 1 < text.Length && text[after] == ' ' && char.IsUpper(text[after + 1]))
                {
                    if (parts == 1 && !stop && !_notNameHeads.Contains(word) && IsTitleCase(text[(after + 1)..WordEnd(text, after + 1)]) && !_names.IsStopWord(text[(after + 1)..WordEnd(text, after + 1)]))
                    {
                        // Word, initial, word: "Mohmad R. Vizirov" is a name even when neither word is listed.
                        cued = true;
                    }

                    i = after;
                    continue;
                }

                break;
            }

            if (_nameParticles.Contains(next) && ne + 1 < text.Length && text[ne] == ' ' && char.IsUpper(text[ne + 1]))
            {
                i = ne;
                continue;
            }

            if (_unitWords.Contains(next))
            {
                // "Gabriella Villanueva Suite 574": the address starts here.
                break;
            }

            if (next is "II" or "III" or "IV" or "Jr" or "Sr")
            {
                end = ne;
                break;
            }

            if (char.IsUpper(next[0]) && _companySuffixes.Contains(next))
            {
                // "Smith Ltd", "Fernandez Inc": a company named after a person (capitalised: "Jane Rossi sl…" is no company).
                return ne;
            }

            if (!IsTitleCase(next) || _names.IsStopWord(next) || PersonCueWords.Titles.Contains(next))
            {
                break;
            }

            if (!listed && !cued)
            {
                // A stop word ("Will") or unknown word starts a name only when a listed surname follows ("Will Smith").
                if (!_names.IsLastName(next) || (stop && !_names.IsFirstName(word)))
                {
                    break;
                }

                listed = true;
            }

            strong |= (IsName(next) && !_names.IsCommonWord(next)) || LooksLikeSurname(next);
            end = ne;
            parts++;
            i = ne;
        }

        if (!listed && !cued && !(stop || parts > 1) && !(LooksLikeSurname(word) && !AtSentenceStart(text, s) && !_names.IsCommonWord(word)))
        {
            return e;
        }

        if (!listed && !cued && (stop || parts > 1))
        {
            return e;
        }

        if (listed && !strong && !cued)
        {
            return end;
        }

        if (AddressDetector.AfterStreetWord(text, spanStart) || AddressDetector.InStreetName(text, spanStart, end) || InCode(text, spanStart, end)
            || (parts == 1 && !cued && PlaceContext.IsPlace(text, s, e, _names)))
        {
            return end;
        }

        Add(spans, PiiType.Person, spanStart, end);
        return end;
    }

    /// <summary>
    /// Names in lower-case text: a listed first name followed by a listed name ("julie novák" needs "novák" listed),
    /// or a listed name right after a title or "named", "call me", "name is".
    /// </summary>
    public void LowerCaseNames(ReadOnlySpan<char> text, List<PiiSpan> spans)
    {
        var i = 0;
        var previousStart = -1;
        var previousEnd = -1;
        while (i < text.Length)
        {
            while (i < text.Length && !char.IsLetter(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            var s = i;
            var e = WordEnd(text, s);
            var word = text[s..e];
            if (word.Length >= 2 && !_names.IsStopWord(word) && IsName(word))
            {
                var cue = previousStart >= 0 && (PersonCueWords.Titles.Contains(text[previousStart..previousEnd]) || PersonCueWords.LowerCaseCues.Contains(text[previousStart..previousEnd])
                    || (text[previousStart..previousEnd] is "is" && text[Math.Max(0, previousStart - 6)..previousStart].Contains("name", StringComparison.Ordinal)));
                var end = e;
                if (e + 1 < text.Length && text[e] == ' ')
                {
                    var ne = WordEnd(text, e + 1);
                    var next = text[(e + 1)..ne];
                    if (next.Length >= 2 && char.IsLetter(next[0]) && !_names.IsStopWord(next) && (_names.IsLastName(next) || (cue && _names.IsFirstName(word))))
                    {
                        end = ne;
                    }
                }

                // A speaker ("luis: …") or one of a list of first names ("leonti, terrence, pamela and brian").
                cue = cue || (end == e && _names.IsFirstName(word) && ((e < text.Length && text[e] == ':' && (s == 0 || text[s - 1] is ' ' or '"' or '\n' or '>'))
                    || FirstNameAround(text, s, e)));
                if (((end > e && _names.IsFirstName(word)) || cue) && (cue || !_names.IsCommonWord(word)))
                {
                    var start = cue && previousStart >= 0 && PersonCueWords.Titles.Contains(text[previousStart..previousEnd]) ? previousStart : s;
                    Add(spans, PiiType.Person, start, end);
                    i = end;
                    previousStart = -1;
                    continue;
                }
            }

            previousStart = s;
            previousEnd = e;
            i = e;
        }
    }

    /// <summary>Surname endings common enough in Slavic, Nordic, Baltic and Caucasian names to vouch for an unlisted word.</summary>
    private static bool LooksLikeSurname(ReadOnlySpan<char> word)
    {
        if (word.Length < 5)
        {
            return false;
        }

        foreach (var ending in _surnameEndings)
        {
            if (word.EndsWith(ending, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// In a list of names: "Abakumova, Wallace and Perez" — a PERSON span ends right before the word's ", " or " and ",
    /// or a listed name follows it.
    /// </summary>
    private bool InNameList(ReadOnlySpan<char> text, int s, int e, List<PiiSpan> spans)
    {
        if (spans.Count > 0 && spans[^1].Type == PiiType.Person && spans[^1].End <= s && IsListSeparator(text[spans[^1].End..s])
            && (e >= text.Length || text[e] is '.' or ',' or ';' or '!' or '?' || text[e..].StartsWith(" and ", StringComparison.Ordinal)))
        {
            return true;
        }

        var j = e + 2 <= text.Length && text[e..].StartsWith(", ", StringComparison.Ordinal) ? e + 2
            : e + 5 <= text.Length && text[e..].StartsWith(" and ", StringComparison.Ordinal) ? e + 5 : -1;
        if (j < 0 || j >= text.Length || !char.IsUpper(text[j]))
        {
            return false;
        }

        var next = text[j..WordEnd(text, j)];
        return IsTitleCase(next) && !_names.IsStopWord(next) && IsName(next);
    }

    /// <summary>A listed first name right before ", "/" and " or right after it: lower-case lists of names.</summary>
    private bool FirstNameAround(ReadOnlySpan<char> text, int s, int e)
    {
        var b = s >= 2 && text[(s - 2)..s] is ", " ? s - 2 : s >= 5 && text[(s - 5)..s] is " and " ? s - 5 : -1;
        if (b > 0 && char.IsLetter(text[b - 1]))
        {
            var ws = b - 1;
            while (ws > 0 && char.IsLetter(text[ws - 1]))
            {
                ws--;
            }

            if (IsListedFirstName(text[ws..b]))
            {
                return true;
            }
        }

        var j = e + 2 <= text.Length && text[e..(e + 2)] is ", " ? e + 2 : e + 5 <= text.Length && text[e..(e + 5)] is " and " ? e + 5 : -1;
        return j > 0 && j < text.Length && char.IsLetter(text[j]) && IsListedFirstName(text[j..WordEnd(text, j)]);
    }

    private bool IsListedFirstName(ReadOnlySpan<char> word) => word.Length >= 2 && !_names.IsStopWord(word) && _names.IsFirstName(word);

    private static bool IsListSeparator(ReadOnlySpan<char> between) => between is ", " or " and " or ", and " or " & ";

    /// <summary>
    /// An identifier in code or a path, not a person: "`Winston`", "Carter.Build()", "new Jackson(", "&lt;Polly&gt;",
    /// "@Karma", "org.Kafka"; the word touches a dot, bracket, backtick, slash or underscore.
    /// </summary>
    private static bool InCode(ReadOnlySpan<char> text, int s, int e) =>
        (s > 0 && text[s - 1] is '.' or '`' or '<' or '/' or '@' or '$' or '_' or '\\' or '[' or '{')
        || (e < text.Length && (text[e] is '(' or '`' or '<' or '>' or '_' or '[' or '/' || (text[e] is '.' or ':' && e + 1 < text.Length && (char.IsLetter(text[e + 1]) || text[e + 1] == ':'))));

    /// <summary>
    /// A title, greeting, label ("Name:"), relation, speech verb or "my name is" right before the word; across a line
    /// break only a closing ("Viele Grüße" / "Best regards" then the name) or a label ending in ':'.
    /// </summary>
    private static bool HasNameCue(ReadOnlySpan<char> text, int s)
    {
        var i = s - 1;
        var lineBreak = false;
        var colon = false;
        while (i >= 0 && i >= s - 6 && text[i] is ' ' or '.' or ',' or ':' or '\n' or '\r' or '*' or '"' or '(' or '\t' or '-')
        {
            lineBreak |= text[i] == '\n';
            colon |= text[i] == ':';
            i--;
        }

        if (lineBreak && !colon)
        {
            var ce = i + 1;
            var cs = i;
            while (cs >= 0 && char.IsLetter(text[cs]))
            {
                cs--;
            }

            return PersonCueWords.Closings.Contains(text[(cs + 1)..ce]);
        }

        var pe = i + 1;
        while (i >= 0 && char.IsLetter(text[i]))
        {
            i--;
        }

        var previous = text[(i + 1)..pe];
        if (previous.IsEmpty)
        {
            return false;
        }

        if (PersonCueWords.NameCues.Contains(previous))
        {
            return true;
        }

        if (previous.Equals("is", StringComparison.OrdinalIgnoreCase) || previous.Equals("am", StringComparison.OrdinalIgnoreCase))
        {
            var before = text[Math.Max(0, i - 12)..(i + 1)];
            return before.Contains("name", StringComparison.OrdinalIgnoreCase) || before.EndsWith("I ", StringComparison.Ordinal);
        }

        return previous.Equals("I'm", StringComparison.OrdinalIgnoreCase);
    }
}
