using System.Buffers;
using System.Collections.Frozen;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;

namespace Switchyard.Inspection.Privacy;

/// <summary>A fixed set of words looked up by span, ignoring case, without allocating.</summary>
internal sealed class WordSet
{
    private readonly FrozenSet<string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    public WordSet(string[] words) => _lookup = words.ToFrozenSet(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();

    public bool Contains(ReadOnlySpan<char> word) => _lookup.Contains(word);
}

/// <summary>A tenant's own detector: a regular expression or a keyword list, reported under its own name.</summary>
public sealed class CustomDetector
{
    private readonly Regex? _pattern;
    private readonly SearchValues<string>? _keywords;

    private CustomDetector(string name, DataClass dataClass, Regex? pattern, SearchValues<string>? keywords)
    {
        Name = name;
        DataClass = dataClass;
        _pattern = pattern;
        _keywords = keywords;
    }

    /// <summary>The entity type name it reports (upper case, e.g. <c>PROJECT_FALCON</c>).</summary>
    public string Name { get; }

    /// <summary>The data class a match gives the request.</summary>
    public DataClass DataClass { get; }

    /// <summary>
    /// A pattern detector. Patterns run with the non-backtracking engine, so a tenant's expression cannot make a
    /// request take exponential time.
    /// </summary>
    public static CustomDetector Pattern(string name, string pattern, DataClass dataClass) =>
        new(name, dataClass, new Regex(pattern, RegexOptions.NonBacktracking | RegexOptions.CultureInvariant), null);

    /// <summary>A keyword detector: whole-word, case-insensitive matches of any of the words.</summary>
    public static CustomDetector Keywords(string name, IEnumerable<string> words, DataClass dataClass) =>
        new(name, dataClass, null, SearchValues.Create([.. words.Where(w => w.Length > 0)], StringComparison.OrdinalIgnoreCase));

    internal void Scan(ReadOnlySpan<char> text, int index, List<PiiSpan> spans)
    {
        if (_pattern is not null)
        {
            foreach (var match in _pattern.EnumerateMatches(text))
            {
                if (match.Length > 0)
                {
                    spans.Add(new PiiSpan(PiiType.Custom, match.Index, match.Length, index));
                }
            }

            return;
        }

        var offset = 0;
        while (offset < text.Length)
        {
            var at = text[offset..].IndexOfAny(_keywords!);
            if (at < 0)
            {
                return;
            }

            at += offset;
            var end = at + 1;
            while (end < text.Length && char.IsLetterOrDigit(text[end]))
            {
                end++;
            }

            if ((at == 0 || !char.IsLetterOrDigit(text[at - 1])) && _keywords!.Contains(text[at..end].ToString()))
            {
                spans.Add(new PiiSpan(PiiType.Custom, at, end - at, index));
            }

            offset = end;
        }
    }
}

/// <summary>
/// Finds personal data and secrets in text without a network call: e-mail addresses, phone numbers (E.164 and the
/// national formats of US, UK, DE, FR, NL, ES, IT), Luhn-valid payment cards, mod-97-valid IBANs, valid US SSNs,
/// UK NI numbers, IPv4/IPv6 addresses, dates of birth (a date near a birth word), street addresses, person
/// names (gazetteer plus context) and secrets (known key prefixes, private-key blocks, high-entropy tokens).
/// <para>
/// One pass: a vectorised search jumps to the next character that can start an entity (a digit, <c>@</c> or a
/// capital letter), and only there do detectors look around. Prose without digits costs little more than the
/// search itself (PrivacyScanBenchmarks). Spans come out in text order and never overlap.
/// </para>
/// </summary>
public sealed class PrivacyScanner
{
    private const string TriggerChars = "0123456789@ABCDEFGHIJKLMNOPQRSTUVWXYZÀÁÂÃÄÅÆÇÈÉÊËÌÍÎÏÐÑÒÓÔÕÖØÙÚÛÜÝÞ";
    private static readonly SearchValues<char> _triggers = SearchValues.Create(TriggerChars + LatinExtendedA());

    private static readonly string[] _secretPrefixes =
        ["sk-", "sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "AKIA", "ASIA", "AIza", "hf_", "npm_", "SG."];

    private static readonly string[] _birthWords = ["born", "birth", "dob", "d.o.b", "geboren", "geb.", "né ", "née", "nacido", "nacida", "nato ", "nata ", "naissance", "nascita", "geboortedatum", "birthday"];

    private static readonly WordSet _nameCues = new(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "dear", "hi", "hello", "hey", "thanks", "named", "called", "signed", "herr", "frau", "mme", "mlle", "sr", "sra", "sig", "signor", "signora", "meneer", "mevrouw"]);

    private static readonly WordSet _titles = new(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "herr", "frau", "mme", "mlle", "sra", "signor", "signora", "meneer", "mevrouw"]);

    private static readonly WordSet _companySuffixes = new(["ltd", "inc", "llc", "plc", "gmbh", "corp", "corporation", "company", "co", "group", "ag", "sa", "bv", "nv", "srl", "spa",
        "club", "movers", "lines", "services", "score", "bank", "university", "school", "hospital", "hotel", "airlines", "records", "studios",
        "media", "labs", "systems", "solutions", "technologies", "partners", "associates", "foundation", "institute", "office", "country"]);

    private static readonly WordSet _placePrefixes = new(["san", "santa", "santo", "são", "st", "ste", "saint", "sankt", "den", "le", "la", "los", "las", "el", "colle", "monte", "puerto", "port", "fort",
         "mount", "lake", "new", "north", "south", "east", "west", "upper", "lower", "bad", "ciudad", "villa", "delta", "cite", "cape", "glen"]);

    private static readonly WordSet _lowerCaseCues = new(["named", "called", "me", "him", "her", "user", "dear", "hi", "hello", "with", "tell"]);

    private static readonly string[] _surnameEndings =
        ["ov", "ova", "ev", "eva", "sson", "dóttir", "ski", "ska", "sky", "ić", "vić", "enko", "escu", "idze", "shvili", "oğlu", "ová", "czyk", "wicz", "yan", "ian", "aev", "ayev", "iev", "ieva", "eanu", "ich"];

    private static readonly WordSet _nameParticles = new(["van", "der", "den", "de", "von", "da", "di", "du", "del", "della", "dos", "das", "le", "la", "bin", "ibn", "al", "el", "ter", "ten", "y"]);

    private static readonly WordSet _streetSuffixes = new([
        "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "court", "ct", "way", "place", "pl",
        "terrace", "circle", "cir", "parkway", "pkwy", "highway", "hwy", "square", "sq", "trail", "crescent", "close", "row", "plaza", "loop",
        "alley", "path", "pike", "point", "ridge", "run", "view", "walk", "grove", "gardens", "mews", "hill", "park", "crossing", "station",
    ]);

    private static readonly string[] _streetWordEndings = ["straße", "strasse", "weg", "gasse", "allee", "platz", "laan", "straat", "plein", "gracht", "katu", "gatan", "vägen", "vej", "gade", "veien", "utca", "ulica"];

    private static readonly WordSet _streetPrefixes = new(["rue", "via", "viale", "piazza", "calle", "avenida", "av", "avda", "carrer", "paseo", "plaza", "rua", "corso", "boulevard", "chemin", "allée", "place"]);

    private readonly NameGazetteer _names;
    private readonly IReadOnlyList<CustomDetector> _custom;

    public PrivacyScanner(NameGazetteer names, IReadOnlyList<CustomDetector>? custom = null)
    {
        _names = names;
        _custom = custom ?? [];
    }

    /// <summary>The built-in detectors over the shipped gazetteer.</summary>
    public static PrivacyScanner Default { get; } = new(NameGazetteer.BuiltIn);

    public IReadOnlyList<CustomDetector> Custom => _custom;

    /// <summary>Appends the spans found in <paramref name="text"/> to <paramref name="spans"/>, in text order, without overlaps.</summary>
    public void Scan(ReadOnlySpan<char> text, List<PiiSpan> spans)
    {
        ArgumentNullException.ThrowIfNull(spans);
        var first = spans.Count;
        var i = 0;
        while (i < text.Length)
        {
            var k = text[i..].IndexOfAny(_triggers);
            if (k < 0)
            {
                break;
            }

            i += k;
            var c = text[i];
            int next;
            if (c == '@')
            {
                next = Email(text, i, spans);
            }
            else if (char.IsAsciiDigit(c))
            {
                next = Digits(text, i, spans);
            }
            else
            {
                next = Capital(text, i, spans);
            }

            i = Math.Max(next, i + 1);
        }

        // Text typed without any capital letter ("pls add julie novák to my account") hides names from the
        // capital-letter trigger; only then do lower-case words get a (stricter) look.
        if (text.Length > 0 && text.IndexOfAnyInRange('A', 'Z') < 0)
        {
            var before = spans.Count;
            LowerCaseNames(text, spans);
            if (spans.Count > before)
            {
                Normalise(spans, first);
            }
        }

        if (_custom.Count > 0)
        {
            var builtIn = spans.Count;
            for (var d = 0; d < _custom.Count; d++)
            {
                _custom[d].Scan(text, d, spans);
            }

            if (spans.Count > builtIn)
            {
                Normalise(spans, first);
            }
        }
    }

    /// <summary>Sorts spans from <paramref name="from"/> by start and drops any that overlaps an earlier one.</summary>
    private static void Normalise(List<PiiSpan> spans, int from)
    {
        // At the same start a tenant's own detector wins (it knows its data), then the longer span.
        spans.Sort(from, spans.Count - from, Comparer<PiiSpan>.Create(static (a, b) =>
            a.Start != b.Start ? a.Start.CompareTo(b.Start)
            : (a.Type == PiiType.Custom) != (b.Type == PiiType.Custom) ? (a.Type == PiiType.Custom ? -1 : 1)
            : b.Length.CompareTo(a.Length)));
        var write = from;
        var end = -1;
        for (var r = from; r < spans.Count; r++)
        {
            if (spans[r].Start >= end)
            {
                spans[write++] = spans[r];
                end = spans[r].End;
            }
        }

        spans.RemoveRange(write, spans.Count - write);
    }

    // ---- e-mail ---------------------------------------------------------------------------------------------

    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    private static int Email(ReadOnlySpan<char> text, int at, List<PiiSpan> spans)
    {
        var start = at;
        while (start > 0 && IsLocalChar(text[start - 1]))
        {
            start--;
        }

        while (start < at && text[start] is '.' or '\'')
        {
            start++;
        }

        var end = at + 1;
        var lastDot = -1;
        while (end < text.Length && IsDomainChar(text[end]))
        {
            if (text[end] == '.')
            {
                lastDot = end;
            }

            end++;
        }

        while (end > at + 1 && text[end - 1] is '.' or '-')
        {
            end--;
        }

        if (lastDot >= end - 1)
        {
            lastDot = text[(at + 1)..end].LastIndexOf('.');
            lastDot = lastDot < 0 ? -1 : lastDot + at + 1;
        }

        if (start == at || lastDot < 0 || end - lastDot - 1 < 2 || lastDot == at + 1)
        {
            return at + 1;
        }

        for (var t = lastDot + 1; t < end; t++)
        {
            if (!char.IsAsciiLetter(text[t]))
            {
                return end;
            }
        }

        Add(spans, PiiType.Email, start, end);
        return end;
    }

    // ---- tokens that contain digits ---------------------------------------------------------------------------

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '/' or '=';

    private int Digits(ReadOnlySpan<char> text, int p, List<PiiSpan> spans)
    {
        // A secret is one token of letters, digits and _-+/= around this digit.
        var ts = p;
        while (ts > 0 && IsTokenChar(text[ts - 1]))
        {
            ts--;
        }

        var te = p + 1;
        while (te < text.Length && (IsTokenChar(text[te]) || (text[te] == '.' && te + 1 < text.Length && IsTokenChar(text[te + 1]) && HasPrefix(text[ts..te], "SG."))))
        {
            te++;
        }

        if (te - ts >= 16 && IsSecret(text[ts..te]))
        {
            Add(spans, PiiType.Secret, ts, te);
            return te;
        }

        if (IpV6(text, p, spans) is var v6 and > 0)
        {
            return v6;
        }

        // Letters glued before the digits: an IBAN or NI number when exactly two start a word, else an identifier.
        var ls = p;
        while (ls > 0 && char.IsLetter(text[ls - 1]))
        {
            ls--;
        }

        if (ls < p)
        {
            if (p - ls == 2 && (ls == 0 || !char.IsLetterOrDigit(text[ls - 1])))
            {
                if (Iban(text, ls, spans) is var iban and > 0)
                {
                    return iban;
                }

                if (Nino(text, ls, spans) is var nino and > 0)
                {
                    return nino;
                }
            }

            return Math.Max(te, p + 1);
        }

        return Number(text, p, spans);
    }

    private static bool HasPrefix(ReadOnlySpan<char> token, string prefix) => token.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>A known key prefix with enough after it, or a long random-looking mix of letters and digits.</summary>
    public static bool IsSecret(ReadOnlySpan<char> token)
    {
        foreach (var prefix in _secretPrefixes)
        {
            if (token.StartsWith(prefix, StringComparison.Ordinal) && token.Length >= prefix.Length + 16)
            {
                return true;
            }
        }

        if (token.Length < 24)
        {
            return false;
        }

        int upper = 0, lower = 0, digit = 0, symbol = 0;
        foreach (var c in token)
        {
            if (char.IsAsciiLetterUpper(c)) { upper++; }
            else if (char.IsAsciiLetterLower(c)) { lower++; }
            else if (char.IsAsciiDigit(c)) { digit++; }
            else { symbol++; }
        }

        // Hex digests and UUIDs (one letter case plus digits) are identifiers people paste all the time: not secrets.
        if (upper == 0 || lower == 0 || digit == 0 || symbol > token.Length / 4)
        {
            return false;
        }

        return PiiValidators.Entropy(token) >= 4.0;
    }

    private static bool IsHexOrColon(char c) => char.IsAsciiHexDigit(c) || c == ':';

    private static int IpV6(ReadOnlySpan<char> text, int p, List<PiiSpan> spans)
    {
        var s = p;
        while (s > 0 && (IsHexOrColon(text[s - 1]) || text[s - 1] == '.'))
        {
            s--;
        }

        var e = p;
        while (e < text.Length && (IsHexOrColon(text[e]) || text[e] == '.'))
        {
            e++;
        }

        while (e > s && text[e - 1] == '.')
        {
            e--;
        }

        var candidate = text[s..e];
        if (candidate.Count(':') < 2 || (s > 0 && char.IsLetterOrDigit(text[s - 1])) || (e < text.Length && char.IsLetterOrDigit(text[e])))
        {
            return 0;
        }

        // A clock time (10:30:00) has two colons but is no address: IPv6 needs a hex letter, '::' or more groups.
        if (candidate.Count(':') == 2 && !candidate.Contains("::", StringComparison.Ordinal))
        {
            return 0;
        }

        if (!IPAddress.TryParse(candidate, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return 0;
        }

        Add(spans, PiiType.IpAddress, s, e);
        return e;
    }

    private static int Iban(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
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

    private static int Nino(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
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

    // ---- numbers: IPv4, dates, SSN, cards, phones, house numbers ----------------------------------------------

    private static bool IsNumberSeparator(char c) => c is ' ' or '-' or '.' or '/' or '(' or ')';

    private int Number(ReadOnlySpan<char> text, int p, List<PiiSpan> spans)
    {
        var start = p;
        var plus = false;
        var paren = false;
        if (start > 0 && text[start - 1] == '(')
        {
            start--;
            paren = true;
        }

        if (start > 0 && text[start - 1] == '+')
        {
            start--;
            plus = true;
        }

        Span<int> groups = stackalloc int[12];
        var groupCount = 0;
        var digits = 0;
        var separators = 0; // bit per separator kind
        var i = p;
        var end = p;
        var extension = false;
        while (i < text.Length)
        {
            var run = 0;
            while (i < text.Length && char.IsAsciiDigit(text[i]))
            {
                run++;
                i++;
            }

            if (groupCount < groups.Length)
            {
                groups[groupCount] = run;
            }

            groupCount++;
            digits += run;
            end = i;

            // Separators: at most two in a row (") " or " - "), and a digit must follow them.
            var j = i;
            var kinds = 0;
            while (j < text.Length && j - i < 3 && IsNumberSeparator(text[j]))
            {
                kinds |= SeparatorBit(text[j]);
                if (text[j] == '(')
                {
                    paren = true;
                }

                j++;
            }

            // A date followed by its time ("1992-02-20 22:50") ends at the date; a full stop and a space end a sentence.
            var dateThenSpace = i < text.Length && text[i] == ' ' && groupCount == 3 && separators is 2 or 4 or 8;
            dateThenSpace |= i + 1 < text.Length && text[i] == '.' && text[i + 1] is ' ' or '\n';
            if (j > i && j < text.Length && char.IsAsciiDigit(text[j]) && !dateThenSpace)
            {
                separators |= kinds;
                i = j;
                continue;
            }

            // Phone extensions: 555-555-5555x123, " ext. 123".
            if (digits >= 7 && i + 1 < text.Length && text[i] == 'x' && char.IsAsciiDigit(text[i + 1]))
            {
                i++;
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                end = i;
                extension = true;
            }

            break;
        }

        if (end < text.Length && (char.IsLetter(text[end]) || text[end] == '_') && !extension)
        {
            // Glued to letters (5th, 10km, v2): not an entity of ours.
            var skip = end;
            while (skip < text.Length && char.IsLetterOrDigit(text[skip]))
            {
                skip++;
            }

            return skip;
        }

        if (paren && !(start < p && text[start] is '(' or '+'))
        {
            // A parenthesis inside the run belongs to it only as an area code "(0)" or "(555)"; fine either way.
        }

        var shape = groups[..Math.Min(groupCount, groups.Length)];
        var onlyDots = separators == SeparatorBit('.');

        if (!plus && groupCount == 4 && onlyDots && IsIpV4(text[p..end]))
        {
            Add(spans, PiiType.IpAddress, p, end);
            return end;
        }

        if (!plus && !paren && IsDate(text[p..end], shape, separators))
        {
            if (NearBirthWord(text, p))
            {
                Add(spans, PiiType.DateOfBirth, p, end);
            }

            return end;
        }

        if (!plus && !paren && groupCount == 3 && shape[0] == 3 && shape[1] == 2 && shape[2] == 4 && (separators == SeparatorBit('-') || separators == SeparatorBit(' ')))
        {
            var area = int.Parse(text.Slice(p, 3), CultureInfo.InvariantCulture);
            var group = int.Parse(text.Slice(p + 4, 2), CultureInfo.InvariantCulture);
            var serial = int.Parse(text.Slice(p + 7, 4), CultureInfo.InvariantCulture);
            if (PiiValidators.UsSsn(area, group, serial))
            {
                Add(spans, PiiType.UsSsn, p, end);
            }

            return end;
        }

        if (!plus && !paren && !extension && digits > 13 && groupCount >= 2 && !(digits <= 19 && IsCardGrouping(shape)) && (separators & ~(SeparatorBit(' ') | SeparatorBit('-'))) == 0)
        {
            // Another number right before a grouped card ("qty 12 4111 1111 1111 1111"): try the card alone.
            for (var drop = 1; drop < groupCount && drop < shape.Length; drop++)
            {
                var offset = p;
                for (var g = 0; g < drop; g++)
                {
                    offset += shape[g] + 1;
                }

                if (IsCardGrouping(shape[drop..]) && shape[drop..].ToArray().Sum() is >= 13 and <= 19 && PiiValidators.Luhn(text[offset..end]))
                {
                    Add(spans, PiiType.CreditCard, offset, end);
                    return end;
                }
            }
        }

        if (!plus && !paren && !extension && digits is >= 12 and <= 19 && (separators & ~(SeparatorBit(' ') | SeparatorBit('-'))) == 0 && IsCardGrouping(shape))
        {
            if (PiiValidators.Luhn(text[p..end]))
            {
                Add(spans, PiiType.CreditCard, p, end);
                return end;
            }

            if (digits >= 13)
            {
                // A card-shaped number that fails Luhn is a near miss, not a phone.
                return end;
            }
        }

        if (!plus && groupCount == 1 && digits == 9 && !extension && NearWord(text, p, ["ssn", "social security"]))
        {
            var area = int.Parse(text.Slice(p, 3), CultureInfo.InvariantCulture);
            var group = int.Parse(text.Slice(p + 3, 2), CultureInfo.InvariantCulture);
            var serial = int.Parse(text.Slice(p + 5, 4), CultureInfo.InvariantCulture);
            if (PiiValidators.UsSsn(area, group, serial))
            {
                Add(spans, PiiType.UsSsn, p, end);
            }

            return end;
        }

        if (!plus && !paren && groupCount <= 3 && separators == SeparatorBit(' ') && (AfterUnitWord(text, p) || StreetAddress(text, p, end) > 0))
        {
            // "Apt. 722 20 40 rue …", "224 4966 Bond Street": house and unit numbers, not a phone.
            var street = StreetAddress(text, p, end);
            if (street > 0)
            {
                Add(spans, PiiType.StreetAddress, p, street);
                return street;
            }

            return end;
        }

        // A postal code like 3610-114 is no phone number.
        if (!plus && groupCount == 2 && shape[0] == 4 && shape[1] == 3 && separators == SeparatorBit('-'))
        {
            return end;
        }

        if (IsPhone(shape, digits, plus, paren, separators, extension))
        {
            Add(spans, PiiType.Phone, start, end);
            return end;
        }

        if (groupCount == 1 && digits <= 6 && StreetAddress(text, p, end) is var addressEnd and > 0)
        {
            Add(spans, PiiType.StreetAddress, p, addressEnd);
            return addressEnd;
        }

        return end;
    }

    private static bool AfterUnitWord(ReadOnlySpan<char> text, int p)
    {
        var window = text[Math.Max(0, p - 7)..p].TrimEnd();
        return window.EndsWith("Apt.", StringComparison.OrdinalIgnoreCase) || window.EndsWith("Apt", StringComparison.OrdinalIgnoreCase)
            || window.EndsWith("Suite", StringComparison.OrdinalIgnoreCase) || window.EndsWith("Unit", StringComparison.OrdinalIgnoreCase);
    }

    private static int SeparatorBit(char c) => c switch
    {
        ' ' => 1,
        '-' => 2,
        '.' => 4,
        '/' => 8,
        _ => 16, // parentheses
    };

    private static bool IsIpV4(ReadOnlySpan<char> candidate)
    {
        var octets = 0;
        foreach (var range in candidate.Split('.'))
        {
            var part = candidate[range];
            if (part.Length is 0 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            octets++;
        }

        return octets == 4;
    }

    private static bool IsDate(ReadOnlySpan<char> run, ReadOnlySpan<int> shape, int separators)
    {
        if (shape.Length != 3 || (separators != SeparatorBit('/') && separators != SeparatorBit('-') && separators != SeparatorBit('.')))
        {
            return false;
        }

        // The same separator twice: 12/05/1980, 1980-05-12, 12.05.80.
        var firstSep = run[shape[0]];
        if (run[shape[0] + 1 + shape[1]] != firstSep)
        {
            return false;
        }

        return (shape[0] is 1 or 2 && shape[1] is 1 or 2 && shape[2] is 2 or 4) || (shape[0] == 4 && shape[1] is 1 or 2 && shape[2] is 1 or 2);
    }

    private static bool NearBirthWord(ReadOnlySpan<char> text, int p)
    {
        var window = text[Math.Max(0, p - 48)..p];
        foreach (var word in _birthWords)
        {
            if (window.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool NearWord(ReadOnlySpan<char> text, int p, string[] words)
    {
        var window = text[Math.Max(0, p - 32)..p];
        foreach (var word in words)
        {
            if (window.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCardGrouping(ReadOnlySpan<int> shape)
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

    /// <summary>
    /// Phone numbers: E.164 (+ and 8–15 digits), and national formats written in groups (US 3-3-4 with an
    /// optional (area) and 1 or 001 prefix, UK 0xxxx xxxxxx, DE 0xxx xxxxxxx, FR 0x xx xx xx xx, NL 0xx xxx xxxx,
    /// ES xxx xxx xxx, IT 0x xxxx xxxx / 3xx xxx xxxx). Grouping is what tells a phone from a quantity.
    /// </summary>
    private static bool IsPhone(ReadOnlySpan<int> shape, int digits, bool plus, bool paren, int separators, bool extension)
    {
        if (plus)
        {
            return digits is >= 8 and <= 15;
        }

        if (digits is < 7 or > 15)
        {
            return false;
        }

        if (shape.Length == 1)
        {
            // Unseparated: a US or European 10–11 digit number, or one with an extension.
            return digits is 10 or 11 || (extension && digits >= 10);
        }

        // Every group but a leading country or trunk code has at least two digits.
        for (var g = 1; g < shape.Length; g++)
        {
            if (shape[g] < 2)
            {
                return false;
            }
        }

        if (shape[0] < 2 && !(shape[0] == 1 && shape.Length >= 4))
        {
            return false;
        }

        // Two four-digit years ("2019-2020", "1990 2000") are a range, not a phone.
        if (shape.Length == 2 && shape[0] == 4 && shape[1] == 4 && !paren && separators != SeparatorBit(' '))
        {
            return false;
        }

        return true;
    }

    /// <summary>"221B Baker Street", "1600 Pennsylvania Avenue NW", "12 Rue de Rivoli", "5 Hauptstraße": the end of the address, or 0.</summary>
    private static int StreetAddress(ReadOnlySpan<char> text, int p, int numberEnd)
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

    // ---- capitalised words: private keys, names ---------------------------------------------------------------

    private int Capital(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
    {
        if (text[s] == 'B' && s >= 5 && text[(s - 5)..s].SequenceEqual("-----") && PrivateKey(text, s - 5, spans) is var keyEnd and > 0)
        {
            return keyEnd;
        }

        if (s > 0 && (char.IsLetterOrDigit(text[s - 1]) || text[s - 1] is '_' or '\'' or '-'))
        {
            // Inside a word or identifier.
            return s + 1;
        }

        var e = WordEnd(text, s);
        if (e < text.Length && (char.IsAsciiDigit(text[e]) || text[e] == '_'))
        {
            // Letters then digits: an IBAN, NI number, AWS key or identifier; the digit's turn decides.
            return e;
        }

        return Person(text, s, e, spans);
    }

    private static int PrivateKey(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
    {
        var header = text[s..];
        var lineEnd = header.IndexOf('\n');
        var firstLine = lineEnd < 0 ? header : header[..lineEnd];
        if (!firstLine.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return 0;
        }

        var endMarker = header.IndexOf("-----END ", StringComparison.Ordinal);
        if (endMarker < 0)
        {
            // A truncated block is still a key.
            Add(spans, PiiType.Secret, s, text.Length);
            return text.Length;
        }

        var close = header[(endMarker + 9)..].IndexOf("-----", StringComparison.Ordinal);
        var end = close < 0 ? text.Length : s + endMarker + 9 + close + 5;
        Add(spans, PiiType.Secret, s, end);
        return end;
    }

    private static int WordEnd(ReadOnlySpan<char> text, int s)
    {
        var e = s + 1;
        while (e < text.Length)
        {
            if (char.IsLetter(text[e]))
            {
                e++;
            }
            else if (text[e] is '\'' or '-' && e + 1 < text.Length && char.IsLetter(text[e + 1]) && !(text[e] == '\'' && text[e + 1] == 's' && (e + 2 >= text.Length || !char.IsLetter(text[e + 2]))))
            {
                e++;
            }
            else
            {
                break;
            }
        }

        return e;
    }

    private static bool IsTitleCase(ReadOnlySpan<char> word) => word.Length >= 2 && char.IsUpper(word[0]) && char.IsLower(word[1]);

    private bool IsName(ReadOnlySpan<char> word) => _names.IsFirstName(word) || _names.IsLastName(word);

    private int Person(ReadOnlySpan<char> text, int s, int e, List<PiiSpan> spans)
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
        if (_titles.Contains(word))
        {
            var n = e < text.Length && text[e] == '.' ? e + 1 : e;
            if (n + 1 < text.Length && text[n] == ' ' && char.IsUpper(text[n + 1]))
            {
                var ne = WordEnd(text, n + 1);
                return PersonFrom(text, n + 1, ne, s, cued: true, spans);
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
        cued = cued || (!listed && !stop && HasNameCue(text, s));
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

            if (next is "II" or "III" or "IV" or "Jr" or "Sr")
            {
                end = ne;
                break;
            }

            if (_companySuffixes.Contains(next))
            {
                // "Smith Ltd", "Fernandez Inc": a company named after a person.
                return ne;
            }

            if (!IsTitleCase(next) || _names.IsStopWord(next))
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

            end = ne;
            parts++;
            i = ne;
        }

        if (!listed && !cued && !(stop || parts > 1) && !(LooksLikeSurname(word) && !AtSentenceStart(text, s)))
        {
            return e;
        }

        if (!listed && !cued && (stop || parts > 1))
        {
            return e;
        }

        if (AfterStreetWord(text, spanStart) || InStreetName(text, spanStart, end))
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
    private void LowerCaseNames(ReadOnlySpan<char> text, List<PiiSpan> spans)
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
                var cue = previousStart >= 0 && (_titles.Contains(text[previousStart..previousEnd]) || _lowerCaseCues.Contains(text[previousStart..previousEnd])
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

                if ((end > e && _names.IsFirstName(word)) || cue)
                {
                    var start = cue && _titles.Contains(text[previousStart..previousEnd]) ? previousStart : s;
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

    private static bool AtSentenceStart(ReadOnlySpan<char> text, int s)
    {
        var i = s - 1;
        while (i >= 0 && text[i] is ' ' or '"' or '\'' or '(' or '\t')
        {
            i--;
        }

        return i < 0 || text[i] is '.' or '!' or '?' or '\n' or ':' or '\r';
    }

    /// <summary>
    /// "55 Halsey Road", "Tylova 1036", "Koontz Lane": words between a house number and a street word, or right
    /// before a house number, name a street or a town, not a person.
    /// </summary>
    private static bool InStreetName(ReadOnlySpan<char> text, int s, int e)
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
    private static bool AfterStreetWord(ReadOnlySpan<char> text, int s)
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

    /// <summary>A title, greeting or "my name is" right before the word.</summary>
    private static bool HasNameCue(ReadOnlySpan<char> text, int s)
    {
        var i = s - 1;
        while (i >= 0 && text[i] is ' ' or '.' or ',')
        {
            i--;
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

        if (_nameCues.Contains(previous))
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

    private static void Add(List<PiiSpan> spans, PiiType type, int start, int end) => spans.Add(new PiiSpan(type, start, end - start));

    private static string LatinExtendedA()
    {
        var chars = new char[0x17F - 0x100 + 1];
        for (var c = 0x100; c <= 0x17F; c++)
        {
            chars[c - 0x100] = (char)c;
        }

        return new string(chars);
    }
}
