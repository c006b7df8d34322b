using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace Switchyard.Testing.Upstreams;

/// <summary>
/// Amazon Bedrock's runtime on loopback: <c>POST /model/{modelId}/converse</c> (JSON) and <c>/converse-stream</c>
/// (binary event stream), plus STS's <c>AssumeRoleWithWebIdentity</c> at <c>/sts/</c>. Every model call must carry a
/// SigV4 signature that this fake recomputes from the request as it arrived (raw target, headers, body) with its
/// own implementation, for keys it knows — the static pair, or temporary keys its STS issued (with their session
/// token); anything else is answered 403 as Bedrock does.
/// </summary>
public sealed class FakeBedrockUpstream : LoopbackFake
{
    public const string AccessKeyId = "AKIDFAKEBEDROCK0001";
    public const string SecretAccessKey = "fakeSecretKey/0123456789abcdefghijklmnop";
    public const string Region = "eu-central-1";
    public const string RoleArn = "arn:aws:iam::123456789012:role/switchyard-gateway";
    public const string WebIdentityToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6Z2F0ZXdheSJ9.c2lnbmF0dXJl";
    public const int InputTokens = 9;
    public const int OutputTokens = 5;
    public const int CacheReadTokens = 2;
    public const int CacheWriteTokens = 1;

    private readonly ConcurrentDictionary<string, (string Secret, string Token)> _temporary = new();
    private int _stsCalls;

    /// <summary>Lifetime of the temporary keys STS issues.</summary>
    public TimeSpan TemporaryKeyLifetime { get; set; } = TimeSpan.FromHours(1);

    public int StsCalls => Volatile.Read(ref _stsCalls);

    /// <summary>The stop reason of text replies (e.g. <c>guardrail_intervened</c>).</summary>
    public string StopReason { get; set; } = "end_turn";

    public string ReplyText { get; set; } = "Hello from Bedrock.";

    public static async Task<FakeBedrockUpstream> StartAsync()
    {
        var fake = new FakeBedrockUpstream();
        await fake.StartAsync("");
        return fake;
    }

    public string StsUrl => BaseUrl + "/sts/";

    protected override async Task<string?> AuthorizeAsync(HttpContext context, ReceivedRequest request)
    {
        if (request.Path.StartsWith("/sts/", StringComparison.Ordinal))
        {
            return null;
        }

        var problem = CheckSignature(request);
        if (problem is not null)
        {
            context.Response.Headers["x-amzn-ErrorType"] = "InvalidSignatureException:http://internal.amazon.com/coral/com.amazon.coral.service/";
            await WriteJsonAsync(context, new JsonObject { ["message"] = "The request signature we calculated does not match the signature you provided." }.ToJsonString(), 403);
        }

        return problem;
    }

    private string? CheckSignature(ReceivedRequest request)
    {
        if (!request.Headers.TryGetValue("authorization", out var authorization) || !authorization.StartsWith("AWS4-HMAC-SHA256 ", StringComparison.Ordinal))
        {
            return "no SigV4 Authorization header";
        }

        var parts = authorization["AWS4-HMAC-SHA256 ".Length..].Split(", ").Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var scope = parts["Credential"].Split('/');
        var (keyId, date, region, service) = (scope[0], scope[1], scope[2], scope[3]);
        string secret;
        if (keyId == AccessKeyId)
        {
            secret = SecretAccessKey;
        }
        else if (_temporary.TryGetValue(keyId, out var temporary) && request.Headers.GetValueOrDefault("x-amz-security-token") == temporary.Token)
        {
            secret = temporary.Secret;
        }
        else
        {
            return $"unknown key {keyId} or missing session token";
        }

        if (region != Region || service != "bedrock" || scope[4] != "aws4_request")
        {
            return $"wrong scope {parts["Credential"]}";
        }

        var amzDate = request.Headers.GetValueOrDefault("x-amz-date") ?? "";
        if (!DateTimeOffset.TryParseExact(amzDate, "yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var signedAt)
            || (signedAt - DateTimeOffset.UtcNow).Duration() > TimeSpan.FromMinutes(15) || !amzDate.StartsWith(date, StringComparison.Ordinal))
        {
            return "x-amz-date missing or skewed";
        }

        var signed = parts["SignedHeaders"].Split(';');
        if (!signed.Contains("host") || !signed.Contains("x-amz-date"))
        {
            return "host and x-amz-date must be signed";
        }

        // The canonical request, from the request as it arrived: each path segment encoded again, headers as received.
        var queryAt = request.RawTarget.IndexOf('?', StringComparison.Ordinal);
        var path = queryAt < 0 ? request.RawTarget : request.RawTarget[..queryAt];
        var canonicalPath = string.Join("/", path.Split('/').Select(Encode));
        var canonicalHeaders = string.Concat(signed.Select(h => h + ":" + string.Join(' ', (request.Headers.GetValueOrDefault(h) ?? "").Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries)) + "\n"));
        var canonical = $"{request.Method}\n{canonicalPath}\n\n{canonicalHeaders}\n{parts["SignedHeaders"]}\n{Convert.ToHexStringLower(SHA256.HashData(request.Body))}";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{date}/{region}/{service}/aws4_request\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Encoding.UTF8.GetBytes("AWS4" + secret);
        foreach (var piece in new[] { date, region, service, "aws4_request" })
        {
            key = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(piece));
        }

        return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign))) == parts["Signature"] ? null : "signature mismatch";
    }

    private static string Encode(string segment) =>
        string.Concat(Encoding.UTF8.GetBytes(segment).Select(b => char.IsAsciiLetterOrDigit((char)b) || "-_.~".Contains((char)b) ? ((char)b).ToString() : $"%{b:X2}"));

    protected override async Task DefaultAsync(HttpContext context, ReceivedRequest request)
    {
        if (request.Path.StartsWith("/sts/", StringComparison.Ordinal))
        {
            await AssumeRoleAsync(context, request);
            return;
        }

        var body = request.Json;
        var tool = body["toolConfig"]?["toolChoice"] is { } choice && (choice["any"] is not null || choice["tool"] is not null)
            ? choice["tool"]?["name"]?.GetValue<string>() ?? body["toolConfig"]!["tools"]![0]!["toolSpec"]!["name"]!.GetValue<string>()
            : null;
        var text = body["outputConfig"] is not null ? """{"answer":"42"}""" : ReplyText;
        if (request.Path.EndsWith("/converse-stream", StringComparison.Ordinal))
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = "application/vnd.amazon.eventstream";
            foreach (var frame in StreamFrames(tool, text, StopReason))
            {
                await context.Response.Body.WriteAsync(frame, context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
            }

            return;
        }

        JsonNode block = tool is null
            ? new JsonObject { ["text"] = text }
            : new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = "tooluse_fake_1", ["name"] = tool, ["input"] = new JsonObject { ["city"] = "Paris" } } };
        var reply = new JsonObject
        {
            ["output"] = new JsonObject { ["message"] = new JsonObject { ["role"] = "assistant", ["content"] = new JsonArray(block) } },
            ["stopReason"] = tool is null ? StopReason : "tool_use",
            ["usage"] = Usage(),
            ["metrics"] = new JsonObject { ["latencyMs"] = 321 },
        };
        if (StopReason == "guardrail_intervened")
        {
            reply["trace"] = new JsonObject { ["guardrail"] = new JsonObject { ["actionReason"] = "Guardrail blocked." } };
        }

        await WriteJsonAsync(context, reply.ToJsonString());
    }

    private static JsonObject Usage() => new()
    {
        ["inputTokens"] = InputTokens,
        ["outputTokens"] = OutputTokens,
        ["totalTokens"] = InputTokens + OutputTokens + CacheReadTokens + CacheWriteTokens,
        ["cacheReadInputTokens"] = CacheReadTokens,
        ["cacheWriteInputTokens"] = CacheWriteTokens,
    };

    /// <summary>The ConverseStream messages of a text reply (two deltas) or a tool call (two input pieces), with Bedrock's <c>p</c> padding.</summary>
    public static IEnumerable<byte[]> StreamFrames(string? tool, string text, string stopReason = "end_turn")
    {
        const string Pad = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJ";
        static byte[] E(string type, JsonObject payload)
        {
            payload["p"] = Pad;
            return EventStreamFrames.Event(type, payload.ToJsonString());
        }

        yield return E("messageStart", new JsonObject { ["role"] = "assistant" });
        if (tool is null)
        {
            var half = text.Length / 2;
            foreach (var piece in new[] { text[..half], text[half..] })
            {
                yield return E("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = 0, ["delta"] = new JsonObject { ["text"] = piece } });
            }
        }
        else
        {
            yield return E("contentBlockStart", new JsonObject
            {
                ["contentBlockIndex"] = 0,
                ["start"] = new JsonObject { ["toolUse"] = new JsonObject { ["toolUseId"] = "tooluse_fake_1", ["name"] = tool } },
            });
            foreach (var piece in new[] { "{\"city\":", "\"Paris\"}" })
            {
                yield return E("contentBlockDelta", new JsonObject { ["contentBlockIndex"] = 0, ["delta"] = new JsonObject { ["toolUse"] = new JsonObject { ["input"] = piece } } });
            }
        }

        yield return E("contentBlockStop", new JsonObject { ["contentBlockIndex"] = 0 });
        yield return E("messageStop", new JsonObject { ["stopReason"] = tool is null ? stopReason : "tool_use" });
        yield return E("metadata", new JsonObject { ["usage"] = Usage(), ["metrics"] = new JsonObject { ["latencyMs"] = 321 } });
    }

    /// <summary>STS: checks the role and the web identity token, and issues temporary keys (XML, as STS answers).</summary>
    private async Task AssumeRoleAsync(HttpContext context, ReceivedRequest request)
    {
        Interlocked.Increment(ref _stsCalls);
        var form = request.Text.Split('&').Select(p => p.Split('=', 2)).ToDictionary(p => Uri.UnescapeDataString(p[0]), p => Uri.UnescapeDataString(p[1].Replace('+', ' ')));
        if (form.GetValueOrDefault("Action") != "AssumeRoleWithWebIdentity" || form.GetValueOrDefault("RoleArn") != RoleArn || form.GetValueOrDefault("WebIdentityToken") != WebIdentityToken)
        {
            context.Response.StatusCode = 403;
            context.Response.ContentType = "text/xml";
            await context.Response.WriteAsync("<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>Not authorized</Message></Error></ErrorResponse>");
            return;
        }

        var id = "ASIAFAKE" + Guid.NewGuid().ToString("N")[..12].ToUpperInvariant();
        var secret = Convert.ToBase64String(RandomNumberGenerator.GetBytes(30));
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(60));
        _temporary[id] = (secret, token);
        var expires = DateTimeOffset.UtcNow.Add(TemporaryKeyLifetime).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        context.Response.ContentType = "text/xml";
        await context.Response.WriteAsync($"""
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>{secret}</SecretAccessKey><SessionToken>{token}</SessionToken><Expiration>{expires}</Expiration></Credentials>
                <AssumedRoleUser><Arn>{RoleArn}/switchyard</Arn><AssumedRoleId>AROAFAKE:switchyard</AssumedRoleId></AssumedRoleUser>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """);
    }
}
