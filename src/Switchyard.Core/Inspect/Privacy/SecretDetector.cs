using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>Secrets: known key prefixes, private-key blocks and long random-looking tokens.</summary>
internal static class SecretDetector
{
    private static readonly string[] _secretPrefixes =
        ["sk-", "sk_live_", "sk_test_", "rk_live_", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-", "xoxb-", "xoxp-", "xoxa-", "xoxr-", "xoxs-", "xapp-", "AKIA", "ASIA", "AIza", "hf_", "npm_", "SG."];

    public static bool HasPrefix(ReadOnlySpan<char> token, string prefix) => token.StartsWith(prefix, StringComparison.Ordinal);

    /// <summary>A known key prefix with enough after it, or a long random-looking mix of letters and digits.</summary>
    public static bool IsSecret(ReadOnlySpan<char> token)
    {
        foreach (var prefix in _secretPrefixes)
        {
            if (token.StartsWith(prefix, StringComparison.Ordinal) && token.Length >= prefix.Length + 16)
            {
                return true;
            }
        }

        if (token.Length < 24)
        {
            return false;
        }

        // A path ("/api/v2/orders/ORD-2024-…") or a key=value pair ("tracking=1Z…") is judged by its parts.
        if (token.Contains('/') && HasWordSegment(token))
        {
            foreach (var range in token.Split('/'))
            {
                if (IsSecret(token[range]))
                {
                    return true;
                }
            }

            return false;
        }

        if (token.IndexOf('=') is var eq and > 0 && eq < token.Length - 2 && token[eq + 1] != '=')
        {
            return IsSecret(token[..eq]) || IsSecret(token[(eq + 1)..]);
        }

        int upper = 0, lower = 0, digit = 0, symbol = 0;
        foreach (var c in token)
        {
            if (char.IsAsciiLetterUpper(c)) { upper++; }
            else if (char.IsAsciiLetterLower(c)) { lower++; }
            else if (char.IsAsciiDigit(c)) { digit++; }
            else { symbol++; }
        }

        // Hex digests and UUIDs (one letter case plus digits) are identifiers people paste all the time: not secrets.
        if (upper == 0 || lower == 0 || digit == 0 || symbol > token.Length / 4)
        {
            return false;
        }

        return PiiValidators.Entropy(token) >= 4.0;
    }

    /// <summary>A segment of lower-case letters only ("api", "orders"): the token is a path, not base64.</summary>
    private static bool HasWordSegment(ReadOnlySpan<char> token)
    {
        foreach (var range in token.Split('/'))
        {
            var segment = token[range];
            if (segment.Length >= 3 && !segment.ContainsAnyExceptInRange('a', 'z'))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A <c>-----BEGIN … PRIVATE KEY-----</c> block starting at <paramref name="s"/>: its end, or 0.</summary>
    public static int PrivateKey(ReadOnlySpan<char> text, int s, List<PiiSpan> spans)
    {
        var header = text[s..];
        var lineEnd = header.IndexOf('\n');
        var firstLine = lineEnd < 0 ? header : header[..lineEnd];
        if (!firstLine.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
        {
            return 0;
        }

        var endMarker = header.IndexOf("-----END ", StringComparison.Ordinal);
        if (endMarker < 0)
        {
            // A truncated block is still a key.
            Add(spans, PiiType.Secret, s, text.Length);
            return text.Length;
        }

        var close = header[(endMarker + 9)..].IndexOf("-----", StringComparison.Ordinal);
        var end = close < 0 ? text.Length : s + endMarker + 9 + close + 5;
        Add(spans, PiiType.Secret, s, end);
        return end;
    }
}
