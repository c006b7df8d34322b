using System.Globalization;
using System.Net;
using Switchyard.Core.Model;
using static Switchyard.Core.Inspect.Privacy.ScanText;

namespace Switchyard.Core.Inspect.Privacy;

/// <summary>IP addresses: IPv6 (parsed; clock times are not addresses) and IPv4 (four octets of at most 255).</summary>
internal static class NetworkDetectors
{
    private static bool IsHexOrColon(char c) => char.IsAsciiHexDigit(c) || c == ':';

    public static int IpV6(ReadOnlySpan<char> text, int p, List<PiiSpan> spans)
    {
        var s = p;
        while (s > 0 && (IsHexOrColon(text[s - 1]) || text[s - 1] == '.'))
        {
            s--;
        }

        var e = p;
        while (e < text.Length && (IsHexOrColon(text[e]) || text[e] == '.'))
        {
            e++;
        }

        while (e > s && text[e - 1] == '.')
        {
            e--;
        }

        var candidate = text[s..e];
        if (candidate.Count(':') < 2 || (s > 0 && char.IsLetterOrDigit(text[s - 1])) || (e < text.Length && char.IsLetterOrDigit(text[e])))
        {
            return 0;
        }

        // A clock time (10:30:00) has two colons but is no address: IPv6 needs a hex letter, '::' or more groups.
        if (candidate.Count(':') == 2 && !candidate.Contains("::", StringComparison.Ordinal))
        {
            return 0;
        }

        if (!IPAddress.TryParse(candidate, out var address) || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return 0;
        }

        Add(spans, PiiType.IpAddress, s, e);
        return e;
    }

    public static bool IsIpV4(ReadOnlySpan<char> candidate)
    {
        var octets = 0;
        foreach (var range in candidate.Split('.'))
        {
            var part = candidate[range];
            if (part.Length is 0 or > 3 || !int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value > 255)
            {
                return false;
            }

            octets++;
        }

        return octets == 4;
    }
}
