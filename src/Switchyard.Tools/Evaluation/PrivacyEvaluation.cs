using System.Text.Json;
using Switchyard.Core.Inspect;
using Switchyard.Core.Inspect.Privacy;
using Switchyard.Core.Model;

namespace Switchyard.Tools.Evaluation;

/// <summary>Precision, recall and F1 of one entity type.</summary>
/// <param name="Type">Our type name, or the dataset's label when we have no detector for it.</param>
/// <param name="Gold">Gold spans of the type.</param>
/// <param name="Predicted">Spans the scanner found of the type.</param>
/// <param name="TruePositives">Predicted spans that overlap a gold span of the type.</param>
/// <param name="Found">Gold spans overlapped by a predicted span of the type.</param>
/// <param name="Detected">False for a dataset label the scanner has no detector for: it is reported with recall 0.</param>
public sealed record PrivacyTypeScore(string Type, int Gold, int Predicted, int TruePositives, int Found, bool Detected = true)
{
    /// <summary>Predicted spans that overlap a gold span of the same type, over all predicted spans.</summary>
    public double Precision => Predicted == 0 ? 1 : (double)TruePositives / Predicted;

    /// <summary>Gold spans overlapped by a predicted span of the same type, over all gold spans.</summary>
    public double Recall => Gold == 0 ? 1 : (double)Found / Gold;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>
/// What the scan of whole rows decides, as the gateway would for an external model: a row is flagged when the
/// data class of what was found is above <c>internal</c> (the default policy refuses it for an external zone).
/// </summary>
/// <param name="PiiFree">Rows whose gold spans imply no class above internal (no span at all, or only IP addresses).</param>
/// <param name="PiiFreeFlagged">Of those, rows the scanner flagged: an application sending ordinary text would be refused.</param>
/// <param name="Restricted">Rows with a gold span of a restricted type (card, IBAN, SSN, NI number, secret).</param>
/// <param name="RestrictedMissed">Of those, rows the scanner classed below restricted: restricted data would reach an external model.</param>
public sealed record PrivacyRowOutcome(int PiiFree, int PiiFreeFlagged, int Restricted, int RestrictedMissed)
{
    public double FlaggedRate => PiiFree == 0 ? 0 : (double)PiiFreeFlagged / PiiFree;
}

/// <summary>What <c>switchyard eval-privacy</c> measured on a labelled file.</summary>
public sealed record PrivacyEvaluationResult(string Data, string Split, int Rows, IReadOnlyList<PrivacyTypeScore> Types, double MegabytesPerSecond,
    PrivacyRowOutcome? RowOutcome = null)
{
    /// <summary>The score of one type by its reported name, or null when the data neither labels nor the scanner predicts it.</summary>
    public PrivacyTypeScore? this[string type] => Types.FirstOrDefault(t => t.Type == type);
}

/// <summary>
/// Replays a labelled PII dataset (the <c>pii-presidio-synthetic</c> JSON-lines layout: <c>text</c>, <c>split</c>,
/// <c>spans[{type,start,end}]</c> with code-point offsets) through the scanner and scores it per entity type. A
/// gold span counts as found when a predicted span of the same type overlaps it, and a predicted span is right
/// when it overlaps a gold span of its type. Every label of the dataset is reported: ours by name (<c>UK_NINO</c>,
/// <c>SECRET</c>, …) or through <see cref="LabelMap"/>, and a label we have no detector for with recall 0.
/// </summary>
public static class PrivacyEvaluation
{
    /// <summary>Presidio's labels mapped to ours; our own type names (<see cref="PiiTypeNames"/>) map to themselves.</summary>
    public static IReadOnlyDictionary<string, PiiType> LabelMap { get; } = new Dictionary<string, PiiType>(StringComparer.Ordinal)
    {
        ["EMAIL_ADDRESS"] = PiiType.Email,
        ["PHONE_NUMBER"] = PiiType.Phone,
        ["IBAN_CODE"] = PiiType.Iban,
        ["ADDRESS"] = PiiType.StreetAddress,
    };

    // Report order: the issue-7 types first, as before, then the rest of the built-in types.
    private static readonly PiiType[] _order = [PiiType.CreditCard, PiiType.Iban, PiiType.UsSsn, PiiType.Email, PiiType.Phone, PiiType.IpAddress, PiiType.Person,
        PiiType.StreetAddress, PiiType.UkNino, PiiType.Secret, PiiType.DateOfBirth];

    /// <summary>Our type for a dataset label, if we detect it.</summary>
    public static bool TryMapLabel(string label, out PiiType type) =>
        LabelMap.TryGetValue(label, out type) || (PiiTypeNames.TryParse(label, out type) && string.Equals(label, PiiTypeNames.Name(type), StringComparison.Ordinal));

    /// <summary>Scores every row of <paramref name="lines"/> whose split matches (<c>all</c> takes every row).</summary>
    /// <remarks><paramref name="errors"/>, when set, receives every miss and false positive (type, "miss"/"false", the text, the span) for tuning.</remarks>
    public static PrivacyEvaluationResult Run(IEnumerable<string> lines, PrivacyScanner scanner, string split, TimeProvider time, string dataName = "",
        Action<string, string, string, int, int>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(time);
        var policy = new PrivacyPolicy(scanner);
        var count = Enum.GetValues<PiiType>().Length;
        var gold = new int[count];
        var predicted = new int[count];
        var truePositives = new int[count];
        var found = new int[count];
        var unknown = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var spans = new List<PiiSpan>();
        var goldSpans = new List<(PiiType Type, int Start, int End)>();
        int rows = 0, piiFree = 0, flagged = 0, restricted = 0, restrictedMissed = 0;
        long chars = 0;
        var scanTicks = TimeSpan.Zero;
        foreach (var line in lines)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var document = JsonDocument.Parse(line);
            var root = document.RootElement;
            if (split != "all" && (!root.TryGetProperty("split", out var s) || s.GetString() != split))
            {
                continue;
            }

            rows++;
            var text = root.GetProperty("text").GetString() ?? "";
            goldSpans.Clear();
            var goldClass = DataClass.Public;
            foreach (var span in root.GetProperty("spans").EnumerateArray())
            {
                var label = span.GetProperty("type").GetString() ?? "";
                var start = Utf16Offset(text, span.GetProperty("start").GetInt32());
                var end = Utf16Offset(text, span.GetProperty("end").GetInt32());
                if (TryMapLabel(label, out var type))
                {
                    goldSpans.Add((type, start, end));
                    goldClass = Max(goldClass, policy.ClassOf(new PiiSpan(type, start, end - start)));
                }
                else
                {
                    unknown[label] = unknown.GetValueOrDefault(label) + 1;
                    errors?.Invoke(label, "miss", text, start, end);
                }
            }

            spans.Clear();
            var t0 = time.GetTimestamp();
            scanner.Scan(text, spans);
            scanTicks += time.GetElapsedTime(t0);
            chars += text.Length;

            var foundClass = DataClass.Public;
            foreach (var p in spans)
            {
                foundClass = Max(foundClass, policy.ClassOf(p));
            }

            if (goldClass <= DataClass.Internal)
            {
                piiFree++;
                flagged += foundClass > DataClass.Internal ? 1 : 0;
            }
            else if (goldClass == DataClass.Restricted)
            {
                restricted++;
                restrictedMissed += foundClass < DataClass.Restricted ? 1 : 0;
            }

            foreach (var g in goldSpans)
            {
                gold[(int)g.Type]++;
                if (spans.Exists(p => p.Type == g.Type && p.Start < g.End && g.Start < p.End))
                {
                    found[(int)g.Type]++;
                }
                else
                {
                    errors?.Invoke(PiiTypeNames.Name(g.Type), "miss", text, g.Start, g.End);
                }
            }

            foreach (var p in spans)
            {
                if (p.Type == PiiType.Custom)
                {
                    continue;
                }

                predicted[(int)p.Type]++;
                if (goldSpans.Exists(g => g.Type == p.Type && p.Start < g.End && g.Start < p.End))
                {
                    truePositives[(int)p.Type]++;
                }
                else
                {
                    errors?.Invoke(PiiTypeNames.Name(p.Type), "false", text, p.Start, p.End);
                }
            }
        }

        var scores = new List<PrivacyTypeScore>(_order.Length + unknown.Count);
        foreach (var type in _order)
        {
            var k = (int)type;
            if (gold[k] > 0 || predicted[k] > 0)
            {
                scores.Add(new PrivacyTypeScore(PiiTypeNames.Name(type), gold[k], predicted[k], truePositives[k], found[k]));
            }
        }

        foreach (var (label, n) in unknown)
        {
            scores.Add(new PrivacyTypeScore(label, n, 0, 0, 0, Detected: false));
        }

        var seconds = scanTicks.TotalSeconds;
        var mbps = seconds <= 0 ? 0 : chars * 2 / 1e6 / seconds;
        return new PrivacyEvaluationResult(dataName, split, rows, scores, mbps, new PrivacyRowOutcome(piiFree, flagged, restricted, restrictedMissed));
    }

    private static DataClass Max(DataClass a, DataClass b) => a > b ? a : b;

    /// <summary>A code-point offset (Python string index) as a UTF-16 offset.</summary>
    public static int Utf16Offset(string text, int codePoints)
    {
        ArgumentNullException.ThrowIfNull(text);
        var utf16 = 0;
        for (var cp = 0; cp < codePoints && utf16 < text.Length; cp++)
        {
            utf16 += char.IsHighSurrogate(text[utf16]) && utf16 + 1 < text.Length ? 2 : 1;
        }

        return utf16;
    }
}
