using System.Runtime.CompilerServices;

namespace Switchyard.Core.Inspect.Classification;

/// <summary>
/// Hashed features of a prompt, shared by the task classifier and the quality model: lower-cased word
/// unigrams and bigrams, character trigrams of each word with boundary marks (fastText-style subwords), single
/// punctuation and symbol characters (which separate code from prose), and coarse length buckets. Each feature is
/// a bucket index in [0, buckets); repeats count. The same pass can also count the prompt's dense shape
/// (<see cref="PromptShape"/>). No allocation: the caller owns the output spans.
/// </summary>
public static class TextFeatures
{
    /// <summary>Changes whenever the extraction changes; the weight files record the version they were trained with.</summary>
    public const int Version = 2;

    /// <summary>Longest prefix of a prompt that is read; beyond it, features add little and cost time.</summary>
    public const int MaxChars = 6000;

    /// <summary>Enough room for the features of <see cref="MaxChars"/> characters.</summary>
    public const int MaxFeatures = (MaxChars * 3) + 16;

    private const uint Prime = 16777619;
    private const uint Offset = 2166136261;
    private const uint WordSeed = 0x9E3779B9;
    private const uint BigramSeed = 0x85EBCA6B;
    private const uint GramSeed = 0xC2B2AE35;
    private const uint SymbolSeed = 0x27D4EB2F;
    private const uint MetaSeed = 0x165667B1;

    /// <summary>Writes the features of <paramref name="text"/> into <paramref name="output"/>; returns how many.</summary>
    public static int Extract(ReadOnlySpan<char> text, int buckets, Span<int> output) => Extract(text, buckets, output, []);

    /// <summary>
    /// Writes the hashed features of <paramref name="text"/> into <paramref name="output"/> and, unless
    /// <paramref name="shape"/> is empty, its <see cref="PromptShape.Count"/> shape features into
    /// <paramref name="shape"/>; returns how many hashed features.
    /// </summary>
    public static int Extract(ReadOnlySpan<char> text, int buckets, Span<int> output, Span<float> shape)
    {
        if (!shape.IsEmpty && shape.Length < PromptShape.Count)
        {
            throw new ArgumentException($"needs room for {PromptShape.Count} shape features", nameof(shape));
        }

        if ((buckets & (buckets - 1)) != 0 || buckets <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(buckets), "must be a power of two");
        }

        if (text.Length > MaxChars)
        {
            text = text[..MaxChars];
        }

        var mask = (uint)buckets - 1;
        var n = 0;
        var words = 0;
        var lines = 1;
        uint previous = 0;
        var i = 0;
        Span<char> word = stackalloc char[34];
        var numbers = 0;
        var sentences = 0;
        var flags = 0;
        var previousFlags = 0;
        Span<uint> distinct = stackalloc uint[PromptShape.MaxDistinctNumbers];
        var distinctCount = 0;
        var options = 0;
        var lineStart = true;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsLetterOrDigit(c))
            {
                var start = i;
                var length = 0;
                while (i < text.Length && char.IsLetterOrDigit(text[i]))
                {
                    if (length < 32)
                    {
                        word[1 + length] = Lower(text[i]);
                        length++;
                    }

                    i++;
                }

                var w = word.Slice(1, length);
                var wordFlags = 0;
                if (char.IsAsciiDigit(w[0]))
                {
                    // A number; "3.5" and "1,000" are one number, not two.
                    if (start < 2 || (text[start - 1] != '.' && text[start - 1] != ',') || !char.IsAsciiDigit(text[start - 2]))
                    {
                        numbers++;
                        var raw = Hash(w, MetaSeed);
                        if (distinctCount < distinct.Length && !distinct[..distinctCount].Contains(raw))
                        {
                            distinct[distinctCount++] = raw;
                        }
                    }
                }
                else if (length == 1 && lineStart && IsOption(text, start, i))
                {
                    options++;
                }
                else if (length <= 11)
                {
                    wordFlags = PromptShape.WordFlags(w);
                    if ((previousFlags & PromptShape.Comparative) != 0 && w.SequenceEqual("than"))
                    {
                        wordFlags |= PromptShape.Comparison;
                    }
                }

                flags |= wordFlags;
                previousFlags = wordFlags;
                lineStart = false;

                // Digits collapse to one shape: "1912" and "2024" are the same kind of token.
                for (var k = 0; k < w.Length; k++)
                {
                    if (char.IsAsciiDigit(w[k]))
                    {
                        w[k] = '0';
                    }
                }

                var h = Hash(w, WordSeed);
                output[n++] = (int)(h & mask);
                if (words > 0)
                {
                    output[n++] = (int)(Mix(previous * 31 + h, BigramSeed) & mask);
                }

                previous = h;
                words++;
                if (length >= 3 && i - start <= 32)
                {
                    word[0] = '<';
                    word[length + 1] = '>';
                    var marked = word[..(length + 2)];
                    for (var g = 0; g + 3 <= marked.Length; g++)
                    {
                        output[n++] = (int)(Hash(marked.Slice(g, 3), GramSeed) & mask);
                    }
                }
            }
            else
            {
                if (c == '\n')
                {
                    lines++;
                    lineStart = true;
                }
                else if (!char.IsWhiteSpace(c))
                {
                    output[n++] = (int)(Mix(c, SymbolSeed) & mask);
                    flags |= SymbolFlags(text, i);
                    lineStart &= c == '(';
                    if ((c == '.' || c == '?' || c == '!') && (i + 1 == text.Length || char.IsWhiteSpace(text[i + 1])))
                    {
                        sentences++;
                    }
                }

                i++;
            }
        }

        output[n++] = (int)(Mix(100 + (uint)Log2(text.Length), MetaSeed) & mask);
        output[n++] = (int)(Mix(200 + (uint)Log2(words), MetaSeed) & mask);
        output[n++] = (int)(Mix(300 + (uint)Math.Min(Log2(lines), 8), MetaSeed) & mask);
        if (!shape.IsEmpty)
        {
            // A last sentence without its full stop is still a sentence.
            PromptShape.Write(shape, text.Length, numbers, distinctCount, sentences + (words > 0 && !EndsSentence(text) ? 1 : 0), options, flags);
        }

        return n;
    }

    /// <summary>The shape flags a symbol raises: %, a currency sign, a fraction (digit/digit) or a decimal (digit.digit).</summary>
    private static int SymbolFlags(ReadOnlySpan<char> text, int i)
    {
        var c = text[i];
        switch (c)
        {
            case '%':
                return PromptShape.Percent;
            case '$' or '€' or '£' or '¥':
                return PromptShape.Currency;
            case '/' or '.':
                var between = i > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i - 1]) && char.IsAsciiDigit(text[i + 1]);
                return !between ? 0 : c == '/' ? PromptShape.Fraction : PromptShape.Decimal;
            default:
                return 0;
        }
    }

    /// <summary>Whether the one-character word at [start, end) opens an option line: "A. …", "B) …" or "(C) …" (A–J).</summary>
    private static bool IsOption(ReadOnlySpan<char> text, int start, int end) =>
        text[start] is >= 'A' and <= 'J' && end + 1 < text.Length && text[end] is '.' or ')' && char.IsWhiteSpace(text[end + 1])
        && (start == 0 || text[start - 1] != '(' || end < text.Length && text[end] == ')');

    private static bool EndsSentence(ReadOnlySpan<char> text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length > 0 && trimmed[^1] is '.' or '?' or '!';
    }

    /// <summary>The bucket of a named extra feature (e.g. the task category the quality model conditions on).</summary>
    public static int Named(string name, int buckets) => (int)(Hash(name, MetaSeed ^ 0x5bd1e995) & ((uint)buckets - 1));

    private static int Log2(int value) => value <= 0 ? 0 : 32 - int.LeadingZeroCount(value);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static char Lower(char c) => c < 128 ? (char)(c | (char.IsAsciiLetterUpper(c) ? 0x20 : 0)) : char.ToLowerInvariant(c);

    private static uint Hash(ReadOnlySpan<char> s, uint seed)
    {
        var h = Offset ^ seed;
        foreach (var c in s)
        {
            h = (h ^ c) * Prime;
        }

        return Mix(h, seed);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Mix(uint h, uint seed)
    {
        h ^= seed;
        h ^= h >> 16;
        h *= 0x7feb352d;
        h ^= h >> 15;
        h *= 0x846ca68b;
        h ^= h >> 16;
        return h;
    }
}
