namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>Dutch prompts (NL, BE): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class DutchTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("nl", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "Kun je me helpen een herinnering te schrijven aan ⟦NAME⟧? Er staat nog ⟦AMOUNT⟧ open van factuur ⟦INVOICE⟧."),
        T("chat", "Mijn kaart ⟦CARD⟧ is twee keer belast voor bestelling ⟦ORDER⟧. Hoe schrijf ik een klacht aan de bank?"),
        T("chat", "Vat samen: ⟦TNAME⟧ belde vanaf ⟦PHONE⟧, het pakket naar ⟦CITY⟧ staat sinds ⟦DATE⟧ stil (track & trace ⟦TRACKING⟧)."),
        T("chat", "hoi ik ben ⟦FIRST_LC⟧, kun je mijn sollicitatiebrief nakijken? mijn nummer is ⟦PHONE⟧"),
        T("chat", "Vertaal naar het Engels: \"Beste ⟦TNAME⟧, wilt u de borg vóór ⟦DATE⟧ overmaken naar ⟦IBAN⟧?\""),
        T("ticket", "Onderwerp: Terugbetaling bestelling ⟦ORDER⟧\n\nHallo,\n\nIk heb het artikel op ⟦DATE⟧ teruggestuurd maar nog geen geld ontvangen. Graag terugstorten op:\n⟦IBAN⟧\n\nMet vriendelijke groet,\n⟦NAME⟧\n⟦PHONE⟧"),
        T("ticket", "Klant: ⟦NAME⟧ (⟦EMAIL⟧)\nAbonnement: Zakelijk, ⟦COUNT⟧ gebruikers\nProbleem: kan niet inloggen sinds update ⟦VERSION⟧, foutcode ⟦INT⟧."),
        T("ticket", "Telefoon van ⟦TNAME⟧, dossier ⟦ORDER⟧: nieuw adres ⟦ADDRESS⟧. Identiteit gecontroleerd met geboortedatum ⟦DOB⟧."),
        T("email", "Hoi ⟦FIRST:1⟧,\n\nBedankt voor het gesprek. Zoals besproken: stuur het getekende contract naar ⟦EMAIL:2⟧ en maak de eerste termijn van ⟦AMOUNT⟧ over naar:\n\nRekeninghouder: ⟦NAME:2⟧\nIBAN: ⟦IBAN⟧\nKenmerk: ⟦INVOICE⟧\n\nMet vriendelijke groet,\n⟦NAME:3⟧\nAdministratie\nTel. ⟦PHONE⟧"),
        T("email", "Geachte ⟦TNAME⟧,\n\nUw afspraak bij ons kantoor in ⟦CITY⟧ staat op ⟦DATE⟧ om ⟦TIME⟧. Vragen? Bel ⟦PHONE⟧.\n\nMet vriendelijke groet,\n⟦FIRST⟧ ⟦LAST⟧"),
        T("form", "Voornaam: ⟦FIRST⟧\nAchternaam: ⟦LAST⟧\nGeboortedatum: ⟦DOB⟧\nAdres: ⟦ADDRESS⟧\nTelefoon: ⟦PHONE⟧\nE-mail: ⟦EMAIL⟧\n\nCheck of alles is ingevuld."),
        T("form", "Kaarthouder: ⟦NAME_REV⟧\nKaartnummer: ⟦CARD⟧\nGeldig tot: ⟦INT⟧/27"),
        T("table", "Sorteer op bedrag:\n\n| Naam | IBAN | Bedrag |\n|---|---|---|\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |"),
        T("chat", "We spraken ⟦LAST⟧ van inkoop, hij wil de offerte op ⟦AMOUNT⟧. Schrijf het antwoord."),
        T("chat", "Wie moet in de cc? ⟦NAME⟧ doet facturatie, ⟦NAME⟧ de vestiging in ⟦CITY⟧."),

        // No personal data.
        T("chat", "Wat is het verschil tussen ⟦TOOL⟧ en ⟦TOOL⟧ voor een team van ⟦INT⟧ ontwikkelaars? We zitten op versie ⟦VERSION⟧."),
        T("chat", "Plan een reis: ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, budget ⟦AMOUNT⟧, liefst met de trein. Vertrek ⟦DATE⟧ om ⟦TIME⟧."),
        T("chat", "Mijn bestelling ⟦ORDER⟧ staat op bezorgd maar is er niet. Track & trace ⟦TRACKING⟧. Hoe formuleer ik de klacht?"),
        T("chat", "Post van de gemeente ⟦CITY⟧ over aanslag ⟦INVOICE⟧: ⟦AMOUNT⟧. Leg uit wat dit betekent."),
        T("chat", "Groen of blauw voor het nieuwe logo van ⟦BRAND⟧? Doelgroep ⟦COUNT⟧ klanten in ⟦REGION⟧."),
        T("chat", "Bakker, slager of supermarkt: waar haal ik in ⟦CITY⟧ op zondag nog brood? Het is ⟦TIME⟧."),
        T("ticket", "Onderwerp: Verkeerd artikel\n\nIn pakket ⟦TRACKING⟧ zat EAN ⟦EAN⟧ in plaats van wat ik bestelde (bestelling ⟦ORDER⟧ van ⟦DATE⟧). Graag een retourlabel."),
        T("ticket", "Prioriteit: hoog\nSinds versie ⟦VERSION⟧ verloopt de betaling na ⟦DURATION⟧ in de winkels in ⟦CITY⟧ en ⟦CITY⟧. Laatste goede build: ⟦BUILD⟧."),
        T("email", "Hoi allemaal,\n\nHet magazijn in ⟦REGION⟧ is op ⟦DATE⟧ dicht. Bestellingen na ⟦TIME⟧ gaan de volgende dag de deur uit.\n\nBedankt!"),
        T("form", "Bedrijf: ⟦BRAND⟧ B.V.\nKvK: ⟦COMPANYNO⟧\nOrdernummer: ⟦ORDER⟧\nLevering: ⟦DATE⟧\nAantal: ⟦COUNT⟧ stuks à ⟦AMOUNT⟧"),
        T("table", "| Regio | Orders | Omzet |\n|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n\nWaar investeren we?"),
    ];
}
