namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>German prompts (DE, AT, CH): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class GermanTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("de", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "Kannst du mir helfen, eine Mahnung an ⟦NAME⟧ zu schreiben? Offen sind noch ⟦AMOUNT⟧ aus Rechnung ⟦INVOICE⟧."),
        T("chat", "Meine Karte ⟦CARD⟧ wurde für Bestellung ⟦ORDER⟧ doppelt belastet. Wie formuliere ich eine Beschwerde an die Bank?"),
        T("chat", "Fass bitte zusammen: ⟦TNAME⟧ hat von ⟦PHONE⟧ angerufen, das Paket nach ⟦CITY⟧ ist seit ⟦DATE⟧ unterwegs (Sendungsnummer ⟦TRACKING⟧)."),
        T("chat", "hi, ich bin ⟦FIRST_LC⟧ und brauche hilfe bei meinem anschreiben, meine nummer ist ⟦PHONE⟧"),
        T("chat", "Übersetze ins Englische: \"Sehr geehrte ⟦TNAME⟧, bitte überweisen Sie die Kaution bis zum ⟦DATE⟧ auf das Konto ⟦IBAN⟧.\""),
        T("chat", "Ist die IBAN ⟦IBAN⟧ richtig geschrieben? Die Überweisung über ⟦AMOUNT⟧ kam zurück."),
        T("chat", "Schreib eine kurze Glückwunschkarte für meine Kollegin ⟦FIRST⟧, sie zieht im Sommer nach ⟦CITY⟧."),
        T("chat", "Im Winter hatte ⟦NAME⟧ schon einmal reklamiert, jetzt wieder: Heizung defekt, Auftrag ⟦ORDER⟧. Antwortentwurf bitte."),
        T("ticket", "Betreff: Rückerstattung Bestellung ⟦ORDER⟧\n\nHallo zusammen,\n\nich habe die Ware am ⟦DATE⟧ zurückgeschickt, aber noch kein Geld erhalten. Bitte auf folgendes Konto erstatten:\n⟦IBAN⟧\n\nViele Grüße\n⟦NAME⟧\nTel. ⟦PHONE⟧"),
        T("ticket", "Kunde: ⟦NAME⟧ (⟦EMAIL⟧)\nTarif: Business, ⟦COUNT⟧ Lizenzen\nProblem: Seit dem Update auf ⟦VERSION⟧ kein Login mehr möglich, Fehlercode ⟦INT⟧."),
        T("ticket", "[⟦TICKET⟧] Lastschrift geplatzt\nMelder: ⟦NAME⟧\nDie Lastschrift von ⟦IBAN⟧ wurde am ⟦DATE⟧ zurückgegeben (Mandatsreferenz ⟦REF⟧). Kunde bittet um erneuten Einzug."),
        T("ticket", "Anruf von ⟦TNAME⟧, Kundennummer ⟦ORDER⟧: neue Anschrift ⟦ADDRESS⟧. Identität geprüft über Geburtsdatum ⟦DOB⟧."),
        T("email", "Hallo ⟦FIRST:1⟧,\n\ndanke für das Gespräch. Wie besprochen, bitte den unterschriebenen Vertrag an ⟦EMAIL:2⟧ senden und die erste Rate über ⟦AMOUNT⟧ überweisen:\n\nKontoinhaber: ⟦NAME:2⟧\nIBAN: ⟦IBAN⟧\nVerwendungszweck: ⟦INVOICE⟧\n\nMit freundlichen Grüßen\n⟦NAME:3⟧\nBuchhaltung\nTel.: ⟦PHONE⟧"),
        T("email", "Sehr geehrter ⟦TNAME⟧,\n\nIhr Termin in unserer Filiale ⟦CITY⟧ ist am ⟦DATE⟧ um ⟦TIME⟧ Uhr bestätigt. Bei Fragen erreichen Sie uns unter ⟦PHONE⟧.\n\nFreundliche Grüße\n⟦FIRST⟧ ⟦LAST⟧"),
        T("email", "Kannst du das kürzer formulieren?\n\n\"Liebe ⟦FIRST⟧, lieber ⟦FIRST⟧, das Offsite im ⟦REGION⟧ steht. ⟦NAME⟧ schickt die Agenda, ⟦NAME⟧ kümmert sich um die Anreise. Budget ⟦AMOUNT⟧.\""),
        T("form", "Vorname: ⟦FIRST⟧\nNachname: ⟦LAST⟧\nGeburtsdatum: ⟦DOB⟧\nAnschrift: ⟦ADDRESS⟧\nTelefon: ⟦PHONE⟧\nE-Mail: ⟦EMAIL⟧\n\nBitte prüfe den Antrag auf fehlende Angaben."),
        T("form", "Karteninhaber: ⟦NAME_REV⟧\nKartennummer: ⟦CARD⟧\nGültig bis: ⟦INT⟧/27\nPrüfziffer: ⟦INT⟧"),
        T("table", "Bitte nach Betrag sortieren:\n\n| Name | IBAN | Betrag |\n|---|---|---|\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦IBAN1⟧ | ⟦AMOUNT⟧ |"),
        T("chat", "Herr ⟦LAST⟧ vom Einkauf will das Angebot auf ⟦AMOUNT⟧ reduziert haben. Schreib eine höfliche Absage."),
        T("chat", "Wer muss in CC? ⟦NAME⟧ ist für die Abrechnung zuständig, ⟦NAME⟧ für den Standort ⟦CITY⟧."),
        T("chat", "Meine Nachbarin ⟦FIRST⟧ hat mir ihre Handynummer gegeben: ⟦PHONE⟧. Wie speichere ich die im internationalen Format?"),

        // No personal data.
        T("chat", "Was ist der Unterschied zwischen ⟦TOOL⟧ und ⟦TOOL⟧? Wir sind ⟦INT⟧ Entwickler und nutzen Version ⟦VERSION⟧."),
        T("chat", "Plane eine Reise: ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, Budget ⟦AMOUNT⟧, lieber mit der Bahn. Abfahrt ⟦DATE⟧ um ⟦TIME⟧."),
        T("chat", "Meine Bestellung ⟦ORDER⟧ steht auf zugestellt, ist aber nicht da. Sendungsnummer ⟦TRACKING⟧. Wie schreibe ich die Reklamation?"),
        T("chat", "Warum schlägt Build ⟦BUILD⟧ fehl, obwohl ⟦VERSION⟧ läuft? Exit-Code ⟦INT⟧ nach ⟦DURATION⟧."),
        T("chat", "Stein oder Holz für die Terrasse? Die Fläche ist ⟦INT⟧ m², Angebot liegt bei ⟦AMOUNT⟧."),
        T("chat", "Der Koch in unserer Kantine braucht einen Wochenplan für ⟦COUNT⟧ Essen. Im Winter gern deftiger, im Sommer leichter."),
        T("chat", "Fischer, Jäger und Förster in ⟦REGION⟧: welche Genehmigungen brauchen die für Drohnen? Kurze Übersicht bitte."),
        T("ticket", "Betreff: Falscher Artikel\n\nIm Paket ⟦TRACKING⟧ war EAN ⟦EAN⟧ statt des bestellten Artikels. Bestellung ⟦ORDER⟧ vom ⟦DATE⟧. Bitte Retourenschein schicken."),
        T("ticket", "Priorität: hoch\nKomponente: Kasse\nSeit Release ⟦VERSION⟧ bricht die Zahlung nach ⟦DURATION⟧ ab, betroffen Filialen ⟦CITY⟧ und ⟦CITY⟧. Letzter guter Build: ⟦BUILD⟧."),
        T("ticket", "Kartenzahlung in Filiale ⟦CITY⟧ abgelehnt, Terminal zeigt ⟦MASKED⟧ und Fehler ⟦INT⟧. Referenz ⟦REF⟧."),
        T("email", "Hallo zusammen,\n\ndas Lager in ⟦REGION⟧ bleibt am ⟦DATE⟧ geschlossen. Bestellungen nach ⟦TIME⟧ Uhr gehen am Folgetag raus.\n\nDanke!"),
        T("email", "Zahlen Q3: Umsatz ⟦AMOUNT⟧, ⟦COUNT⟧ Neukunden, Kündigungsquote ⟦SIZE⟧. ⟦CITY⟧ und ⟦CITY⟧ über Plan. Bitte Vorstandsvorlage entwerfen."),
        T("form", "Firma: ⟦BRAND⟧ GmbH\nUSt-IdNr.: ⟦COMPANYNO⟧\nBestellnummer: ⟦ORDER⟧\nLiefertermin: ⟦DATE⟧\nMenge: ⟦COUNT⟧ Stück à ⟦AMOUNT⟧"),
        T("table", "| Region | Bestellungen | Umsatz |\n|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦CITY⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n\nWo sollten wir investieren?"),
        T("chat", "Der Engel aus Stein für den Garten kostet ⟦AMOUNT⟧. Schreib einen Produkttext dazu, Artikel ⟦EAN⟧, Lieferzeit ⟦INT⟧ Tage."),
        T("chat", "Richter am Amtsgericht ⟦CITY⟧ haben das Urteil auf den ⟦DATE⟧ vertagt. Fass den Artikel in drei Sätzen zusammen."),
        T("chat", "Bitte Stellenanzeige: Koch (m/w/d) in ⟦CITY⟧, Vollzeit, ab ⟦DATE⟧, Gehalt ab ⟦AMOUNT⟧. Bewerbungen per Portal, Kennziffer ⟦TICKET⟧."),
    ];
}
