using Switchyard.Core.Model;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>Span helpers the detectors share: adding a span, word boundaries, context words.</summary>
internal static class ScanText
{
    public static void Add(List<PiiSpan> spans, PiiType type, int start, int end) => spans.Add(new PiiSpan(type, start, end - start));

    public static int WordEnd(ReadOnlySpan<char> text, int s)
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

    public static bool IsTitleCase(ReadOnlySpan<char> word) => word.Length >= 2 && char.IsUpper(word[0]) && char.IsLower(word[1]);

    public static bool AtSentenceStart(ReadOnlySpan<char> text, int s)
    {
        var i = s - 1;
        while (i >= 0 && text[i] is ' ' or '"' or '\'' or '(' or '\t')
        {
            i--;
        }

        return i < 0 || text[i] is '.' or '!' or '?' or '\n' or ':' or '\r';
    }

    /// <summary>Whether one of <paramref name="words"/> occurs (ignoring case) in the 32 characters before <paramref name="p"/>.</summary>
    public static bool NearWord(ReadOnlySpan<char> text, int p, string[] words)
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

    /// <summary>Whether one of <paramref name="words"/> occurs as a whole word (ignoring case) in the <paramref name="window"/> characters before <paramref name="p"/>.</summary>
    public static bool NearWord(ReadOnlySpan<char> text, int p, string[] words, int window)
    {
        var from = Math.Max(0, p - window);
        var before = text[from..p];
        foreach (var word in words)
        {
            var at = 0;
            while (at < before.Length && before[at..].IndexOf(word, StringComparison.OrdinalIgnoreCase) is var k and >= 0)
            {
                var s = at + k;
                var e = s + word.Length;
                if ((s == 0 ? from == 0 || !char.IsLetter(text[from - 1]) : !char.IsLetter(before[s - 1])) && (e >= before.Length || !char.IsLetter(before[e])))
                {
                    return true;
                }

                at = s + 1;
            }
        }

        return false;
    }
}
