using System.Globalization;
using System.Text;
using System.Text.Json;
using Switchyard.Core.Inspect.Privacy;

namespace Switchyard.Tools.Evaluation;

/// <summary>How <c>switchyard eval-privacy</c> prints a <see cref="PrivacyEvaluationResult"/>: a table, or JSON keyed by entity type.</summary>
public static class PrivacyEvaluationReport
{
    /// <summary>
    /// The result as JSON: an object keyed by entity type, each with precision, recall, f1 and counts (a label we
    /// have no detector for has <c>detected: false</c>, recall 0 and precision null), then the row outcomes.
    /// </summary>
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
                if (t.Detected)
                {
                    writer.WriteNumber("precision", Math.Round(t.Precision, 4));
                }
                else
                {
                    writer.WriteNull("precision");
                }

                writer.WriteNumber("recall", Math.Round(t.Recall, 4));
                writer.WriteNumber("f1", Math.Round(t.F1, 4));
                writer.WriteNumber("gold", t.Gold);
                writer.WriteNumber("predicted", t.Predicted);
                writer.WriteBoolean("detected", t.Detected);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
            if (result.RowOutcome is { } rows)
            {
                writer.WriteStartObject("row_outcome");
                writer.WriteNumber("pii_free", rows.PiiFree);
                writer.WriteNumber("pii_free_flagged", rows.PiiFreeFlagged);
                writer.WriteNumber("flagged_rate", Math.Round(rows.FlaggedRate, 4));
                writer.WriteNumber("restricted", rows.Restricted);
                writer.WriteNumber("restricted_missed", rows.RestrictedMissed);
                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>The result as a table, then the row outcomes.</summary>
    public static string Text(PrivacyEvaluationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        sb.Append(inv, $"{result.Rows} rows ({result.Split}) of {result.Data}\n");
        sb.Append(inv, $"{"type",-20}{"gold",7}{"pred",7}{"precision",11}{"recall",9}{"f1",8}\n");
        foreach (var t in result.Types)
        {
            if (t.Detected)
            {
                sb.Append(inv, $"{t.Type,-20}{t.Gold,7}{t.Predicted,7}{t.Precision,11:0.000}{t.Recall,9:0.000}{t.F1,8:0.000}\n");
            }
            else
            {
                sb.Append(inv, $"{t.Type,-20}{t.Gold,7}{"-",7}{"-",11}{t.Recall,9:0.000}{"-",8}  (no detector for this label)\n");
            }
        }

        if (result.RowOutcome is { } rows)
        {
            sb.Append(inv, $"PII-free rows flagged above internal (refused for an external model): {rows.PiiFreeFlagged} of {rows.PiiFree} ({rows.FlaggedRate:P1})\n");
            sb.Append(inv, $"rows with restricted data classed below restricted (would reach an external model): {rows.RestrictedMissed} of {rows.Restricted}\n");
        }

        return sb.ToString();
    }
}
