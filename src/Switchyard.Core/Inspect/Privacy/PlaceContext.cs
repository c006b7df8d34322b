using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// The words around a single capitalised word that make it a place rather than a person, whatever the gazetteer
/// says: a place preposition right before it ("in Lugo", "near Kent", "nach Hagen"), a route arrow ("Orlando →
/// Preston"), a list whose other members are places or everyday words and none a plain name ("Filialen Hannover und
/// Hagen", "Fischer, Jäger und Förster"), or a table column headed by a place word ("| Region |" … "| Kent |").
/// </summary>
internal static class PlaceContext
{
    private static readonly WordSet _placePrepositions = new(["in", "near", "around", "im", "nahe", "nach", "en", "em", "dans", "nel", "nella", "nei", "à", "aux"]);

    private static readonly WordSet _placeHeaders = new(["region", "regio", "regione", "región", "região", "région", "city", "town", "stadt", "ort", "standort", "ville", "ciudad",
        "città", "cidade", "stad", "plaats", "location", "place", "country", "land", "pays", "país", "paese", "destination", "ziel", "destino", "site", "store", "branch",
        "filiale", "filial", "sucursal", "winkel", "magasin", "negozio", "loja", "warehouse", "lager", "province", "provincia", "provincie", "state", "bundesland", "county",
        "district", "distrito", "market", "markt", "mercado", "marché", "mercato", "route", "from", "to", "von", "nach", "origin", "depot"]);

    private static readonly string[] _listSeparators = [", ", " and ", " und ", " et ", " y ", " e ", " en ", " & ", " or ", " oder ", " ou ", " o ", " of "];

    /// <summary>True when the word <paramref name="s"/>..<paramref name="e"/>, standing alone, names a place by its context.</summary>
    public static bool IsPlace(ReadOnlySpan<char> text, int s, int e, NameGazetteer names) =>
        AfterPlacePreposition(text, s) || NextToArrow(text, s, e) || InListOfPlaces(text, s, e, names) || UnderPlaceHeader(text, s, e);

    private static bool AfterPlacePreposition(ReadOnlySpan<char> text, int s)
    {
        if (s < 2 || text[s - 1] != ' ')
        {
            return false;
        }

        var ps = s - 1;
        while (ps > 0 && char.IsLetter(text[ps - 1]))
        {
            ps--;
        }

        return ps < s - 1 && char.IsLower(text[ps]) && _placePrepositions.Contains(text[ps..(s - 1)]);
    }

    private static bool NextToArrow(ReadOnlySpan<char> text, int s, int e)
    {
        var before = text[..s].TrimEnd(' ');
        var after = text[e..].TrimStart(' ');
        return before.EndsWith("→", StringComparison.Ordinal) || before.EndsWith("->", StringComparison.Ordinal)
            || after.StartsWith("→", StringComparison.Ordinal) || after.StartsWith("->", StringComparison.Ordinal);
    }

    /// <summary>The other members of a list around the word: at least one a place or everyday word, none a plain name.</summary>
    private static bool InListOfPlaces(ReadOnlySpan<char> text, int s, int e, NameGazetteer names)
    {
        int places = 0, people = 0;
        var at = s;
        for (var n = 0; n < 4 && Separator(text[..at], backward: true) is var sep and > 0; n++)
        {
            var we = at - sep;
            var ws = we;
            while (ws > 0 && char.IsLetter(text[ws - 1]))
            {
                ws--;
            }

            if (!Classify(text[ws..we], names, ref places, ref people))
            {
                break;
            }

            at = ws;
        }

        at = e;
        for (var n = 0; n < 4 && Separator(text[at..], backward: false) is var sep and > 0; n++)
        {
            var ws = at + sep;
            var we = WordEnd(text, ws);
            if (!Classify(text[ws..we], names, ref places, ref people))
            {
                break;
            }

            at = we;
        }

        return places > 0 && people == 0;
    }

    private static int Separator(ReadOnlySpan<char> text, bool backward)
    {
        foreach (var separator in _listSeparators)
        {
            if (backward ? text.EndsWith(separator, StringComparison.Ordinal) : text.StartsWith(separator, StringComparison.Ordinal))
            {
                return separator.Length;
            }
        }

        return 0;
    }

    /// <summary>Counts a capitalised list member as a place (an everyday word or town) or a person (a listed name that is nothing else); false ends the list.</summary>
    private static bool Classify(ReadOnlySpan<char> word, NameGazetteer names, ref int places, ref int people)
    {
        if (!IsTitleCase(word))
        {
            return false;
        }

        if (names.IsCommonWord(word))
        {
            // A surname among the everyday words ("Dale and White", "Willis and Green") counts neither way.
            places += names.IsStopWord(word) && names.IsLastName(word) ? 0 : 1;
        }
        else if (!names.IsStopWord(word) && (names.IsFirstName(word) || names.IsLastName(word)))
        {
            people++;
        }

        return true;
    }

    /// <summary>A markdown table cell holding just the word, in a column whose header is a place word ("Region", "Stadt", "Filiale").</summary>
    private static bool UnderPlaceHeader(ReadOnlySpan<char> text, int s, int e)
    {
        var lineStart = text[..s].LastIndexOf('\n') + 1;
        var line = text[lineStart..];
        var lineEnd = line.IndexOf('\n');
        line = lineEnd < 0 ? line : line[..lineEnd];
        if (!line.StartsWith('|') || !text[lineStart..s].TrimEnd(' ').EndsWith('|') || !text[e..].TrimStart(' ').StartsWith('|'))
        {
            return false;
        }

        var column = text[lineStart..s].Count('|');

        // The header is the first line of the table: walk up while lines start with '|'.
        var header = lineStart;
        while (header > 0)
        {
            var previousStart = text[..(header - 1)].LastIndexOf('\n') + 1;
            if (previousStart >= header - 1 || text[previousStart] != '|')
            {
                break;
            }

            header = previousStart;
        }

        var rest = text[header..];
        var headerEnd = rest.IndexOf('\n');
        var headerLine = headerEnd < 0 ? rest : rest[..headerEnd];
        foreach (var range in headerLine.Split('|'))
        {
            if (column-- == 0)
            {
                return _placeHeaders.Contains(headerLine[range].Trim(' '));
            }
        }

        return false;
    }
}
