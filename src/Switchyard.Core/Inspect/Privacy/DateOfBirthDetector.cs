using static Switchyard.Core.Inspect.Privacy.NumberScanner;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>
/// Dates of birth: a date near a birth word — in digits (<c>5/10/1963</c>, <c>1980-02-29</c>) or with a month name,
/// day first or month first (<c>3 March 1984</c>, <c>12th of May 1990</c>, <c>March 3rd, 1984</c>, <c>3. März 1984</c>,
/// <c>3 de marzo de 1984</c>, <c>May 1990</c>).
/// </summary>
internal static class DateOfBirthDetector
{
    private static readonly WordSet _months = new([
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december",
        "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "januar", "februar", "märz", "mai", "juni", "juli", "oktober", "dezember",
        "janvier", "février", "mars", "avril", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre",
        "enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "setiembre", "octubre", "noviembre", "diciembre",
        "gennaio", "febbraio", "aprile", "maggio", "giugno", "luglio", "settembre", "ottobre", "dicembre",
        "januari", "februari", "maart", "mei", "augustus",
        "janeiro", "fevereiro", "março", "maio", "junho", "julho", "setembro", "outubro", "novembro", "dezembro",
    ]);

    private static readonly string[] _birthWords = ["born", "birth", "dob", "d.o.b", "geboren", "geb.", "geburt", "né", "née", "nacido", "nacida", "nacimiento", "nato", "nata",
        "naissance", "nascita", "geboortedatum", "birthday", "nascimento", "nascido", "nascida"];

    /// <summary>
    /// A date written with a month name around the digit run starting at <paramref name="p"/>: its end (0 if none) and,
    /// in <paramref name="start"/>, where it starts (the month, when the month comes first).
    /// </summary>
    public static int TextualDate(ReadOnlySpan<char> text, int p, out int start)
    {
        start = p;

        // Month first: "March 3rd, 1984", "May 1990", "Sept. 5 1975". The digits first (cheap), then the month word.
        var b = p - 1;
        if (b > 0 && text[b] == ' ')
        {
            var end = Year(text, p);
            if (end == 0 && Day(text, p) is var dayEnd and > 0)
            {
                var y = dayEnd < text.Length && text[dayEnd] == ',' ? dayEnd + 1 : dayEnd;
                end = y + 1 < text.Length && text[y] == ' ' ? Year(text, y + 1) : 0;
            }

            if (end > 0)
            {
                var me = text[b - 1] == '.' ? b - 1 : b;
                var ms = me;
                while (ms > 0 && char.IsLetter(text[ms - 1]))
                {
                    ms--;
                }

                if (me - ms is >= 3 and <= 10 && (ms == 0 || !char.IsLetterOrDigit(text[ms - 1])) && IsMonthInitial(text[ms]) && _months.Contains(text[ms..me]))
                {
                    start = ms;
                    return end;
                }
            }
        }

        // Day first: "3 March 1984", "12th of May 1990", "3. März 1984", "3 de marzo de 1984".
        var d = Day(text, p);
        if (d == 0 || d + 1 >= text.Length)
        {
            return 0;
        }

        var i = d < text.Length && text[d] == '.' ? d + 1 : d;
        if (i >= text.Length || text[i] != ' ')
        {
            return 0;
        }

        i++;
        if (text[i..].StartsWith("of ", StringComparison.OrdinalIgnoreCase) || text[i..].StartsWith("de ", StringComparison.OrdinalIgnoreCase))
        {
            i += 3;
        }

        var we = i;
        while (we < text.Length && char.IsLetter(text[we]))
        {
            we++;
        }

        if (we - i < 3 || !IsMonthInitial(text[i]) || !_months.Contains(text[i..we]))
        {
            return 0;
        }

        i = we < text.Length && text[we] is '.' or ',' ? we + 1 : we;
        if (i < text.Length && text[i] == ' ' && i + 4 < text.Length && text[(i + 1)..].StartsWith("de ", StringComparison.OrdinalIgnoreCase))
        {
            i += 3;
        }

        return i < text.Length && text[i] == ' ' ? Year(text, i + 1) : 0;
    }

    /// <summary>Every month name above starts with one of these letters: a cheap test before the lookup.</summary>
    private static bool IsMonthInitial(char c) => char.ToLowerInvariant(c) is 'j' or 'f' or 'm' or 'a' or 's' or 'o' or 'n' or 'd' or 'e' or 'g' or 'l';

    /// <summary>A day of the month (1–31) at <paramref name="p"/>, with an optional st/nd/rd/th: its end, or 0.</summary>
    private static int Day(ReadOnlySpan<char> text, int p)
    {
        var e = p;
        while (e < text.Length && char.IsAsciiDigit(text[e]) && e - p < 3)
        {
            e++;
        }

        if (e - p is < 1 or > 2 || (e < text.Length && char.IsAsciiDigit(text[e])))
        {
            return 0;
        }

        var day = e - p == 1 ? text[p] - '0' : ((text[p] - '0') * 10) + text[p + 1] - '0';
        if (day is < 1 or > 31)
        {
            return 0;
        }

        if (e + 1 < text.Length && text[e..(e + 2)] is "st" or "nd" or "rd" or "th" && (e + 2 >= text.Length || !char.IsLetterOrDigit(text[e + 2])))
        {
            return e + 2;
        }

        return e < text.Length && char.IsLetter(text[e]) ? 0 : e;
    }

    /// <summary>A four-digit year 1900–2099 at <paramref name="p"/> that ends there: its end, or 0.</summary>
    private static int Year(ReadOnlySpan<char> text, int p)
    {
        if (p + 4 > text.Length || (p + 4 < text.Length && char.IsLetterOrDigit(text[p + 4])))
        {
            return 0;
        }

        var year = text.Slice(p, 4);
        return year is [('1' or '2'), ('9' or '0'), >= '0' and <= '9', >= '0' and <= '9'] && (year[0] == '1' ? year[1] == '9' : year[1] == '0') ? p + 4 : 0;
    }

    public static bool IsDate(ReadOnlySpan<char> run, ReadOnlySpan<int> shape, int separators)
    {
        if (shape.Length != 3 || (separators != SeparatorBit('/') && separators != SeparatorBit('-') && separators != SeparatorBit('.')))
        {
            return false;
        }

        // The same separator twice: 12/05/1980, 1980-05-12, 12.05.80.
        var firstSep = run[shape[0]];
        if (run[shape[0] + 1 + shape[1]] != firstSep)
        {
            return false;
        }

        return (shape[0] is 1 or 2 && shape[1] is 1 or 2 && shape[2] is 2 or 4) || (shape[0] == 4 && shape[1] is 1 or 2 && shape[2] is 1 or 2);
    }

    /// <summary>A birth word starting a word ("Geburtsdatum", "birthday"; not "stubborn", "Année", "donato") in the 48 characters before <paramref name="p"/>.</summary>
    public static bool NearBirthWord(ReadOnlySpan<char> text, int p)
    {
        var from = Math.Max(0, p - 48);
        var window = text[from..p];
        foreach (var word in _birthWords)
        {
            var at = 0;
            while (at < window.Length && window[at..].IndexOf(word, StringComparison.OrdinalIgnoreCase) is var k and >= 0)
            {
                var s = at + k;
                var before = s > 0 ? window[s - 1] : from > 0 ? text[from - 1] : ' ';
                var e = s + word.Length;
                var shortWord = word.Length <= 4 && e < window.Length && char.IsLetter(window[e]);
                if (!char.IsLetter(before) && !shortWord)
                {
                    return true;
                }

                at = s + 1;
            }
        }

        return false;
    }
}
