namespace Switchyard.Architecture.Tests;

/// <summary>
/// <c>baseline.txt</c> beside this file: the known violations, one per line as <c>key  # reason</c>. The tests fail on a
/// violation that is not listed and on a listed one that no longer occurs, so the list can only shrink.
/// </summary>
internal static class Baseline
{
    public static string Path { get; } = System.IO.Path.Combine(Repository.Root, "tests", "Switchyard.Architecture.Tests", "baseline.txt");

    /// <summary>Listed keys of one kind (the first word of the key).</summary>
    public static IReadOnlySet<string> Keys(string kind)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        foreach (var raw in File.ReadLines(Path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var hash = line.IndexOf(" #", StringComparison.Ordinal);
            var key = (hash < 0 ? line : line[..hash]).Trim();
            if (key.StartsWith(kind + " ", StringComparison.Ordinal))
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    /// <summary>Compares what the code does today (key → what it is, with an example) with the baseline; throws a message saying what to do.</summary>
    public static void Check(string kind, IReadOnlyDictionary<string, string> found, string rule)
    {
        var listed = Keys(kind);
        var added = found.Keys.Where(k => !listed.Contains(k)).Order(StringComparer.Ordinal).ToList();
        var gone = listed.Where(k => !found.ContainsKey(k)).Order(StringComparer.Ordinal).ToList();
        if (added.Count == 0 && gone.Count == 0)
        {
            return;
        }

        var message = new System.Text.StringBuilder();
        if (added.Count > 0)
        {
            message.AppendLine($"{added.Count} new violation(s) of the rule: {rule}");
            foreach (var key in added)
            {
                message.AppendLine($"  {key}    ({found[key]})");
            }

            message.AppendLine("Fix the code (move the type to the folder/project where the rule allows the arrow, or invert it");
            message.AppendLine("behind an interface declared earlier in the order). The baseline is for violations that existed");
            message.AppendLine($"when the rule was written, not for new ones: {Repository.Relative(Path)}.");
        }

        if (gone.Count > 0)
        {
            message.AppendLine($"{gone.Count} baseline entr(y/ies) no longer occur: if you removed the violation, delete the line from {Repository.Relative(Path)};");
            message.AppendLine("a cycle that changed shape shows above as new: if it shrank, put the new line in place of the old one (a cycle that grew is a new violation):");
            foreach (var key in gone)
            {
                message.AppendLine($"  {key}");
            }
        }

        throw new Xunit.Sdk.XunitException(message.ToString());
    }
}
