using System.Globalization;

namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>One piece of a rendered slot: text, and the entity type it holds (null for no personal data).</summary>
public readonly record struct HardSetPiece(string Text, string? Label = null);

/// <summary>
/// Fills the slots of one row's template (<c>⟦NAME⟧</c>, <c>⟦CARD⟧</c>, <c>⟦ORDER⟧</c>, …) for its language and split.
/// <c>⟦NAME:1⟧</c>, <c>⟦FIRST:1⟧</c>, <c>⟦EMAIL:1⟧</c> refer to the same person of the row; a bare <c>⟦EMAIL⟧</c> is made
/// from the person mentioned last.
/// </summary>
public sealed class HardSetFiller(HardSetVocabulary vocabulary, HardSetRandom random, string lang, bool holdout)
{
    private static readonly Dictionary<string, string[]> _months = new(StringComparer.Ordinal)
    {
        ["en"] = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"],
        ["de"] = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober", "November", "Dezember"],
        ["fr"] = ["janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"],
        ["es"] = ["enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre", "noviembre", "diciembre"],
        ["it"] = ["gennaio", "febbraio", "marzo", "aprile", "maggio", "giugno", "luglio", "agosto", "settembre", "ottobre", "novembre", "dicembre"],
        ["nl"] = ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober", "november", "december"],
        ["pt"] = ["janeiro", "fevereiro", "março", "abril", "maio", "junho", "julho", "agosto", "setembro", "outubro", "novembro", "dezembro"],
    };

    private readonly Dictionary<int, HardSetPerson> _people = [];
    private HardSetPerson? _last;

    private HardSetRandom R => random;

    private HardSetPerson Person(string? index)
    {
        if (index is null)
        {
            return _last = vocabulary.Person(R, lang, holdout);
        }

        var n = int.Parse(index, CultureInfo.InvariantCulture);
        if (!_people.TryGetValue(n, out var person))
        {
            _people[n] = person = vocabulary.Person(R, lang, holdout);
        }

        return _last = person;
    }

    private static HardSetPiece[] One(string text, string? label = null) => [new(text, label)];

    /// <summary>The pieces of slot <paramref name="slot"/> (its name, then optionally ':' and a person index).</summary>
    public HardSetPiece[] Fill(string slot)
    {
        var colon = slot.IndexOf(':', StringComparison.Ordinal);
        var name = colon < 0 ? slot : slot[..colon];
        var index = colon < 0 ? null : slot[(colon + 1)..];
        const string P = "PERSON";
        return name switch
        {
            "NAME" => One(Person(index).Full, P),
            "FIRST" => One(Person(index).First, P),
            "LAST" => One(Person(index).Last, P),
            "TNAME" => [new(HardSetVocabulary.Title(lang, R) + " "), new(Person(index).Last, P)],
            "NAME_LC" => One(Person(index).Full.ToLowerInvariant(), P),
            "FIRST_LC" => One(Person(index).First.ToLowerInvariant(), P),
            "NAME_REV" => One(Reversed(Person(index)), P),
            "EMAIL" => One(Email(index), "EMAIL"),
            "PHONE" => One(ContactValues.Phone(R, lang), "PHONE"),
            "CARD" => One(PiiValues.Card(R), "CREDIT_CARD"),
            "CARD1" => One(PiiValues.Card(R, allowLineBreak: false), "CREDIT_CARD"),
            "CARDX" => One(PiiValues.CardDigits(R), "CREDIT_CARD"),
            "IBAN" => One(PiiValues.Iban(R, IbanCountry()), "IBAN"),
            "IBAN1" => One(PiiValues.Iban(R, IbanCountry(), allowLineBreak: false), "IBAN"),
            "IBANX" => One(PiiValues.IbanCompact(R, IbanCountry()), "IBAN"),
            "SSN" => One(PiiValues.Ssn(R), "US_SSN"),
            "NINO" => One(PiiValues.Nino(R), "UK_NINO"),
            "IP" => One(PiiValues.Ip(R), "IP_ADDRESS"),
            "SECRET" => One(PiiValues.Secret(R), "SECRET"),
            "DOB" => One(BirthDate(), "DATE_OF_BIRTH"),
            "ADDRESS" => One(Address(), "STREET_ADDRESS"),
            "ORDER" => One(DecoyValues.Order(R)),
            "TICKET" => One(DecoyValues.Ticket(R)),
            "INVOICE" => One(DecoyValues.Invoice(R)),
            "TRACKING" => One(DecoyValues.Tracking(R)),
            "VERSION" => One(DecoyValues.Version(R)),
            "BUILD" => One(DecoyValues.Build(R)),
            "AMOUNT" => One(DecoyValues.Amount(R, lang)),
            "DATE" => One(DecoyValues.Date(R, lang)),
            "TIMESTAMP" => One(DecoyValues.Timestamp(R)),
            "HASH" => One(DecoyValues.Hash(R)),
            "COORD" => One(DecoyValues.Coordinates(R)),
            "DURATION" => One(DecoyValues.Duration(R)),
            "COUNT" => One(DecoyValues.Count(R, lang)),
            "EAN" => One(DecoyValues.Ean(R)),
            "ISBN" => One(DecoyValues.Isbn(R)),
            "MASKED" => One(DecoyValues.MaskedCard(R)),
            "REF" => One(DecoyValues.Reference(R)),
            "COMPANYNO" => One(DecoyValues.CompanyNumber(R, lang)),
            "POSTCODE" => One(DecoyValues.Postcode(R, lang)),
            "SIZE" => One(DecoyValues.Size(R)),
            "INT" => One(R.Next(2, 500).ToString(CultureInfo.InvariantCulture)),
            "YEAR" => One(R.Next(2015, 2027).ToString(CultureInfo.InvariantCulture)),
            "TIME" => One($"{R.Next(7, 20):00}:{R.Pick(["00", "15", "30", "45"])}"),
            "CITY" => One(vocabulary.City(R, lang, holdout)),
            "REGION" => One(vocabulary.Pick(R, "region", holdout)),
            "BRAND" => One(vocabulary.Pick(R, "brand", holdout)),
            "TOOL" => One(vocabulary.Pick(R, "tool", holdout)),
            "TOOL_LC" => One(vocabulary.Pick(R, "tool", holdout).ToLowerInvariant()),
            _ => throw new ArgumentException($"unknown slot ⟦{slot}⟧", nameof(slot)),
        };
    }

    private string Reversed(HardSetPerson p) => R.Next(3) switch
    {
        0 => $"{p.Last}, {p.First}",
        1 => $"{p.Last.ToUpperInvariant()}, {p.First}",
        _ => $"{p.Last.ToUpperInvariant()} {p.First}",
    };

    private string Email(string? index)
    {
        var person = index is not null ? Person(index) : _last ?? Person(null);
        return ContactValues.Email(R, lang, person.First.Split('-')[0], person.Last.Split(' ')[^1]);
    }

    private string IbanCountry() => R.Chance(0.12) ? R.Pick(["DE", "FR", "NL", "PL", "LU"]) : lang switch
    {
        "en" => R.Pick(["GB", "GB", "IE"]),
        "de" => R.Pick(["DE", "DE", "DE", "AT", "CH"]),
        "fr" => R.Pick(["FR", "FR", "BE", "LU"]),
        "es" => "ES",
        "it" => "IT",
        "nl" => R.Pick(["NL", "NL", "BE"]),
        _ => "PT",
    };

    private string BirthDate()
    {
        var (y, m, d) = (R.Next(1940, 2006), R.Next(1, 13), R.Next(1, 29));
        var month = _months[lang][m - 1];
        return (lang, R.Next(4)) switch
        {
            ("en", 0) => $"{m:00}/{d:00}/{y}",
            ("en", 1) => $"{month} {d}, {y}",
            ("en", 2) => $"{d} {month} {y}",
            (_, 0) => $"{y}-{m:00}-{d:00}",
            ("de", _) => R.Chance(0.7) ? $"{d:00}.{m:00}.{y}" : $"{d}. {month} {y}",
            ("nl", _) => R.Chance(0.7) ? $"{d:00}-{m:00}-{y}" : $"{d} {month} {y}",
            ("es" or "pt", 3) => $"{d} de {month} de {y}",
            ("fr" or "it", 3) => $"{d} {month} {y}",
            _ => $"{d:00}/{m:00}/{y}",
        };
    }

    private string Address()
    {
        var street = vocabulary.Street(R, lang, holdout);
        var n = R.Next(1, 180).ToString(CultureInfo.InvariantCulture);
        var city = vocabulary.City(R, lang, holdout);
        var postcode = DecoyValues.Postcode(R, lang);
        return lang switch
        {
            "de" => R.Next(3) switch
            {
                0 => $"{street}straße {n}, {postcode} {city}",
                1 => $"{street}weg {n}{R.Pick(["", "a", "b"])}\n{postcode} {city}",
                _ => $"{street}str. {n}, {postcode} {city}",
            },
            "fr" => $"{n}{R.Pick(["", " bis", ","])} {R.Pick(["rue", "avenue", "boulevard", "place", "allée"])} {street}, {postcode} {city}",
            "es" => R.Chance(0.5) ? $"Calle {street} {n}, {R.Next(1, 9)}º {R.Pick(["A", "B", "C", "izq.", "dcha."])}, {postcode} {city}" : $"{R.Pick(["C/", "Avda.", "Avenida", "Plaza"])} {street}, {n}\n{postcode} {city}",
            "it" => $"{R.Pick(["Via", "Viale", "Piazza", "Corso"])} {street} {n}, {postcode} {city}",
            "nl" => R.Next(3) switch
            {
                0 => $"{street}straat {n}, {postcode} {city}",
                1 => $"{street}weg {n}\n{postcode} {city}",
                _ => $"{street}laan {n}{R.Pick(["", "-2", " A"])}, {postcode} {city}",
            },
            "pt" => $"{R.Pick(["Rua", "Avenida", "Travessa", "Praça"])} {street}, {n}{R.Pick(["", ", 2.º Esq.", ", 3.º Dto.", " r/c"])}, {postcode} {city}",
            _ => R.Next(3) switch
            {
                0 => $"{n} {street} {R.Pick(["Street", "Road", "Avenue", "Lane", "Drive"])}, {city} {postcode}",
                1 => $"Flat {R.Next(1, 30)}, {n} {street} Road\n{city}\n{postcode}",
                _ => $"{n} {street} St, Apt {R.Next(1, 40)}, {city}, {R.Pick(["IL", "TX", "CA", "NY", "OH", "WA"])} {R.Next(10000, 99999)}",
            },
        };
    }
}
