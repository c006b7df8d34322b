namespace Switchyard.Core.Inspect.Privacy;

/// <summary>What the words right before a run of digits say it is.</summary>
internal enum NumberCue
{
    None,

    /// <summary>"Tel.", "phone", "call me on", "Handy", "portable", "móvil", "chiamato dal", "belde vanaf", …</summary>
    Phone,

    /// <summary>"order", "Bestellnummer", "invoice", "tracking", "version", "ref", "#", "SKU", "VAT", "SIRET", …: an identifier, never a phone.</summary>
    Identifier,

    /// <summary>"card", "Karte", "carte", "tarjeta", "cartão", "Visa", "PAN", …</summary>
    Card,
}

/// <summary>
/// The cue words before a number and the currency next to it, in English, German, French, Spanish, Italian, Dutch
/// and Portuguese. Words are matched by their start ("Telefonnummer", "Bestellnr."; stems of three letters or fewer
/// only as whole words), and the nearest cue wins ("order shipped, call 030 …" is a phone; "my phone, order 4711 …" is not).
/// </summary>
internal static class NumberCues
{
    private static readonly string[] _phoneStems =
    [
        "tele", "télé", "tél", "tel", "phone", "call", "ring", "mobi", "cell", "celu", "cel", "fax", "whatsapp", "handy", "rufn", "anruf", "portable", "móvil",
        "movil", "gsm", "bel", "belde", "bellen", "belt", "appel", "llam", "chiam", "ligar", "ligue", "ligou", "contact", "kontakt", "reach", "sms", "hotline",
        "dial", "tlf", "tfno", "telf", "answer", "office", "desk", "direct", "büro", "bureau", "ufficio", "oficina", "escritório", "kantoor",
    ];

    private static readonly string[] _identifierStems =
    [
        "order", "bestell", "auftrag", "kunden", "rechnung", "invoice", "factur", "fattur", "factuur", "fatura", "ticket", "track", "sendung", "suivi",
        "seguim", "colis", "paket", "pacco", "pakket", "pedido", "ordine", "encomenda", "commande", "dossier", "expedient", "pratica", "processo",
        "referen", "ref", "mandat", "case", "caso", "id", "po", "sku", "ean", "gtin", "isbn", "build", "version", "versión", "versione", "versie", "versão",
        "release", "commit", "account", "konto", "contrat", "contract", "vertrag", "siret", "siren", "vat", "ust", "iva", "nif", "cif", "kvk", "steuer",
        "partita", "hrb", "serial", "serie", "lot", "batch", "booking", "buchung", "reserv", "confirm", "plz", "zip", "postcode", "kennziffer",
        "aktenzeichen", "vorgang", "lieferschein", "artikel", "article", "artículo", "articolo", "artigo", "item", "employee", "mitarbeiter",
        "matricul", "polizza", "police", "policy", "póliza", "apólice", "volume", "envío", "spedizione", "verzending", "zending", "remessa", "envoi",
        "transaction", "txn", "trace", "request", "job", "pid", "port", "amount", "total", "betrag", "summe", "montant", "importe", "importo",
        "bedrag", "valor", "preis", "price", "prix", "precio", "prezzo", "prijs", "preço", "kosten", "cost", "coût", "coste", "costo",
    ];

    private static readonly string[] _cardStems =
    [
        "card", "karte", "kredit", "carte", "tarjeta", "carta", "kaart", "cartão", "cartao", "visa", "mastercard", "amex", "maestro", "pan", "cc",
    ];

    // After a number: "0431 35 06 90 office", "06-12345678 (mobile)", "…-Fax".
    private static readonly string[] _phoneAfter = ["office", "fax", "mobile", "mobil", "home", "work", "cell", "desk", "tel", "phone", "handy", "privat", "portable", "móvil", "cellulare", "mobiel", "telemóvel"];

    /// <summary>
    /// The nearest cue in the words (up to four, within 40 characters) before <paramref name="p"/>, on the same line or
    /// a label's line ("Phone:" then the number on the next line); else a phone word right after the number ending at <paramref name="end"/>.
    /// </summary>
    public static NumberCue Around(ReadOnlySpan<char> text, int p, int end)
    {
        var before = Before(text, p);
        if (before != NumberCue.None)
        {
            return before;
        }

        var a = end;
        while (a < text.Length && a - end < 3 && text[a] is ' ' or '-' or '(' or ',')
        {
            a++;
        }

        var we = a;
        while (we < text.Length && char.IsLetter(text[we]))
        {
            we++;
        }

        return we > a && StartsWithAny(text[a..we], _phoneAfter) ? NumberCue.Phone : NumberCue.None;
    }

    /// <summary>The nearest cue in the words (up to four, within 40 characters) before <paramref name="p"/>; "#" alone says identifier.</summary>
    public static NumberCue Before(ReadOnlySpan<char> text, int p)
    {
        var limit = Math.Max(0, p - 40);
        var i = p - 1;
        var hash = false;
        for (var words = 0; words < 4 && i >= limit; words++)
        {
            while (i >= limit && !char.IsLetter(text[i]))
            {
                if (text[i] == '|' || (text[i] == '\n' && !(words == 0 && LabelLine(text, i))))
                {
                    return hash ? NumberCue.Identifier : NumberCue.None;
                }

                hash |= text[i] == '#' && words == 0;
                i--;
            }

            var we = i + 1;
            while (i >= 0 && char.IsLetter(text[i]))
            {
                i--;
            }

            var word = text[(i + 1)..we];
            if (word.IsEmpty || we - (i + 1) > 24)
            {
                break;
            }

            if (StartsWithAny(word, _phoneStems) && !word.StartsWith("tell", StringComparison.OrdinalIgnoreCase))
            {
                return NumberCue.Phone;
            }

            if (StartsWithAny(word, _identifierStems))
            {
                return NumberCue.Identifier;
            }

            if (StartsWithAny(word, _cardStems))
            {
                return NumberCue.Card;
            }
        }

        return hash ? NumberCue.Identifier : NumberCue.None;
    }

    /// <summary>The line ending at the line break <paramref name="newline"/> is a label: it ends in ':'.</summary>
    private static bool LabelLine(ReadOnlySpan<char> text, int newline)
    {
        var i = newline - 1;
        while (i >= 0 && text[i] is ' ' or '\r')
        {
            i--;
        }

        return i >= 0 && text[i] == ':';
    }

    // The stems of each list by their first letter (lower case): a word is compared with a handful, not a hundred.
    private static readonly Dictionary<char, string[]> _phoneByInitial = ByInitial(_phoneStems);
    private static readonly Dictionary<char, string[]> _identifierByInitial = ByInitial(_identifierStems);
    private static readonly Dictionary<char, string[]> _cardByInitial = ByInitial(_cardStems);
    private static readonly Dictionary<char, string[]> _afterByInitial = ByInitial(_phoneAfter);

    private static Dictionary<char, string[]> ByInitial(string[] stems) =>
        stems.GroupBy(st => char.ToLowerInvariant(st[0])).ToDictionary(g => g.Key, g => g.ToArray());

    /// <summary>Stems of three letters or fewer match whole words only ("id" is not "idea", "po" is not "post", "bel" is not "below").</summary>
    private static bool StartsWithAny(ReadOnlySpan<char> word, string[] stems)
    {
        var byInitial = ReferenceEquals(stems, _phoneStems) ? _phoneByInitial : ReferenceEquals(stems, _identifierStems) ? _identifierByInitial
            : ReferenceEquals(stems, _cardStems) ? _cardByInitial : _afterByInitial;
        if (!byInitial.TryGetValue(char.ToLowerInvariant(word[0]), out var candidates))
        {
            return false;
        }

        foreach (var stem in candidates)
        {
            if (stem.Length <= 3 ? word.Equals(stem, StringComparison.OrdinalIgnoreCase) : word.StartsWith(stem, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A currency sign or code right before or after the number: an amount ("€ 12 500", "125 000 000 €", "12.345.678 EUR").</summary>
    public static bool NextToCurrency(ReadOnlySpan<char> text, int start, int end)
    {
        var b = start - 1;
        while (b >= 0 && text[b] is ' ' or '\u00A0' or '\u202F')
        {
            b--;
        }

        if (b >= 0 && (text[b] is '€' or '$' or '£' or '¥' or '₹' || (b >= 2 && IsCurrencyCode(text[(b - 2)..(b + 1)]))))
        {
            return true;
        }

        var a = end;
        while (a < text.Length && text[a] is ' ' or '\u00A0' or '\u202F' or ',' or '.' && a - end < 3 && !(text[a] is ',' or '.' && (a + 1 >= text.Length || !char.IsAsciiDigit(text[a + 1]))))
        {
            a++;
        }

        if (a < text.Length && text[a] is '€' or '$' or '£')
        {
            return true;
        }

        var we = a;
        while (we < text.Length && char.IsLetter(text[we]))
        {
            we++;
        }

        var word = text[a..we];
        return word.Length == 3 && IsCurrencyCode(word) || word.StartsWith("euro", StringComparison.OrdinalIgnoreCase)
            || word.StartsWith("dollar", StringComparison.OrdinalIgnoreCase) || word.Equals("reais", StringComparison.OrdinalIgnoreCase);
    }

    private static bool IsCurrencyCode(ReadOnlySpan<char> word) =>
        word.Length == 3 && (word.Equals("EUR", StringComparison.OrdinalIgnoreCase) || word.Equals("USD", StringComparison.OrdinalIgnoreCase)
            || word.Equals("GBP", StringComparison.OrdinalIgnoreCase) || word.Equals("CHF", StringComparison.OrdinalIgnoreCase));
}
