using System.Globalization;
using System.Text;

namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>Phone numbers in each country's own formats, and e-mail addresses made from a person's name.</summary>
public static class ContactValues
{
    private static string D(HardSetRandom r, int n) => r.Digits(n);

    // A first digit that is not 0 or 1 (NANP area codes and exchanges; most national subscriber numbers).
    private static char N(HardSetRandom r) => (char)('2' + r.Next(8));

    /// <summary>A phone number as people in <paramref name="lang"/>'s country write it (English mixes US and UK).</summary>
    public static string Phone(HardSetRandom r, string lang)
    {
        var k = r.Next(100);
        return lang switch
        {
            "en" when r.Chance(0.55) => k switch
            {
                < 25 => $"({N(r)}{D(r, 2)}) {N(r)}{D(r, 2)}-{D(r, 4)}",
                < 50 => $"{N(r)}{D(r, 2)}-{N(r)}{D(r, 2)}-{D(r, 4)}",
                < 60 => $"{N(r)}{D(r, 2)}.{N(r)}{D(r, 2)}.{D(r, 4)}",
                < 75 => $"+1 {N(r)}{D(r, 2)} {N(r)}{D(r, 2)} {D(r, 4)}",
                < 82 => $"+1 ({N(r)}{D(r, 2)}) {N(r)}{D(r, 2)}-{D(r, 4)}",
                < 90 => $"1-800-{N(r)}{D(r, 2)}-{D(r, 4)}",
                < 95 => $"{N(r)}{D(r, 2)}-{N(r)}{D(r, 2)}-{D(r, 4)} ext. {D(r, 3)}",
                _ => $"{N(r)}{D(r, 2)}{N(r)}{D(r, 2)}{D(r, 4)}",
            },
            "en" => k switch
            {
                < 25 => $"020 {N(r)}{D(r, 3)} {D(r, 4)}",
                < 50 => $"07{D(r, 3)} {D(r, 6)}",
                < 70 => $"+44 7{D(r, 3)} {D(r, 6)}",
                < 82 => $"+44 20 {N(r)}{D(r, 3)} {D(r, 4)}",
                < 90 => $"+44 (0)1{D(r, 3)} {D(r, 6)}",
                _ => $"01{D(r, 3)} {D(r, 6)}",
            },
            "de" => k switch
            {
                < 18 => $"030 {N(r)}{D(r, 7)}",
                < 32 => $"+49 {N(r)}{D(r, 1)} {N(r)}{D(r, 7)}",
                < 42 => $"+49 (0){N(r)}{D(r, 2)} {D(r, 4)} {D(r, 3)}",
                < 58 => $"01{r.Pick(["51", "52", "60", "70", "71", "72", "76"])} {N(r)}{D(r, 6)}",
                < 68 => $"+49 1{r.Pick(["51", "57", "60", "70", "76"])} {N(r)}{D(r, 6)}",
                < 78 => $"0{N(r)}{D(r, 2)}/{N(r)}{D(r, 6)}",
                < 86 => $"0{N(r)}{D(r, 2)} - {D(r, 3)} {D(r, 2)} {D(r, 2)}",
                < 93 => $"0{N(r)}{D(r, 1)} {D(r, 2)} {D(r, 2)} {D(r, 2)} {D(r, 2)}",
                _ => $"0049 {N(r)}{D(r, 2)} {N(r)}{D(r, 6)}",
            },
            "fr" => k switch
            {
                < 35 => $"0{r.Next(1, 8)} {D(r, 2)} {D(r, 2)} {D(r, 2)} {D(r, 2)}",
                < 55 => $"+33 {r.Next(1, 8)} {D(r, 2)} {D(r, 2)} {D(r, 2)} {D(r, 2)}",
                < 68 => $"0{r.Next(1, 8)}.{D(r, 2)}.{D(r, 2)}.{D(r, 2)}.{D(r, 2)}",
                < 76 => $"+33 (0){r.Next(1, 8)} {D(r, 2)} {D(r, 2)} {D(r, 2)} {D(r, 2)}",
                < 84 => $"0{r.Pick(["6", "7"])}{D(r, 8)}",
                < 92 => $"0{r.Next(1, 8)}-{D(r, 2)}-{D(r, 2)}-{D(r, 2)}-{D(r, 2)}",
                _ => $"+32 {r.Next(2, 10)} {D(r, 3)} {D(r, 2)} {D(r, 2)}",
            },
            "es" => k switch
            {
                < 30 => $"6{D(r, 2)} {D(r, 3)} {D(r, 3)}",
                < 50 => $"+34 6{D(r, 2)} {D(r, 3)} {D(r, 3)}",
                < 65 => $"9{N(r)} {D(r, 3)} {D(r, 2)} {D(r, 2)}",
                < 75 => $"+34 9{N(r)} {D(r, 3)} {D(r, 2)} {D(r, 2)}",
                < 85 => $"6{D(r, 8)}",
                < 92 => $"6{D(r, 2)}-{D(r, 3)}-{D(r, 3)}",
                _ => $"(+34) 6{D(r, 2)} {D(r, 2)} {D(r, 2)} {D(r, 2)}",
            },
            "it" => k switch
            {
                < 28 => $"3{D(r, 2)} {D(r, 3)} {D(r, 4)}",
                < 48 => $"+39 3{D(r, 2)} {D(r, 3)} {D(r, 4)}",
                < 62 => $"0{r.Next(2, 10)} {D(r, 4)} {D(r, 4)}",
                < 74 => $"+39 0{r.Next(2, 10)} {D(r, 4)} {D(r, 4)}",
                < 84 => $"3{D(r, 9)}",
                < 92 => $"0{r.Next(2, 10)}-{D(r, 8)}",
                _ => $"+41 {N(r)}{D(r, 1)} {D(r, 3)} {D(r, 2)} {D(r, 2)}",
            },
            "nl" => k switch
            {
                < 28 => $"06-{D(r, 8)}",
                < 45 => $"06 {D(r, 8)}",
                < 60 => $"+31 6 {D(r, 8)}",
                < 74 => $"020 {N(r)}{D(r, 2)} {D(r, 4)}",
                < 84 => $"+31 {N(r)}{D(r, 1)} {D(r, 3)} {D(r, 4)}",
                < 92 => $"0{N(r)}{D(r, 1)}-{D(r, 7)}",
                _ => $"+32 4{D(r, 2)} {D(r, 2)} {D(r, 2)} {D(r, 2)}",
            },
            _ => k switch // pt
            {
                < 30 => $"9{r.Pick(["1", "2", "3", "6"])}{D(r, 1)} {D(r, 3)} {D(r, 3)}",
                < 52 => $"+351 9{r.Pick(["1", "2", "3", "6"])}{D(r, 1)} {D(r, 3)} {D(r, 3)}",
                < 66 => $"2{D(r, 1)} {D(r, 3)} {D(r, 4)}",
                < 76 => $"+351 2{D(r, 1)} {D(r, 3)} {D(r, 4)}",
                < 86 => $"9{r.Pick(["1", "2", "3", "6"])}{D(r, 7)}",
                < 93 => $"+55 11 9{D(r, 4)}-{D(r, 4)}",
                _ => $"(11) 9{D(r, 4)}-{D(r, 4)}",
            },
        };
    }

    private static readonly Dictionary<string, string[]> _domains = new(StringComparer.Ordinal)
    {
        ["en"] = ["gmail.com", "outlook.com", "yahoo.co.uk", "btinternet.com", "icloud.com", "hotmail.com", "acme-corp.com", "northwind.co.uk"],
        ["de"] = ["gmx.de", "web.de", "t-online.de", "posteo.de", "gmail.com", "firma-mueller.de", "stadtwerke-ulm.de", "outlook.de"],
        ["fr"] = ["orange.fr", "free.fr", "laposte.net", "gmail.com", "sfr.fr", "wanadoo.fr", "societe-dupont.fr", "hotmail.fr"],
        ["es"] = ["gmail.com", "hotmail.es", "telefonica.net", "yahoo.es", "outlook.es", "empresa-garcia.es"],
        ["it"] = ["libero.it", "gmail.com", "tiscali.it", "virgilio.it", "alice.it", "studio-rossi.it"],
        ["nl"] = ["ziggo.nl", "kpnmail.nl", "gmail.com", "hotmail.nl", "xs4all.nl", "bedrijf-devries.nl"],
        ["pt"] = ["sapo.pt", "gmail.com", "hotmail.com", "iol.pt", "outlook.pt", "uol.com.br", "empresa-silva.pt"],
    };

    /// <summary>An e-mail address made from a person's name, in one of the shapes people's addresses have.</summary>
    public static string Email(HardSetRandom r, string lang, string first, string last)
    {
        var f = Ascii(first);
        var l = Ascii(last.Replace(" ", "", StringComparison.Ordinal).Replace("'", "", StringComparison.Ordinal));
        var domain = r.Pick(_domains[lang]);
        var local = r.Next(10) switch
        {
            < 4 => $"{f}.{l}",
            5 => $"{f[0]}.{l}",
            6 => $"{f}{l}{r.Next(1, 99)}",
            7 => $"{f}_{l}",
            8 => $"{f}.{l}+{r.Pick(["news", "shop", "work", "billing"])}",
            _ => $"{f[0]}{l}",
        };
        var address = $"{local}@{domain}";
        return r.Chance(0.08) ? address.ToUpperInvariant() : address;
    }

    /// <summary>Lower-case ASCII as mail providers accept it: ä → ae, é → e, ß → ss.</summary>
    public static string Ascii(string name)
    {
        var sb = new StringBuilder();
        foreach (var c in name.ToLowerInvariant())
        {
            switch (c)
            {
                case 'ä': sb.Append("ae"); break;
                case 'ö': sb.Append("oe"); break;
                case 'ü': sb.Append("ue"); break;
                case 'ß': sb.Append("ss"); break;
                default:
                    foreach (var d in c.ToString().Normalize(NormalizationForm.FormD))
                    {
                        if (char.IsAsciiLetterOrDigit(d) || d is '-' or '.')
                        {
                            sb.Append(d);
                        }
                    }

                    break;
            }
        }

        return sb.Length == 0 ? "user" + name.Length.ToString(CultureInfo.InvariantCulture) : sb.ToString();
    }
}
