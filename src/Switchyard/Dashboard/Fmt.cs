namespace Switchyard.Dashboard;

/// <summary>Formatting shared by the console's pages (numbers, money, times in the reporting zone).</summary>
internal static class Fmt
{
    private static readonly System.Globalization.CultureInfo _inv = System.Globalization.CultureInfo.InvariantCulture;

    public static string Int(long value) => value.ToString("#,0", _inv);

    public static string Usd(decimal value) => value == 0 ? "$0" : Math.Abs(value) < 0.01m ? "$" + value.ToString("0.######", _inv) : "$" + value.ToString("#,0.00##", _inv);

    public static string Ms(double? value) => value is { } v ? (v >= 1000 ? (v / 1000).ToString("0.00", _inv) + " s" : v.ToString("0.#", _inv) + " ms") : "–";

    public static string Percent(double? share) => share is { } s ? (s * 100).ToString("0.0", _inv) + " %" : "–";

    public static string Percent(decimal? percent) => percent is { } p ? p.ToString("0.0", _inv) + " %" : "–";

    public static string Time(DateTimeOffset instant, Admin.ConsoleSettings settings) => settings.Local(instant).ToString("yyyy-MM-dd HH:mm:ss", _inv);

    public static string Num(double? value) => value is { } v ? v.ToString("0.##", _inv) : "–";
}
