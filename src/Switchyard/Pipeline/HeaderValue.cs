namespace Switchyard.Pipeline;

/// <summary>Response header values the gateway writes from configured names and findings.</summary>
internal static class HeaderValue
{
    /// <summary>Header values must be printable ASCII; configured names may not be.</summary>
    public static string Safe(string value)
    {
        foreach (var c in value)
        {
            if (c is < ' ' or > '~')
            {
                return string.Create(value.Length, value, static (span, v) =>
                {
                    for (var i = 0; i < v.Length; i++)
                    {
                        span[i] = v[i] is < ' ' or > '~' ? '?' : v[i];
                    }
                });
            }
        }

        return value;
    }
}
