using System.Text;

namespace Switchyard.Core.Common;

/// <summary>Lone UTF-16 surrogate escapes in JSON text (<c>"\ud800"</c> with no low surrogate after it): found without decoding.</summary>
public static class LoneSurrogates
{
    /// <summary>
    /// The refusal of a body holding a lone UTF-16 surrogate escape (<c>"\ud800"</c>, what a client sends after cutting a
    /// string in the middle of an emoji), or null when it holds none. Such a string has no UTF-8 form: the gateway cannot
    /// scan it, and a same-format request would be forwarded byte for byte to an upstream that may refuse it (Anthropic
    /// does) or read it as U+FFFD (OpenAI does). Refusing it at the door gives one answer whatever the route
    /// (docs/translation.md, "Malformed text").
    /// </summary>
    public static string? Error(ReadOnlySpan<byte> body)
    {
        var at = Find(body);
        if (at < 0)
        {
            return null;
        }

        var line = body[..at].Count((byte)'\n') + 1;
        var column = at - (body[..at].LastIndexOf((byte)'\n') + 1) + 1;
        return $"The request body is not valid JSON text: the escape {Encoding.ASCII.GetString(body.Slice(at, 6))} at line {line}, byte {column} is a lone " +
            "UTF-16 surrogate (a high surrogate \\ud800-\\udbff must be followed by a low one \\udc00-\\udfff). Cut strings on whole characters, or send \\ufffd.";
    }

    /// <summary>The index of the first lone surrogate escape in <paramref name="json"/>, or -1.</summary>
    public static int Find(ReadOnlySpan<byte> json)
    {
        var i = 0;
        while (true)
        {
            var next = json[i..].IndexOf((byte)'\\');
            if (next < 0)
            {
                return -1;
            }

            i += next;
            if (i + 1 >= json.Length)
            {
                return -1;
            }

            // Any escape but \u is two bytes (so "\\ud800", an escaped backslash before "ud800", is not a \u escape).
            if (json[i + 1] != (byte)'u' || !TryHex4(json, i + 2, out var unit))
            {
                i += 2;
                continue;
            }

            if (unit is >= 0xD800 and <= 0xDBFF)
            {
                if (i + 7 < json.Length && json[i + 6] == (byte)'\\' && json[i + 7] == (byte)'u' && TryHex4(json, i + 8, out var low) && low is >= 0xDC00 and <= 0xDFFF)
                {
                    i += 12;
                    continue;
                }

                return i;
            }

            if (unit is >= 0xDC00 and <= 0xDFFF)
            {
                return i;
            }

            i += 6;
        }
    }

    private static bool TryHex4(ReadOnlySpan<byte> json, int start, out int value)
    {
        value = 0;
        if (start + 4 > json.Length)
        {
            return false;
        }

        for (var k = start; k < start + 4; k++)
        {
            var digit = HexDigit(json[k]);
            if (digit < 0)
            {
                return false;
            }

            value = (value << 4) | digit;
        }

        return true;
    }

    private static int HexDigit(byte b) => b switch
    {
        >= (byte)'0' and <= (byte)'9' => b - '0',
        >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
        >= (byte)'A' and <= (byte)'F' => b - 'A' + 10,
        _ => -1,
    };
}
