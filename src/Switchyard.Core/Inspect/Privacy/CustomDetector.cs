using System.Buffers;
using System.Text.RegularExpressions;
using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

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
