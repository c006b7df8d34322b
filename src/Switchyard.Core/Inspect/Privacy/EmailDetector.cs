using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>E-mail addresses: a local part, <c>@</c>, and a domain whose top-level domain is letters only.</summary>
internal static class EmailDetector
{
    private static bool IsLocalChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '%' or '+' or '-' or '\'';

    private static bool IsDomainChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '.' or '-';

    /// <summary>Looks around the <c>@</c> at <paramref name="at"/>; returns where scanning resumes.</summary>
    public static int Find(ReadOnlySpan<char> text, int at, List<PiiSpan> spans)
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
}
