using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>A template of the hard set: its language, genre (chat, ticket, email, form, code, log, json, table, …) and text with ⟦SLOTS⟧.</summary>
public sealed record HardSetTemplate(string Lang, string Genre, string Text)
{
    private static readonly string[] _personalSlots = ["⟦NAME", "⟦FIRST", "⟦LAST", "⟦TNAME", "⟦EMAIL", "⟦PHONE", "⟦CARD", "⟦IBAN", "⟦SSN", "⟦NINO", "⟦SECRET", "⟦DOB", "⟦ADDRESS"];

    /// <summary>No slot of personal data (an IP address is internal, so a template with only ⟦IP⟧ is PII-free too).</summary>
    public bool PiiFree => !_personalSlots.Any(s => Text.Contains(s, StringComparison.Ordinal));
}

/// <summary>A labelled span, in code points like the Presidio set (Python string indices).</summary>
public sealed record HardSetSpan(string Type, int Start, int End, string Value);

public sealed record HardSetRow(string Id, string Split, string Lang, string Genre, string Template, string Text, IReadOnlyList<HardSetSpan> Spans);

/// <summary>
/// The privacy scanner's own hard test set (issue 13): realistic prompts in seven languages across genres — chat,
/// support tickets, e-mail, forms, code, logs, JSON, tables, release notes — with cards and IBANs as people write
/// them, number runs that are no phones, names among capitalised words that are no names, and about 30 % rows with
/// no personal data at all. Generated from a seed, so the committed file (<see cref="FixturePath"/>) is reproduced
/// byte for byte. Templates are split dev/holdout per language, genre and kind (about 30 % holdout), and every filler
/// list is cut in two as well: tune on dev, read holdout once.
/// </summary>
public static class HardSet
{
    public const ulong Seed = 13;
    public const int RowCount = 4000;

    public static string FixturePath => Path.Combine(SharedData.RepoRoot, "tests", "Switchyard.Testing", "Fixtures", "Privacy", "hard-prompts.jsonl");

    public static string GazetteerDirectory => Path.Combine(SharedData.Directory, "name-gazetteers");

    public static IReadOnlyList<HardSetTemplate> Templates { get; } =
    [
        .. EnglishTemplates.All, .. GermanTemplates.All, .. FrenchTemplates.All, .. SpanishTemplates.All, .. ItalianTemplates.All,
        .. DutchTemplates.All, .. PortugueseTemplates.All, .. TechTemplates.All,
    ];

    /// <summary>Which templates are held out: within each language, genre and kind, every third by hash (the 2nd, 5th, 8th, …).</summary>
    public static IReadOnlyDictionary<HardSetTemplate, bool> HoldoutTemplates()
    {
        var holdout = new Dictionary<HardSetTemplate, bool>();
        foreach (var group in Templates.GroupBy(t => (t.Lang, t.Genre, t.PiiFree)))
        {
            var rank = 0;
            foreach (var t in group.OrderBy(t => HardSetRandom.StableHash(t.Text)))
            {
                holdout[t] = rank++ % 3 == 1;
            }
        }

        return holdout;
    }

    public static IReadOnlyList<HardSetRow> Generate(string gazetteerDirectory, int rows = RowCount, ulong seed = Seed)
    {
        var vocabulary = new HardSetVocabulary(gazetteerDirectory);
        var holdout = HoldoutTemplates();
        var free = Templates.Where(t => t.PiiFree).ToArray();
        var personal = Templates.Where(t => !t.PiiFree).ToArray();
        var random = new HardSetRandom(seed);
        var result = new List<HardSetRow>(rows);
        for (var i = 0; i < rows; i++)
        {
            var template = random.Pick(random.Chance(0.3) ? free : personal);
            var held = holdout[template];
            var filler = new HardSetFiller(vocabulary, random, template.Lang, held);
            // A few rows are pasted with Windows line ends.
            var (text, spans) = Render(random.Chance(0.05) ? template.Text.Replace("\n", "\r\n", StringComparison.Ordinal) : template.Text, filler);
            var key = $"{template.Lang}/{template.Genre}/{HardSetRandom.StableHash(template.Text) % 1_000_000:000000}";
            result.Add(new HardSetRow($"hard/{i}", held ? "holdout" : "dev", template.Lang, template.Genre, key, text, spans));
        }

        return result;
    }

    private static (string Text, List<HardSetSpan> Spans) Render(string template, HardSetFiller filler)
    {
        var sb = new StringBuilder();
        var spans = new List<(string Type, int Start, int End)>();
        var at = 0;
        while (at < template.Length)
        {
            var open = template.IndexOf('⟦', at);
            if (open < 0)
            {
                sb.Append(template, at, template.Length - at);
                break;
            }

            sb.Append(template, at, open - at);
            var close = template.IndexOf('⟧', open);
            foreach (var piece in filler.Fill(template[(open + 1)..close]))
            {
                if (piece.Label is not null)
                {
                    spans.Add((piece.Label, sb.Length, sb.Length + piece.Text.Length));
                }

                sb.Append(piece.Text);
            }

            at = close + 1;
        }

        var text = sb.ToString();
        return (text, [.. spans.Select(s => new HardSetSpan(s.Type, CodePoints(text, s.Start), CodePoints(text, s.End), text[s.Start..s.End]))]);
    }

    private static int CodePoints(string text, int utf16)
    {
        var count = 0;
        for (var i = 0; i < utf16; i++)
        {
            count += char.IsLowSurrogate(text[i]) ? 0 : 1;
        }

        return count;
    }

    /// <summary>The rows as JSON lines in the Presidio layout eval-privacy reads (plus lang, genre and template).</summary>
    public static string ToJsonLines(IEnumerable<HardSetRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var options = new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
        var sb = new StringBuilder();
        foreach (var row in rows)
        {
            using var stream = new MemoryStream();
            using (var w = new Utf8JsonWriter(stream, options))
            {
                w.WriteStartObject();
                w.WriteString("id", row.Id);
                w.WriteString("split", row.Split);
                w.WriteString("lang", row.Lang);
                w.WriteString("genre", row.Genre);
                w.WriteString("template", row.Template);
                w.WriteString("text", row.Text);
                w.WriteStartArray("spans");
                foreach (var s in row.Spans)
                {
                    w.WriteStartObject();
                    w.WriteString("type", s.Type);
                    w.WriteNumber("start", s.Start);
                    w.WriteNumber("end", s.End);
                    w.WriteString("value", s.Value);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }

            sb.Append(Encoding.UTF8.GetString(stream.ToArray())).Append('\n');
        }

        return sb.ToString();
    }
}
