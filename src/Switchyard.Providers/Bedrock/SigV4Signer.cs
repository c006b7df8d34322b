using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Switchyard.Providers.Bedrock;

/// <summary>AWS keys: an access key id, its secret, and a session token for temporary credentials. Never prints the secret.</summary>
public sealed record AwsCredentials(string AccessKeyId, string SecretAccessKey, string? SessionToken)
{
    public override string ToString() => $"AwsCredentials {{ AccessKeyId = {AccessKeyId}, SecretAccessKey = [secret] }}";
}

/// <summary>
/// AWS Signature Version 4 (the algorithm of docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html),
/// checked against AWS's published test suite (<c>SigV4SignerTests</c>). The canonical request is: method, the path
/// as sent with each segment URI-encoded again (every service but S3), the query sorted, the signed headers
/// (lower-case names, trimmed values with inner runs of spaces folded), their names, and the payload's SHA-256.
/// </summary>
public static class SigV4Signer
{
    public const string Algorithm = "AWS4-HMAC-SHA256";

    /// <summary>Signs <paramref name="message"/> (its body is <paramref name="body"/>): sets <c>host</c>, <c>x-amz-date</c>, the session token, and <c>Authorization</c>.</summary>
    public static void Sign(HttpRequestMessage message, ReadOnlySpan<byte> body, AwsCredentials credentials, string region, string service, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(credentials);
        var uri = message.RequestUri!;
        var host = uri.IsDefaultPort ? uri.Host : uri.Host + ":" + uri.Port.ToString(CultureInfo.InvariantCulture);
        var amzDate = now.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
        message.Headers.Host = host;
        message.Headers.TryAddWithoutValidation("x-amz-date", amzDate);
        var headers = new List<KeyValuePair<string, string>> { new("host", host), new("x-amz-date", amzDate) };
        if (credentials.SessionToken is { } token)
        {
            message.Headers.TryAddWithoutValidation("x-amz-security-token", token);
            headers.Add(new("x-amz-security-token", token));
        }

        var authorization = Authorization(message.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), headers, Hex(SHA256.HashData(body)), credentials, region, service, amzDate);
        message.Headers.TryAddWithoutValidation("Authorization", authorization);
    }

    /// <summary>
    /// The <c>Authorization</c> value for a request: <paramref name="escapedPath"/> and <paramref name="query"/> as they
    /// appear on the request line, <paramref name="headers"/> the ones to sign (any case, in any order).
    /// </summary>
    public static string Authorization(string method, string escapedPath, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash,
        AwsCredentials credentials, string region, string service, string amzDate)
    {
        ArgumentNullException.ThrowIfNull(credentials);
        var (canonical, signedHeaders) = CanonicalRequest(method, escapedPath, query, headers, payloadHash);
        var date = amzDate[..8];
        var scope = $"{date}/{region}/{service}/aws4_request";
        var stringToSign = $"{Algorithm}\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = SigningKey(credentials.SecretAccessKey, date, region, service);
        var signature = Hex(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        return $"{Algorithm} Credential={credentials.AccessKeyId}/{scope}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    /// <summary>The canonical request and the list of signed header names.</summary>
    public static (string Canonical, string SignedHeaders) CanonicalRequest(string method, string escapedPath, string query, IEnumerable<KeyValuePair<string, string>> headers, string payloadHash)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var canonicalHeaders = headers
            .GroupBy(h => h.Key.ToLowerInvariant(), StringComparer.Ordinal)
            .Select(g => (Name: g.Key, Value: string.Join(",", g.Select(h => FoldSpaces(h.Value)))))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        var signed = string.Join(";", canonicalHeaders.Select(h => h.Name));
        var builder = new StringBuilder();
        builder.Append(method).Append('\n');
        builder.Append(CanonicalPath(escapedPath)).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in canonicalHeaders)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n').Append(signed).Append('\n').Append(payloadHash);
        return (builder.ToString(), signed);
    }

    /// <summary>Each segment of the path as sent, URI-encoded once more (so <c>%3A</c> becomes <c>%253A</c>); empty is <c>/</c>.</summary>
    public static string CanonicalPath(string escapedPath)
    {
        ArgumentNullException.ThrowIfNull(escapedPath);
        if (escapedPath.Length == 0)
        {
            return "/";
        }

        return string.Join("/", escapedPath.Split('/').Select(UriEncode));
    }

    private static string CanonicalQuery(string query)
    {
        if (query.Length == 0)
        {
            return "";
        }

        return string.Join("&", query.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
                var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..].Replace('+', ' '));
                return (Name: UriEncode(name), Value: UriEncode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));
    }

    /// <summary>RFC 3986 encoding as AWS wants it: everything but <c>A–Z a–z 0–9 - _ . ~</c> as upper-case <c>%XX</c> of its UTF-8 bytes.</summary>
    public static string UriEncode(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var builder = new StringBuilder(text.Length);
        foreach (var b in Encoding.UTF8.GetBytes(text))
        {
            if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~')
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string FoldSpaces(string value)
    {
        var trimmed = value.Trim();
        var builder = new StringBuilder(trimmed.Length);
        var space = false;
        foreach (var c in trimmed)
        {
            if (c == ' ')
            {
                if (!space)
                {
                    builder.Append(c);
                }

                space = true;
            }
            else
            {
                builder.Append(c);
                space = false;
            }
        }

        return builder.ToString();
    }

    private static byte[] SigningKey(string secret, string date, string region, string service)
    {
        var key = HMACSHA256.HashData(Encoding.UTF8.GetBytes("AWS4" + secret), Encoding.UTF8.GetBytes(date));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(region));
        key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(service));
        return HMACSHA256.HashData(key, "aws4_request"u8);
    }

    public static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);
}
