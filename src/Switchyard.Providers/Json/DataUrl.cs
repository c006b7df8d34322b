namespace Switchyard.Providers.Json;

/// <summary>Splits a base64 <c>data:</c> URL (<c>data:image/png;base64,…</c>) into its media type and data.</summary>
public static class DataUrl
{
    public static bool TryParse(string url, out string mediaType, out string data)
    {
        ArgumentNullException.ThrowIfNull(url);
        mediaType = "";
        data = "";
        if (!url.StartsWith("data:", StringComparison.Ordinal))
        {
            return false;
        }

        var comma = url.IndexOf(',', StringComparison.Ordinal);
        var marker = url.IndexOf(";base64", StringComparison.Ordinal);
        if (comma < 0 || marker < 0 || marker > comma)
        {
            return false;
        }

        mediaType = url[5..marker];
        data = url[(comma + 1)..];
        return mediaType.Length > 0;
    }
}
