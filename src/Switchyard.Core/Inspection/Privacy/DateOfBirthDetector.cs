using static Switchyard.Inspection.Privacy.NumberScanner;

namespace Switchyard.Inspection.Privacy;

/// <summary>Dates of birth: a date near a birth word.</summary>
internal static class DateOfBirthDetector
{
    private static readonly string[] _birthWords = ["born", "birth", "dob", "d.o.b", "geboren", "geb.", "né ", "née", "nacido", "nacida", "nato ", "nata ", "naissance", "nascita", "geboortedatum", "birthday"];

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

    public static bool NearBirthWord(ReadOnlySpan<char> text, int p)
    {
        var window = text[Math.Max(0, p - 48)..p];
        foreach (var word in _birthWords)
        {
            if (window.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
