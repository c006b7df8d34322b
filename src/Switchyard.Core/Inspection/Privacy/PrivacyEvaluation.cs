using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Switchyard.Inspection.Privacy;

/// <summary>Precision, recall and F1 of one entity type.</summary>
public sealed record PrivacyTypeScore(string Type, int Gold, int Predicted, int TruePositives, int Found)
{
    /// <summary>Predicted spans that overlap a gold span of the same type, over all predicted spans.</summary>
    public double Precision => Predicted == 0 ? 1 : (double)TruePositives / Predicted;

    /// <summary>Gold spans overlapped by a predicted span of the same type, over all gold spans.</summary>
    public double Recall => Gold == 0 ? 1 : (double)Found / Gold;

    public double F1 => Precision + Recall == 0 ? 0 : 2 * Precision * Recall / (Precision + Recall);
}

/// <summary>What <c>switchyard eval-privacy</c> measured on a labelled file.</summary>
public sealed record PrivacyEvaluationResult(string Data, string Split, int Rows, IReadOnlyList<PrivacyTypeScore> Types, double MegabytesPerSecond);

/// <summary>
/// Replays a labelled PII dataset (the <c>pii-presidio-synthetic</c> JSON-lines layout: <c>text</c>, <c>split</c>,
/// <c>spans[{type,start,end}]</c> with code-point offsets) through the scanner and scores it per entity type. A
/// gold span counts as found when a predicted span of the same type overlaps it, and a predicted span is right
/// when it overlaps a gold span of its type. Only the types the dataset labels are scored.
/// </summary>
public static class PrivacyEvaluation
{
    /// <summary>The dataset's labels mapped to ours; labels absent here (ORGANIZATION, DATE_TIME, …) are not scored.</summary>
    public static IReadOnlyDictionary<string, PiiType> LabelMap { get; } = new Dictionary<string, PiiType>(StringComparer.Ordinal)
    {
        ["PERSON"] = PiiType.Person,
        ["EMAIL_ADDRESS"] = PiiType.Email,
        ["PHONE_NUMBER"] = PiiType.Phone,
        ["CREDIT_CARD"] = PiiType.CreditCard,
        ["IBAN_CODE"] = PiiType.Iban,
        ["US_SSN"] = PiiType.UsSsn,
        ["IP_ADDRESS"] = PiiType.IpAddress,
        ["STREET_ADDRESS"] = PiiType.StreetAddress,
        ["ADDRESS"] = PiiType.StreetAddress,
    };

    private static readonly PiiType[] _scored = [PiiType.CreditCard, PiiType.Iban, PiiType.UsSsn, PiiType.Email, PiiType.Phone, PiiType.IpAddress, PiiType.Person, PiiType.StreetAddress];

    /// <summary>Scores every row of <paramref name="lines"/> whose split matches (<c>all</c> takes every row).</summary>
    /// <remarks><paramref name="errors"/>, when set, receives every miss and false positive (type, "miss"/"false", the text, the span) for tuning.</remarks>
    public static PrivacyEvaluationResult Run(IEnumerable<string> lines, PrivacyScanner scanner, string split, TimeProvider time, string dataName = "",
        Action<string, string, string, int, int>? errors = null)
    {
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(scanner);
        ArgumentNullException.ThrowIfNull(time);
        var gold = new int[_scored.Length];
        var predicted = new int[_scored.Length];
        var truePositives = new int[_scored.Length];
        var found = new int[_scored.Length];
        var spans = new List<PiiSpan>();
        var goldSpans = new List<(PiiType Type, int Start, int End)>();
        var rows = 0;
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
            foreach (var span in root.GetProperty("spans").EnumerateArray())
            {
                if (LabelMap.TryGetValue(span.GetProperty("type").GetString() ?? "", out var type))
                {
                    goldSpans.Add((type, Utf16Offset(text, span.GetProperty("start").GetInt32()), Utf16Offset(text, span.GetProperty("end").GetInt32())));
                }
            }

            spans.Clear();
            var t0 = time.GetTimestamp();
            scanner.Scan(text, spans);
            scanTicks += time.GetElapsedTime(t0);
            chars += text.Length;

            for (var k = 0; k < _scored.Length; k++)
            {
                var type = _scored[k];
                foreach (var g in goldSpans)
                {
                    if (g.Type != type)
                    {
                        continue;
                    }

                    gold[k]++;
                    if (spans.Exists(p => p.Type == type && p.Start < g.End && g.Start < p.End))
                    {
                        found[k]++;
                    }
                    else
                    {
                        errors?.Invoke(PiiTypeNames.Name(type), "miss", text, g.Start, g.End);
                    }
                }

                foreach (var p in spans)
                {
                    if (p.Type != type)
                    {
                        continue;
                    }

                    predicted[k]++;
                    if (goldSpans.Exists(g => g.Type == type && p.Start < g.End && g.Start < p.End))
                    {
                        truePositives[k]++;
                    }
                    else
                    {
                        errors?.Invoke(PiiTypeNames.Name(type), "false", text, p.Start, p.End);
                    }
                }
            }
        }

        var scores = new List<PrivacyTypeScore>(_scored.Length);
        for (var k = 0; k < _scored.Length; k++)
        {
            scores.Add(new PrivacyTypeScore(PiiTypeNames.Name(_scored[k]), gold[k], predicted[k], truePositives[k], found[k]));
        }

        var seconds = scanTicks.TotalSeconds;
        var mbps = seconds <= 0 ? 0 : chars * 2 / 1e6 / seconds;
        return new PrivacyEvaluationResult(dataName, split, rows, scores, mbps);
    }

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

    /// <summary>The result as JSON: an object keyed by entity type, each with precision, recall, f1 and counts.</summary>
    public static string Json(PrivacyEvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        using var stream = new MemoryStream();
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            writer.WriteStartObject();
            writer.WriteString("data", result.Data);
            writer.WriteString("split", result.Split);
            writer.WriteNumber("rows", result.Rows);
            writer.WriteStartObject("types");
            foreach (var t in result.Types)
            {
                writer.WriteStartObject(t.Type);
                writer.WriteNumber("precision", Math.Round(t.Precision, 4));
                writer.WriteNumber("recall", Math.Round(t.Recall, 4));
                writer.WriteNumber("f1", Math.Round(t.F1, 4));
                writer.WriteNumber("gold", t.Gold);
                writer.WriteNumber("predicted", t.Predicted);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The result as a table.</summary>
    public static string Text(PrivacyEvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"{result.Rows} rows ({result.Split}) of {result.Data}\n");
        sb.Append(inv, $"{"type",-16}{"gold",7}{"pred",7}{"precision",11}{"recall",9}{"f1",8}\n");
        foreach (var t in result.Types)
        {
            sb.Append(inv, $"{t.Type,-16}{t.Gold,7}{t.Predicted,7}{t.Precision,11:0.000}{t.Recall,9:0.000}{t.F1,8:0.000}\n");
        }

        return sb.ToString();
    }
}
