using System.Text;

namespace Switchyard.Tests.Docs;

/// <summary>One command line shown in the documentation, where it is shown, and its words as a shell splits them.</summary>
internal sealed record DocCommand(string File, int Line, string Text, IReadOnlyList<string> Words)
{
    public override string ToString() => $"{File}:{Line}: {Text}";
}

/// <summary>
/// Reads the command examples of README.md and docs/*.md: every line of a fenced <c>sh</c>/<c>bash</c>/<c>shell</c>
/// block, and every line starting with <c>$ </c> in any other fenced block (an example shown with its output).
/// Continuation lines (a trailing <c>\</c>) are joined and a trailing <c># comment</c> is dropped. Synopses with
/// placeholders belong in tables or plain text, not in these blocks.
/// </summary>
internal static class DocCommands
{
    private static readonly string[] _shellFences = ["sh", "bash", "shell"];

    /// <summary>README.md first, then docs/*.md by name: the order a newcomer reads them in.</summary>
    public static IReadOnlyList<DocCommand> Read(string repoRoot)
    {
        var files = new List<string> { Path.Combine(repoRoot, "README.md") };
        files.AddRange(Directory.GetFiles(Path.Combine(repoRoot, "docs"), "*.md").Order(StringComparer.Ordinal));
        return [.. files.SelectMany(f => Parse(Path.GetRelativePath(repoRoot, f), File.ReadAllLines(f)))];
    }

    public static IEnumerable<DocCommand> Parse(string file, IReadOnlyList<string> lines)
    {
        string? fence = null;
        for (var i = 0; i < lines.Count; i++)
        {
            var line = lines[i].Trim();
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                fence = fence is null ? line[3..].Trim() : null;
                continue;
            }

            if (fence is null)
            {
                continue;
            }

            var shell = _shellFences.Contains(fence, StringComparer.Ordinal);
            if (!shell && !line.StartsWith("$ ", StringComparison.Ordinal))
            {
                continue;
            }

            var start = i;
            var text = new StringBuilder(shell ? line : line[2..]);
            while (text.Length > 0 && text[^1] == '\\' && i + 1 < lines.Count)
            {
                text.Length--;
                text.Append(' ').Append(lines[++i].Trim());
            }

            var words = Split(text.ToString());
            if (words.Count > 0)
            {
                yield return new DocCommand(file, start + 1, text.ToString().Trim(), words);
            }
        }
    }

    /// <summary>Splits a command line as a POSIX shell would for these examples: quotes, backslash escapes, a trailing comment.</summary>
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, (end < 0 ? line.Length : end) - i - 1);
                i = end < 0 ? line.Length : end;
                inWord = true;
            }
            else if (c == '"')
            {
                for (i++; i < line.Length && line[i] != '"'; i++)
                {
                    if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] is '"' or '\\' or '$')
                    {
                        i++;
                    }

                    word.Append(line[i]);
                }

                inWord = true;
            }
            else if (c == '#' && !inWord)
            {
                break;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c == '\\' && i + 1 < line.Length ? line[++i] : c);
                inWord = true;
            }
        }

        if (inWord)
        {
            words.Add(word.ToString());
        }

        return words;
    }
}
