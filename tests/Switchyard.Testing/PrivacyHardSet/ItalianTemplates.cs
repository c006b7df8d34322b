namespace Switchyard.Testing.PrivacyHardSet;

/// <summary>Italian prompts (IT, CH): chat, support tickets, e-mail, forms, tables; with and without personal data.</summary>
public static class ItalianTemplates
{
    private static HardSetTemplate T(string genre, string text) => new("it", genre, text);

    public static readonly HardSetTemplate[] All =
    [
        // With personal data.
        T("chat", "Mi aiuti a scrivere un sollecito a ⟦NAME⟧? Deve ancora ⟦AMOUNT⟧ della fattura ⟦INVOICE⟧."),
        T("chat", "Mi hanno addebitato due volte sulla carta ⟦CARD⟧ l'ordine ⟦ORDER⟧. Come scrivo il reclamo alla banca?"),
        T("chat", "Riassumi: ⟦TNAME⟧ ha chiamato dal ⟦PHONE⟧, il pacco per ⟦CITY⟧ è fermo dal ⟦DATE⟧ (tracking ⟦TRACKING⟧)."),
        T("chat", "ciao sono ⟦FIRST_LC⟧, mi correggi la lettera di presentazione? il mio cell è ⟦PHONE⟧"),
        T("chat", "Traduci in inglese: \"Gentile ⟦TNAME⟧, la preghiamo di versare la caparra entro il ⟦DATE⟧ sull'IBAN ⟦IBAN⟧.\""),
        T("chat", "Costa troppo secondo ⟦FIRST⟧: il preventivo per ⟦CITY⟧ è ⟦AMOUNT⟧. Scrivi una risposta gentile."),
        T("ticket", "Oggetto: Rimborso ordine ⟦ORDER⟧\n\nBuongiorno,\n\nho restituito l'articolo il ⟦DATE⟧ ma non ho ancora ricevuto il rimborso. Accreditate su questo conto:\n⟦IBAN⟧\n\nCordiali saluti,\n⟦NAME⟧\nTel. ⟦PHONE⟧"),
        T("ticket", "Cliente: ⟦NAME⟧ (⟦EMAIL⟧)\nPiano: Business, ⟦COUNT⟧ licenze\nProblema: non riesce ad accedere dall'aggiornamento ⟦VERSION⟧, errore ⟦INT⟧."),
        T("ticket", "Chiamata di ⟦TNAME⟧, pratica ⟦ORDER⟧: nuovo indirizzo ⟦ADDRESS⟧. Identità verificata con data di nascita ⟦DOB⟧."),
        T("email", "Ciao ⟦FIRST:1⟧,\n\ngrazie per la telefonata. Come d'accordo, manda il contratto firmato a ⟦EMAIL:2⟧ e versa la prima rata di ⟦AMOUNT⟧ a:\n\nIntestatario: ⟦NAME:2⟧\nIBAN: ⟦IBAN⟧\nCausale: ⟦INVOICE⟧\n\nCordiali saluti,\n⟦NAME:3⟧\nAmministrazione\nTel. ⟦PHONE⟧"),
        T("email", "Gentile ⟦TNAME⟧,\n\nle confermiamo l'appuntamento presso la filiale di ⟦CITY⟧ il ⟦DATE⟧ alle ⟦TIME⟧. Per informazioni: ⟦PHONE⟧.\n\nDistinti saluti,\n⟦FIRST⟧ ⟦LAST⟧"),
        T("form", "Nome: ⟦FIRST⟧\nCognome: ⟦LAST⟧\nData di nascita: ⟦DOB⟧\nIndirizzo: ⟦ADDRESS⟧\nTelefono: ⟦PHONE⟧\nEmail: ⟦EMAIL⟧\n\nControlla se mancano dati."),
        T("form", "Titolare della carta: ⟦NAME_REV⟧\nNumero carta: ⟦CARD⟧\nScadenza: ⟦INT⟧/28"),
        T("table", "Ordina per importo:\n\n| Nome | Carta | Importo |\n|---|---|---|\n| ⟦NAME⟧ | ⟦CARD1⟧ | ⟦AMOUNT⟧ |\n| ⟦NAME⟧ | ⟦CARD1⟧ | ⟦AMOUNT⟧ |"),
        T("chat", "Abbiamo sentito ⟦LAST⟧ dell'ufficio acquisti, vuole il preventivo a ⟦AMOUNT⟧. Prepara la risposta."),

        // No personal data.
        T("chat", "Che differenza c'è tra ⟦TOOL⟧ e ⟦TOOL⟧ per un team di ⟦INT⟧ sviluppatori? Siamo alla versione ⟦VERSION⟧."),
        T("chat", "Organizza un viaggio: ⟦CITY⟧ → ⟦CITY⟧ → ⟦CITY⟧, budget ⟦AMOUNT⟧, in treno. Partenza il ⟦DATE⟧ alle ⟦TIME⟧."),
        T("chat", "Il mio ordine ⟦ORDER⟧ risulta consegnato ma non è arrivato. Tracking ⟦TRACKING⟧. Come scrivo il reclamo?"),
        T("chat", "Costa troppo il volo per ⟦CITY⟧ il ⟦DATE⟧: alternative in treno sotto ⟦AMOUNT⟧?"),
        T("chat", "Porto il portatile in assistenza domani: cosa devo salvare prima? È un ⟦BRAND⟧ con ⟦SIZE⟧ di disco."),
        T("chat", "Sala riunioni ⟦INT⟧ prenotata per il ⟦DATE⟧ alle ⟦TIME⟧: scrivi l'invito per il team di ⟦CITY⟧."),
        T("ticket", "Oggetto: Articolo sbagliato\n\nNel pacco ⟦TRACKING⟧ c'era l'EAN ⟦EAN⟧ invece di quello ordinato (ordine ⟦ORDER⟧ del ⟦DATE⟧). Inviate l'etichetta di reso."),
        T("ticket", "Priorità: alta\nDalla versione ⟦VERSION⟧ il pagamento scade dopo ⟦DURATION⟧ nei negozi di ⟦CITY⟧ e ⟦CITY⟧. Ultima build buona: ⟦BUILD⟧."),
        T("email", "Ciao a tutti,\n\nil magazzino in ⟦REGION⟧ resterà chiuso il ⟦DATE⟧. Gli ordini dopo le ⟦TIME⟧ partiranno il giorno dopo.\n\nGrazie!"),
        T("form", "Azienda: ⟦BRAND⟧ S.r.l.\nPartita IVA: ⟦COMPANYNO⟧\nOrdine: ⟦ORDER⟧\nConsegna: ⟦DATE⟧\nQuantità: ⟦COUNT⟧ pezzi a ⟦AMOUNT⟧"),
        T("table", "| Regione | Ordini | Fatturato |\n|---|---|---|\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n| ⟦REGION⟧ | ⟦COUNT⟧ | ⟦AMOUNT⟧ |\n\nDove investire?"),
        T("chat", "Villa con piscina in ⟦REGION⟧ per ⟦INT⟧ persone dal ⟦DATE⟧: scrivi la richiesta all'agenzia, budget ⟦AMOUNT⟧."),
    ];
}
