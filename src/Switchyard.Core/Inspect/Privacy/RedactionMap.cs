using System.Text;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>Placeholders of one redacted request and the values they stand for; lives only as long as the request.</summary>
public sealed class RedactionMap
{
    private readonly Dictionary<string, string> _byValue = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _byPlaceholder = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _counters = new(StringComparer.Ordinal);

    public int Count => _byPlaceholder.Count;

    /// <summary>Placeholder → original value.</summary>
    public IReadOnlyDictionary<string, string> Placeholders => _byPlaceholder;

    /// <summary>The longest placeholder, which bounds how much of a stream must be held back.</summary>
    public int MaxPlaceholderLength { get; private set; }

    public string PlaceholderFor(string type, string value)
    {
        if (_byValue.TryGetValue(value, out var existing))
        {
            return existing;
        }

        _counters.TryGetValue(type, out var n);
        _counters[type] = ++n;
        var placeholder = $"<{type}_{n}>";
        _byValue[value] = placeholder;
        _byPlaceholder[placeholder] = value;
        MaxPlaceholderLength = Math.Max(MaxPlaceholderLength, placeholder.Length);
        return placeholder;
    }

    /// <summary>Replaces every complete placeholder in <paramref name="text"/> by its value.</summary>
    public string Restore(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains('<', StringComparison.Ordinal))
        {
            return text;
        }

        var sb = new StringBuilder(text.Length + 32);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('<', i);
            if (open < 0)
            {
                break;
            }

            var close = text.IndexOf('>', open);
            if (close > open && close - open + 1 <= MaxPlaceholderLength && _byPlaceholder.TryGetValue(text[open..(close + 1)], out var value))
            {
                sb.Append(text, i, open - i).Append(value);
                i = close + 1;
            }
            else
            {
                sb.Append(text, i, open + 1 - i);
                i = open + 1;
            }
        }

        sb.Append(text, i, text.Length - i);
        return sb.ToString();
    }

    /// <summary>
    /// Length of the suffix of <paramref name="text"/> that could be the start of a placeholder ("&lt;CRED"): a
    /// stream holds it back until the next piece shows whether it completes one.
    /// </summary>
    public int PendingSuffix(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var open = text.LastIndexOf('<');
        if (open < 0 || text.Length - open >= MaxPlaceholderLength || text.IndexOf('>', open) >= 0)
        {
            return 0;
        }

        var tail = text.AsSpan(open);
        foreach (var placeholder in _byPlaceholder.Keys)
        {
            if (placeholder.AsSpan().StartsWith(tail, StringComparison.Ordinal))
            {
                return tail.Length;
            }
        }

        return 0;
    }
}
