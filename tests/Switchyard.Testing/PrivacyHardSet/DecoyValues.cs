using System.Globalization;

namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>
/// Runs of digits that are no personal data — order, invoice, ticket and tracking numbers, versions, build numbers
/// shaped like IP addresses, amounts, dates, timestamps, hashes, coordinates, barcodes, company and tax numbers —
/// in the shapes they have in each country's text.
/// </summary>
public static class DecoyValues
{
    private static readonly CultureInfo _inv = CultureInfo.InvariantCulture;

    private static string D(HardSetRandom r, int n) => r.Digits(n);

    private static string Nz(HardSetRandom r, int n) => (char)('1' + r.Next(9)) + r.Digits(n - 1);

    public static string Order(HardSetRandom r) => r.Next(12) switch
    {
        0 => "#" + Nz(r, r.Next(6, 9)),
        1 => $"ORD-{r.Next(2019, 2026)}-{D(r, 6)}",
        2 => "45" + D(r, 8),
        3 => $"{r.Pick(["302", "303", "028", "171"])}-{D(r, 7)}-{D(r, 7)}",
        4 => Nz(r, 10),
        5 => $"{r.Next(2019, 2026)}-{D(r, 6)}",
        6 => $"{Nz(r, 3)}-{D(r, 3)}-{D(r, 3)}",
        7 => $"{Nz(r, 4)} {D(r, 4)} {D(r, 4)}",
        8 => Nz(r, 12),
        9 => "100" + D(r, 6),
        10 => $"{Nz(r, 3)}-{D(r, 3)}-{D(r, 4)}",
        _ => $"{r.Letters(2)}{D(r, 8)}",
    };

    public static string Ticket(HardSetRandom r) => r.Next(7) switch
    {
        0 => "INC00" + D(r, 5),
        1 => $"{r.Pick(["PROJ", "OPS", "SUP", "BILL", "WEB", "CORE"])}-{r.Next(10, 9999)}",
        2 => "#" + Nz(r, 5),
        3 => $"{r.Next(2023, 2026)}{r.Next(1, 13):00}{r.Next(1, 29):00}{D(r, 5)}",
        4 => "0" + D(r, 7),
        5 => $"CS{D(r, 8)}",
        _ => Nz(r, 6),
    };

    public static string Invoice(HardSetRandom r) => r.Next(7) switch
    {
        0 => $"RE-{r.Next(2020, 2026)}-{D(r, 5)}",
        1 => $"{r.Next(2020, 2026)}/{Nz(r, 4)}",
        2 => $"F{r.Next(2020, 2026)}-{D(r, 6)}",
        3 => $"INV-{Nz(r, 5)}",
        4 => $"{r.Next(2020, 2026)}-{D(r, 7)}",
        5 => $"{Nz(r, 3)}/{r.Next(2020, 2026)}",
        _ => $"FA {r.Next(2020, 2026)} {D(r, 5)}",
    };

    public static string Tracking(HardSetRandom r) => r.Next(9) switch
    {
        0 => $"1Z{r.Letters(3)}{D(r, 3)}{D(r, 10)}",
        1 => PiiValues.Group("9400" + D(r, 18), [4, 4, 4, 4, 4, 2], " "),
        2 => "00340434" + D(r, 12),
        3 => Nz(r, 10),
        4 => PiiValues.Group(Nz(r, 12), [4, 4, 4], " "),
        5 => Nz(r, 12),
        6 => $"{r.Pick(["RR", "LX", "CP", "RB", "UA"])}{D(r, 9)}{r.Pick(["DE", "PT", "FR", "NL", "ES", "IT", "GB"])}",
        7 => Nz(r, 11),
        _ => $"3S{r.Letters(4)}{D(r, 7)}",
    };

    public static string Version(HardSetRandom r) => r.Next(14) switch
    {
        0 => $"v{r.Next(1, 5)}.{r.Next(0, 30)}.{r.Next(0, 20)}",
        1 => $"{r.Next(1, 25)}.{r.Next(0, 20)}.{r.Next(0, 40)}",
        2 => $"{r.Next(0, 4)}.{r.Next(0, 12)}.{r.Next(0, 9)}-rc.{r.Next(1, 5)}",
        3 => $"10.0.{r.Next(17763, 26100)}.{r.Next(100, 4000)}",
        4 => $"{r.Next(2019, 2026)}.{r.Next(1, 13)}.{r.Next(0, 5)}",
        5 => $"{r.Next(4, 7)}.{r.Next(1, 19)}.0-{r.Next(10, 600)}-amd64",
        6 => $"{r.Next(100, 131)}.0.{r.Next(5000, 6800)}.{r.Next(10, 200)}",
        7 => $"{r.Next(1, 12)}.{r.Next(0, 10)}",
        8 => $"{r.Next(1, 4)}.{r.Next(10, 40)}.{r.Next(100, 999)}.{r.Next(1000, 9999)}",
        9 => $"{r.Next(10, 24)}.{r.Next(1, 13)}",
        10 => $"{r.Next(1, 20)}.{r.Next(0, 30)}.{r.Next(0, 30)}.{r.Next(0, 300)}",
        11 => $"v{r.Next(1, 3)}.{r.Next(20, 32)}.{r.Next(0, 9)}+k3s{r.Next(1, 3)}",
        12 => $"{r.Next(2019, 2026)}.{r.Next(1, 13)}.{r.Next(1, 29)}.{r.Next(1000, 2400)}",
        _ => $"{r.Next(1, 9)}.{r.Next(0, 9)}.{r.Next(0, 9)}.{r.Next(0, 9)}",
    };

    /// <summary>Build and release numbers of four dotted parts, some of them valid IPv4 addresses by shape.</summary>
    public static string Build(HardSetRandom r) => r.Next(6) switch
    {
        0 => $"{r.Next(10, 30)}.{r.Next(1, 12)}.{r.Next(100, 400)}.{r.Next(1000, 9999)}",
        1 => $"{r.Next(10, 99)}.{r.Next(10, 99)}.{r.Next(10, 99)}.{r.Next(256, 999)}",
        2 => $"{r.Next(1, 9)}.{r.Next(10, 40)}.{r.Next(256, 999)}.{r.Next(10, 99)}",
        3 => $"{r.Next(20, 26)}.{r.Next(1, 13)}.{r.Next(1, 29)}.{r.Next(1, 9)}",
        4 => $"{r.Next(2022, 2026)}{r.Next(1, 13):00}{r.Next(1, 29):00}.{r.Next(1, 20)}",
        _ => $"{r.Next(1, 20)}.{r.Next(0, 10)}.{r.Next(0, 10)}.{r.Next(10000, 40000)}",
    };

    public static string Amount(HardSetRandom r, string lang)
    {
        var whole = r.Next(6) switch
        {
            0 => r.Next(10, 999),
            1 => r.Next(1000, 99_999),
            2 => r.Next(100_000, 9_999_999),
            3 => r.Next(1, 999) * 1000,
            4 => r.Next(1, 300) * 1_000_000 / 10,
            _ => r.Next(1_000_000, 999_999_999),
        };
        var cents = r.Next(100);
        var grouped = (string sep) => whole.ToString("#,0", _inv).Replace(",", sep, StringComparison.Ordinal);
        return lang switch
        {
            "en" => r.Next(4) switch
            {
                0 => $"${grouped(",")}.{cents:00}",
                1 => $"£{grouped(",")}",
                2 => $"USD {grouped(",")}.{cents:00}",
                _ => $"€{grouped(",")}",
            },
            "de" => r.Next(4) switch
            {
                0 => $"{grouped(".")},{cents:00} €",
                1 => $"{grouped(".")} EUR",
                2 => $"CHF {grouped("'")}.{cents:00}",
                _ => $"€ {grouped(".")},-",
            },
            "fr" => r.Next(3) switch
            {
                0 => $"{grouped(" ")},{cents:00} €",
                1 => $"{grouped("\u202F")} €",
                _ => $"{grouped("\u00A0")} euros",
            },
            "pt" => r.Next(3) switch
            {
                0 => $"{grouped(" ")},{cents:00} €",
                1 => $"R$ {grouped(".")},{cents:00}",
                _ => $"{grouped(".")} euros",
            },
            _ => r.Next(3) switch
            {
                0 => $"{grouped(".")},{cents:00} €",
                1 => $"€ {grouped(".")},{cents:00}",
                _ => $"{grouped(" ")} €",
            },
        };
    }

    public static string Date(HardSetRandom r, string lang)
    {
        var (y, m, d) = (r.Next(2019, 2027), r.Next(1, 13), r.Next(1, 29));
        return r.Next(6) switch
        {
            0 => $"{y}-{m:00}-{d:00}",
            1 => lang == "en" ? $"{m:00}/{d:00}/{y}" : $"{d:00}/{m:00}/{y}",
            2 => lang is "de" ? $"{d:00}.{m:00}.{y}" : lang is "nl" ? $"{d:00}-{m:00}-{y}" : $"{d}/{m}/{y}",
            3 => $"{y}{m:00}{d:00}",
            4 => $"{d:00}.{m:00}.{y % 100:00}",
            _ => $"{y}/{m:00}/{d:00}",
        };
    }

    public static string Timestamp(HardSetRandom r) => r.Next(8) switch
    {
        0 => $"{r.Next(2023, 2026)}-{r.Next(1, 13):00}-{r.Next(1, 29):00}T{r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00}.{D(r, 6)}Z",
        1 => $"{r.Next(2023, 2026)}-{r.Next(1, 13):00}-{r.Next(1, 29):00} {r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00},{D(r, 3)}",
        2 => $"{r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00}.{D(r, 6)}",
        3 => $"[{r.Next(1, 29):00}/{r.Pick(["Jan", "Feb", "Mar", "Apr", "May", "Jun"])}/{r.Next(2023, 2026)}:{r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00} +0{r.Next(0, 3)}00]",
        4 => "17" + D(r, 8),
        5 => "17" + D(r, 11),
        6 => $"{r.Next(2023, 2026)}-{r.Next(1, 13):00}-{r.Next(1, 29):00}T{r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00}+0{r.Next(0, 3)}:00",
        _ => $"{r.Next(24):00}:{r.Next(60):00}:{r.Next(60):00}.{D(r, 3)}",
    };

    public static string Hash(HardSetRandom r)
    {
        const string Hex = "0123456789abcdef";
        string H(int n)
        {
            var chars = new char[n];
            for (var i = 0; i < n; i++)
            {
                chars[i] = Hex[r.Next(16)];
            }

            return new string(chars);
        }

        return r.Next(5) switch
        {
            0 => H(7),
            1 => H(40),
            2 => "sha256:" + H(64),
            3 => $"{H(8)}-{H(4)}-{H(4)}-{H(4)}-{H(12)}",
            _ => H(12),
        };
    }

    public static string Coordinates(HardSetRandom r) => r.Next(3) switch
    {
        0 => $"{r.Next(36, 60)}.{D(r, 6)}, {r.Next(-9, 25)}.{D(r, 6)}",
        1 => $"lat={r.Next(36, 60)}.{D(r, 5)}&lon={r.Next(1, 25)}.{D(r, 5)}",
        _ => $"{r.Next(36, 60)}.{D(r, 4)}° N, {r.Next(1, 25)}.{D(r, 4)}° E",
    };

    public static string Duration(HardSetRandom r) => r.Next(4) switch
    {
        0 => $"{r.Next(1, 9999)}.{D(r, 6)} ms",
        1 => $"{r.Next(1, 99)}.{D(r, 6)}s",
        2 => $"{r.Next(100, 5000)} ms",
        _ => $"{r.Next(1, 60)}m{r.Next(0, 60)}s",
    };

    public static string Count(HardSetRandom r, string lang)
    {
        var n = r.Next(1_000, 9_999_999);
        var text = n.ToString("#,0", _inv);
        return lang switch
        {
            "en" => text,
            "fr" => text.Replace(",", "\u00A0", StringComparison.Ordinal),
            "pt" or "it" when r.Chance(0.4) => text.Replace(",", " ", StringComparison.Ordinal),
            _ => text.Replace(",", ".", StringComparison.Ordinal),
        };
    }

    /// <summary>An EAN-13 barcode with its own check digit.</summary>
    public static string Ean(HardSetRandom r)
    {
        var body = r.Pick(["400", "401", "402", "409", "300", "350", "380", "800", "840", "870", "560", "541"]) + D(r, 9);
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (body[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        return body + (char)('0' + ((10 - (sum % 10)) % 10));
    }

    public static string MaskedCard(HardSetRandom r) => r.Next(5) switch
    {
        0 => $"**** **** **** {D(r, 4)}",
        1 => $"XXXX-XXXX-XXXX-{D(r, 4)}",
        2 => $"•••• {D(r, 4)}",
        3 => $"{r.Pick(["4", "5"])}{D(r, 5)}******{D(r, 4)}",
        _ => $"************{D(r, 4)}",
    };

    /// <summary>A 16-digit reference printed like a card but failing Luhn (a bank or booking reference).</summary>
    public static string Reference(HardSetRandom r)
    {
        var body = Nz(r, 15);
        var bad = (char)('0' + ((PiiValues.LuhnCheckDigit(body) - '0' + r.Next(1, 10)) % 10));
        var digits = body + bad;
        return r.Chance(0.5) ? PiiValues.Group(digits, [4, 4, 4, 4], " ") : digits;
    }

    /// <summary>Company and tax numbers (VAT, SIRET/SIREN, KvK, Steuernummer, Partita IVA, NIF of a company): not a person's data.</summary>
    public static string CompanyNumber(HardSetRandom r, string lang) => lang switch
    {
        "de" => r.Next(3) switch { 0 => "DE" + Nz(r, 9), 1 => $"{r.Next(10, 99)}/{D(r, 3)}/{D(r, 5)}", _ => $"HRB {Nz(r, 5)}" },
        "fr" => r.Next(3) switch { 0 => $"{Nz(r, 3)} {D(r, 3)} {D(r, 3)} {D(r, 5)}", 1 => $"{Nz(r, 3)} {D(r, 3)} {D(r, 3)}", _ => $"FR {D(r, 2)} {Nz(r, 9)}" },
        "es" => r.Next(2) switch { 0 => $"B{D(r, 8)}", _ => $"ESB{D(r, 8)}" },
        "it" => r.Next(2) switch { 0 => "IT" + D(r, 11), _ => "0" + D(r, 10) },
        "nl" => r.Next(2) switch { 0 => Nz(r, 8), _ => $"NL{Nz(r, 9)}B{D(r, 2)}" },
        "pt" => r.Next(2) switch { 0 => "5" + D(r, 8), _ => "PT " + "5" + D(r, 8) },
        _ => r.Next(2) switch { 0 => $"GB {Nz(r, 3)} {D(r, 4)} {D(r, 2)}", _ => $"{D(r, 2)}-{Nz(r, 7)}" },
    };

    public static string Postcode(HardSetRandom r, string lang) => lang switch
    {
        "de" or "fr" or "es" or "it" => Nz(r, 5),
        "nl" => $"{Nz(r, 4)} {r.Letters(2)}",
        "pt" => $"{Nz(r, 4)}-{D(r, 3)}",
        _ => r.Chance(0.5) ? Nz(r, 5) : $"{r.Pick(["SW", "EC", "N", "M", "B", "LS"])}{r.Next(1, 20)} {r.Next(1, 9)}{r.Letters(2)}",
    };

    public static string Isbn(HardSetRandom r)
    {
        var body = "978" + r.Pick(["3", "2", "84", "88", "90", "972"]) + D(r, 12);
        body = body[..12];
        var sum = 0;
        for (var i = 0; i < 12; i++)
        {
            sum += (body[i] - '0') * (i % 2 == 0 ? 1 : 3);
        }

        var full = body + (char)('0' + ((10 - (sum % 10)) % 10));
        return r.Chance(0.5) ? full : $"{full[..3]}-{full[3]}-{full[4..7]}-{full[7..12]}-{full[12]}";
    }

    public static string Size(HardSetRandom r) => r.Next(4) switch
    {
        0 => $"{r.Next(1, 65) * 1024} MB",
        1 => $"{r.Next(1, 999)}.{r.Next(0, 9)} GB",
        2 => $"{r.Next(100_000, 99_999_999)} bytes",
        _ => $"{r.Next(1, 100)}%",
    };
}
