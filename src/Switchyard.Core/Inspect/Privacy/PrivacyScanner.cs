using System.Buffers;
using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

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

    private readonly PersonDetector _persons;
    private readonly IReadOnlyList<CustomDetector> _custom;

    public PrivacyScanner(NameGazetteer names, IReadOnlyList<CustomDetector>? custom = null)
    {
        _persons = new PersonDetector(names);
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
                next = EmailDetector.Find(text, i, spans);
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
            _persons.LowerCaseNames(text, spans);
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

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '+' or '/' or '=';

    private static int Digits(ReadOnlySpan<char> text, int p, List<PiiSpan> spans)
    {
        // A secret is one token of letters, digits and _-+/= around this digit.
        var ts = p;
        while (ts > 0 && IsTokenChar(text[ts - 1]))
        {
            ts--;
        }

        var te = p + 1;
        while (te < text.Length && (IsTokenChar(text[te]) || (text[te] == '.' && te + 1 < text.Length && IsTokenChar(text[te + 1]) && SecretDetector.HasPrefix(text[ts..te], "SG."))))
        {
            te++;
        }

        if (te - ts >= 16 && SecretDetector.IsSecret(text[ts..te]))
        {
            Add(spans, PiiType.Secret, ts, te);
            return te;
        }

        if (NetworkDetectors.IpV6(text, p, spans) is var v6 and > 0)
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
                if (FinancialDetectors.Iban(text, ls, spans) is var iban and > 0)
                {
                    return iban;
                }

                if (NationalIdDetectors.Nino(text, ls, spans) is var nino and > 0)
                {
                    return nino;
                }
            }

            return Math.Max(te, p + 1);
        }

        // "AB 12 34 56 C", "AB 123456 C": an NI number written with spaces has its two letters one space before the digits.
        if (p >= 3 && text[p - 1] == ' ' && char.IsAsciiLetter(text[p - 2]) && char.IsAsciiLetter(text[p - 3]) && (p == 3 || !char.IsLetterOrDigit(text[p - 4]))
            && NationalIdDetectors.Nino(text, p - 3, spans) is var spaced and > 0)
        {
            return spaced;
        }

        return NumberScanner.Scan(text, p, spans);
    }

    private int Capital(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
    {
        if (text[s] == 'B' && s >= 5 && text[(s - 5)..s].SequenceEqual("-----") && SecretDetector.PrivateKey(text, s - 5, spans) is var keyEnd and > 0)
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

        if (e < text.Length && text[e] is '@' or '.' or '_' or '+' or '%' && InEmailLocalPart(text, e))
        {
            // "KarpFedorov@rhyta.com": the e-mail detector takes it at the '@'.
            return e;
        }

        // Only short words whose second letter is a capital start a post box: "PO", "P.O.", "PSC", "APO"; "Unit".
        if ((e - s == 1 || (e - s <= 5 && (char.IsUpper(text[s + 1]) || text[s..e] is "Unit"))) && AddressLines.PostBox(text, s, e) is var box and > 0)
        {
            Add(spans, PiiType.StreetAddress, s, box);
            return box;
        }

        if (e + 1 < text.Length && text[e] == ' ' && AddressDetector.StreetFirst(text, s, e) is var street and > 0)
        {
            Add(spans, PiiType.StreetAddress, s, street);
            return street;
        }

        return _persons.Find(text, s, e, spans);
    }

    private static bool InEmailLocalPart(ReadOnlySpan<char> text, int e)
    {
        while (e < text.Length && (char.IsAsciiLetterOrDigit(text[e]) || text[e] is '.' or '_' or '+' or '%' or '-'))
        {
            e++;
        }

        return e < text.Length && text[e] == '@';
    }

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
