using System.Globalization;
using System.Text;

namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>
/// Valid structured values (Luhn-valid cards with real issuer prefixes, mod-97-valid IBANs with each country's
/// BBAN shape, SSNs and NI numbers within the issuing rules, IPs, secrets) written the ways people write them.
/// </summary>
public static class PiiValues
{
    private const char Nbsp = '\u00A0';

    // Issuer prefix, length, weight: Visa, Mastercard (51–55 and 2221–2720), Amex, Discover, JCB, Diners, Maestro, UnionPay.
    private static readonly (string Prefix, int Length, int Weight)[] _brands =
    [
        ("4", 16, 40), ("51", 16, 6), ("52", 16, 6), ("53", 16, 6), ("54", 16, 6), ("55", 16, 4), ("2223", 16, 3), ("2720", 16, 1),
        ("34", 15, 5), ("37", 15, 5), ("6011", 16, 3), ("65", 16, 2), ("3528", 16, 1), ("3589", 16, 2), ("36", 14, 2), ("38", 14, 1),
        ("6759", 16, 2), ("5018", 16, 1), ("6304", 19, 1), ("62", 16, 2), ("62", 19, 1), ("4", 19, 1),
    ];

    /// <summary>A Luhn-valid card number of a real issuer prefix, digits only.</summary>
    public static string CardDigits(HardSetRandom random)
    {
        var total = _brands.Sum(b => b.Weight);
        var pick = random.Next(total);
        var brand = _brands[0];
        foreach (var b in _brands)
        {
            if (pick < b.Weight)
            {
                brand = b;
                break;
            }

            pick -= b.Weight;
        }

        var body = brand.Prefix + random.Digits(brand.Length - brand.Prefix.Length - 1);
        return body + LuhnCheckDigit(body);
    }

    public static char LuhnCheckDigit(string body)
    {
        var sum = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var d = body[body.Length - 1 - i] - '0';
            if (i % 2 == 0)
            {
                d *= 2;
                if (d > 9)
                {
                    d -= 9;
                }
            }

            sum += d;
        }

        return (char)('0' + ((10 - (sum % 10)) % 10));
    }

    /// <summary>The groups a card number is printed in: 4-6-5 (Amex), 4-6-4 (Diners), else fours.</summary>
    public static int[] CardGroups(string digits) => digits.Length switch
    {
        15 => [4, 6, 5],
        14 => [4, 6, 4],
        _ => [.. Enumerable.Repeat(4, digits.Length / 4), .. digits.Length % 4 == 0 ? Array.Empty<int>() : [digits.Length % 4]],
    };

    /// <summary>A card as people write it: grouped by spaces, dashes, dots, no-break or double spaces, or not at all.</summary>
    public static string Card(HardSetRandom random, bool allowLineBreak = true)
    {
        var digits = CardDigits(random);
        var style = random.Next(100);
        return style switch
        {
            < 28 => Group(digits, CardGroups(digits), " "),
            < 46 => digits,
            < 60 => Group(digits, CardGroups(digits), "-"),
            < 66 => Group(digits, CardGroups(digits), "."),
            < 73 => Group(digits, CardGroups(digits), Nbsp.ToString()),
            < 79 => Group(digits, CardGroups(digits), "  "),
            < 83 => Group(digits, CardGroups(digits), " - "),
            < 87 => Group(digits, CardGroups(digits), "/"),
            < 93 when allowLineBreak => SplitLine(Group(digits, CardGroups(digits), " "), random),
            _ => Group(digits, CardGroups(digits), " "),
        };
    }

    /// <summary>The two-letter country, check digits and BBAN of a valid IBAN (compact, upper case).</summary>
    public static string IbanCompact(HardSetRandom random, string country)
    {
        // BBAN shapes (ISO 13616 registry): n = digits, a = upper-case letters, c = letters or digits.
        var shape = country switch
        {
            "DE" => "18n",
            "AT" => "16n",
            "CH" => "5n12c",
            "FR" => "10n11c2n",
            "BE" => "12n",
            "ES" => "20n",
            "IT" => "1a10n12c",
            "NL" => "4a10n",
            "PT" => "21n",
            "GB" => "4a14n",
            "IE" => "4a14n",
            "LU" => "3n13c",
            "PL" => "24n",
            _ => throw new ArgumentOutOfRangeException(nameof(country), country, "no BBAN shape"),
        };
        var bban = new StringBuilder();
        var i = 0;
        while (i < shape.Length)
        {
            var j = i;
            while (char.IsAsciiDigit(shape[j]))
            {
                j++;
            }

            var count = int.Parse(shape.AsSpan(i, j - i), CultureInfo.InvariantCulture);
            for (var k = 0; k < count; k++)
            {
                bban.Append(shape[j] switch
                {
                    'n' => random.Digit(),
                    'a' => (char)('A' + random.Next(26)),
                    _ => random.Chance(0.8) ? random.Digit() : (char)('A' + random.Next(26)),
                });
            }

            i = j + 1;
        }

        var check = 98 - Mod97(bban + country + "00");
        return country + check.ToString("00", CultureInfo.InvariantCulture) + bban;
    }

    private static int Mod97(string text)
    {
        var remainder = 0;
        foreach (var c in text)
        {
            remainder = char.IsAsciiDigit(c) ? ((remainder * 10) + (c - '0')) % 97 : ((remainder * 100) + (c - 'A' + 10)) % 97;
        }

        return remainder;
    }

    /// <summary>An IBAN as people write it: the printed groups of four, compact, lower case, other separators, or over two lines.</summary>
    public static string Iban(HardSetRandom random, string country, bool allowLineBreak = true)
    {
        var compact = IbanCompact(random, country);
        var fours = Enumerable.Repeat(4, compact.Length / 4).Append(compact.Length % 4).Where(g => g > 0).ToArray();
        var style = random.Next(100);
        return style switch
        {
            < 42 => Group(compact, fours, " "),
            < 64 => compact,
            < 70 => compact.ToLowerInvariant(),
            < 74 => Group(compact, fours, " ").ToLowerInvariant(),
            < 81 => Group(compact, fours, Nbsp.ToString()),
            < 85 => Group(compact, fours, "-"),
            < 88 => Group(compact, fours, "  "),
            < 90 => Group(compact, fours, "."),
            < 97 when allowLineBreak => SplitLine(Group(compact, fours, " "), random),
            _ => Group(compact, fours, " "),
        };
    }

    /// <summary>A US Social Security Number within the SSA's rules, as 123-45-6789, 123 45 6789 or nine digits.</summary>
    public static string Ssn(HardSetRandom random)
    {
        int area;
        do
        {
            area = random.Next(1, 900);
        }
        while (area == 666);

        var digits = area.ToString("000", CultureInfo.InvariantCulture) + random.Next(1, 100).ToString("00", CultureInfo.InvariantCulture)
            + random.Next(1, 10_000).ToString("0000", CultureInfo.InvariantCulture);
        return random.Next(10) switch
        {
            < 6 => Group(digits, [3, 2, 4], "-"),
            < 8 => Group(digits, [3, 2, 4], " "),
            _ => digits,
        };
    }

    /// <summary>A UK National Insurance number within HMRC's prefix and suffix rules, spaced or not.</summary>
    public static string Nino(HardSetRandom random)
    {
        const string Letters = "ABCEGHJKLMNPRSTWXYZ";
        string prefix;
        do
        {
            prefix = $"{Letters[random.Next(Letters.Length)]}{Letters[random.Next(Letters.Length)]}";
        }
        while (prefix[1] == 'O' || prefix is "BG" or "GB" or "KN" or "NK" or "NT" or "TN" or "ZZ");

        var digits = random.Digits(6);
        var suffix = "ABCD"[random.Next(4)];
        var nino = random.Next(10) switch
        {
            < 4 => $"{prefix} {digits[..2]} {digits[2..4]} {digits[4..]} {suffix}",
            < 7 => $"{prefix}{digits}{suffix}",
            < 9 => $"{prefix} {digits} {suffix}",
            _ => $"{prefix}{digits}{suffix}".ToLowerInvariant(),
        };
        return nino;
    }

    public static string Ip(HardSetRandom random) => random.Next(10) switch
    {
        < 3 => $"10.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}",
        < 5 => $"192.168.{random.Next(256)}.{random.Next(1, 255)}",
        < 6 => $"172.{random.Next(16, 32)}.{random.Next(256)}.{random.Next(1, 255)}",
        < 9 => $"{random.Next(11, 224)}.{random.Next(256)}.{random.Next(256)}.{random.Next(1, 255)}",
        _ => $"2001:db8:{random.Next(0x10000):x}:{random.Next(0x10000):x}::{random.Next(1, 0x10000):x}",
    };

    /// <summary>A random API token (mixed case and digits, high entropy) or a JSON Web Token.</summary>
    public static string Secret(HardSetRandom random)
    {
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        string Token(int length)
        {
            var chars = new char[length];
            for (var i = 0; i < length; i++)
            {
                chars[i] = Alphabet[random.Next(Alphabet.Length)];
            }

            return new string(chars);
        }

        return random.Next(10) < 7 ? Token(random.Next(28, 48)) : "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9." + Token(random.Next(40, 80)) + "." + Token(43);
    }

    public static string Group(string compact, int[] groups, string separator)
    {
        var sb = new StringBuilder();
        var at = 0;
        foreach (var g in groups)
        {
            if (at >= compact.Length)
            {
                break;
            }

            if (at > 0)
            {
                sb.Append(separator);
            }

            sb.Append(compact, at, Math.Min(g, compact.Length - at));
            at += g;
        }

        return sb.ToString();
    }

    /// <summary>A grouped value wrapped onto a second line at one of its spaces, as e-mail clients and PDFs do.</summary>
    private static string SplitLine(string grouped, HardSetRandom random)
    {
        var spaces = Enumerable.Range(0, grouped.Length).Where(i => grouped[i] == ' ').ToArray();
        if (spaces.Length == 0)
        {
            return grouped;
        }

        var at = spaces[Math.Clamp((spaces.Length / 2) + random.Next(-1, 1), 0, spaces.Length - 1)];
        return grouped[..at] + (random.Chance(0.5) ? "\n" : "\r\n") + grouped[(at + 1)..];
    }
}
