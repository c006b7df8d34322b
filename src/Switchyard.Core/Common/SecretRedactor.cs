using System.Buffers;
using System.Text;

namespace Switchyard.Core.Common;

/// <summary>
/// Removes anything that looks like a credential from text that may reach a client or a log
/// (invariant 6): upstream error messages are passed through this before a client sees them.
/// </summary>
public static class SecretRedactor
{
    private static readonly string[] _prefixes = ["sk-", "sk_", "pk-", "rk-", "AKIA", "AIza", "xai-", "gsk_", "hf_", "ghp_", "Bearer "];
    private static readonly SearchValues<char> _tokenChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_.");

    /// <summary>Replaces credential-looking tokens with <c>[redacted]</c> and truncates to <paramref name="maxLength"/>.</summary>
    public static string Redact(string text, int maxLength = 500)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 16));
        var i = 0;
        while (i < text.Length && builder.Length < maxLength)
        {
            var matched = false;
            foreach (var prefix in _prefixes)
            {
                if (string.CompareOrdinal(text, i, prefix, 0, prefix.Length) == 0 && (i == 0 || !_tokenChars.Contains(text[i - 1])))
                {
                    var end = i + prefix.Length;
                    while (end < text.Length && _tokenChars.Contains(text[end]))
                    {
                        end++;
                    }

                    if (end - i - prefix.Length >= 8)
                    {
                        builder.Append("[redacted]");
                        i = end;
                        matched = true;
                        break;
                    }
                }
            }

            if (!matched)
            {
                // Long unbroken high-entropy runs (hex or base64 secrets) are redacted too.
                if (_tokenChars.Contains(text[i]) && (i == 0 || !_tokenChars.Contains(text[i - 1])))
                {
                    var end = i;
                    var digits = 0;
                    while (end < text.Length && _tokenChars.Contains(text[end]))
                    {
                        if (char.IsAsciiDigit(text[end]))
                        {
                            digits++;
                        }

                        end++;
                    }

                    if (end - i >= 32 && digits >= 4)
                    {
                        builder.Append("[redacted]");
                        i = end;
                        continue;
                    }
                }

                builder.Append(text[i]);
                i++;
            }
        }

        if (i < text.Length)
        {
            builder.Append('…');
        }

        return builder.ToString();
    }
}
