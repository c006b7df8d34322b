namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// The words around a name that vouch for it, in English, German, French, Spanish, Italian, Dutch and Portuguese:
/// titles (part of the name's span), greetings, closings, relations, speech verbs, form labels and "I am".
/// </summary>
internal static class PersonCueWords
{
    public static readonly WordSet NameCues = new(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "dear", "hi", "hello", "hey", "thanks", "named", "called", "signed", "herr", "frau", "mme", "mlle", "sr", "sra", "sig", "signor", "signora", "meneer", "mevrouw",
        "says", "said", "told", "asked", "kid", "son", "daughter", "wife", "husband", "friend", "brother", "sister", "mother", "father", "mom", "mum", "dad", "uncle", "aunt",
        "nephew", "niece", "cousin", "grandson", "granddaughter", "colleague", "boss", "fiancé", "fiancée", "boyfriend", "girlfriend", "partner", "spouse",
        // Greetings and closings (the name follows, also on the next line), in German, French, Spanish, Italian, Dutch and Portuguese.
        "hallo", "liebe", "lieber", "geehrte", "geehrter", "grüße", "gruß", "grüßen", "danke", "bonjour", "salut", "cher", "chère", "cordialement", "merci", "hola",
        "estimado", "estimada", "querido", "querida", "saludos", "gracias", "ciao", "gentile", "gentilissimo", "gentilissima", "egregio", "caro", "cara", "saluti",
        "grazie", "hoi", "beste", "geachte", "groet", "groeten", "bedankt", "olá", "ola", "prezado", "prezada", "cumprimentos", "obrigado", "obrigada", "regards", "cheers",
        // Relations and speech, in the same languages.
        "kollege", "kollegin", "nachbar", "nachbarin", "freund", "freundin", "schwester", "bruder", "mutter", "vater", "sohn", "tochter", "sagt", "meint", "schreibt",
        "collègue", "voisin", "voisine", "ami", "amie", "frère", "sœur", "mère", "père", "fils", "fille", "dit", "écrit", "compañero", "compañera", "colega", "vecino",
        "vecina", "amigo", "amiga", "hermano", "hermana", "madre", "padre", "hijo", "hija", "dice", "dijo", "collega", "vicino", "vicina", "amico", "amica", "fratello",
        "sorella", "buurman", "buurvrouw", "vriend", "vriendin", "broer", "zus", "zegt", "vizinho", "vizinha", "irmão", "irmã", "disse", "diz",
        // Labels of a form or header: "Name: …", "Kontoinhaber: …", "Author: …".
        "name", "naam", "nom", "nombre", "nome", "vorname", "nachname", "prénom", "apellidos", "apellido", "cognome", "voornaam", "achternaam", "apelido", "kunde",
        "customer", "client", "cliente", "klant", "contact", "ansprechpartner", "kontoinhaber", "karteninhaber", "cardholder", "titulaire", "titular", "intestatario",
        "rekeninghouder", "kaarthouder", "reporter", "melder", "demandeur", "author", "assignee", "applicant", "employee", "caller", "anrufer", "holder", "inhaber",
        // "I am …" in the same languages.
        "bin", "suis", "soy", "sono", "ben", "sou", "heiße", "heisse", "heet", "llamo", "chiamo", "appelle", "chamo"]);

    public static readonly WordSet Titles = new(["mr", "mrs", "ms", "miss", "dr", "prof", "sir", "madam", "herr", "herrn", "frau", "mme", "mlle", "sra", "signor", "signora", "meneer", "mevrouw",
        "sr", "srta", "dña", "dra", "sig", "sigra", "dott", "dottssa", "ing", "avv", "dhr", "mevr", "mw", "exmo", "exma", "monsieur", "madame", "mademoiselle", "doña"]);

    public static readonly WordSet Closings = new(["regards", "thanks", "cheers", "best", "grüße", "gruß", "grüßen", "danke", "cordialement", "merci", "saludos",
        "gracias", "atentamente", "saluti", "grazie", "groet", "groeten", "bedankt", "cumprimentos", "obrigado", "obrigada", "sincerely", "wishes"]);

    public static readonly WordSet LowerCaseCues = new(["named", "called", "me", "him", "her", "user", "dear", "hi", "hello", "with", "tell", "i'm", "im", "bin", "suis", "soy",
        "sono", "ben", "sou", "heiße", "heisse", "heet", "llamo", "chiamo", "appelle", "chamo", "c'est", "hallo", "hola", "ciao", "hoi", "olá", "salut", "bonjour",
        "says", "said", "told", "asked", "kid", "son", "daughter", "wife", "husband", "friend", "brother", "sister", "mother", "father", "mom", "mum", "dad", "colleague", "boss"]);
}
