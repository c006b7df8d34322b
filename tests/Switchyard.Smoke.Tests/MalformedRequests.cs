using System.Globalization;
using System.Text;

namespace Switchyard.Smoke.Tests;

/// <summary>One generated request: what the fuzz sends, and which kind of damage it carries.</summary>
public sealed record FuzzRequest(string Category, string Method, string Path, byte[]? Body, string? ContentType, IReadOnlyList<(string Name, string Value)> Headers);

/// <summary>
/// Bad requests for every endpoint, generated deterministically from (seed, index): a valid body of the endpoint with one
/// kind of damage — truncated JSON, a value of the wrong type, a lone surrogate, a huge or odd number, deep nesting,
/// an oversized part, bytes that are not UTF-8 — or a bad header, a wrong method or a strange path. Request i is the
/// same on every run and every machine, so a failure is reproduced by its index.
/// </summary>
public static class MalformedRequests
{
    public static readonly string[] Categories =
        ["truncated", "wrong-type", "lone-surrogate", "huge-number", "deep-nesting", "oversized", "not-utf8", "text-noise", "bad-header", "wrong-method", "strange-path"];

    private static readonly (string Method, string Path, string Body, bool Admin)[] _seeds =
    [
        ("POST", "/v1/chat/completions", """{"model":"auto","messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"Hello there"}],"temperature":0.2,"max_tokens":32,"stream":false,"top_p":0.9,"n":1,"stop":["END"],"user":"u1","metadata":{"k":"v"},"response_format":{"type":"text"}}""", false),
        ("POST", "/v1/chat/completions", """{"model":"gpt-4o-mini","stream":true,"stream_options":{"include_usage":true},"messages":[{"role":"user","content":[{"type":"text","text":"What is this?"},{"type":"image_url","image_url":{"url":"data:image/png;base64,iVBORw0KGgo=","detail":"low"}}]}]}""", false),
        ("POST", "/v1/chat/completions", """{"model":"auto","messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function","function":{"name":"get_weather","arguments":"{\"city\":\"Paris\"}"}}]},{"role":"tool","tool_call_id":"call_1","content":"sunny"}],"tools":[{"type":"function","function":{"name":"get_weather","description":"Weather","parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],"tool_choice":"auto","parallel_tool_calls":true}""", false),
        ("POST", "/v1/chat/completions", """{"model":"auto","messages":[{"role":"user","content":"Give JSON"}],"response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":{"type":"object","properties":{"answer":{"type":"string"}},"required":["answer"],"additionalProperties":false}}}}""", false),
        ("POST", "/v1/embeddings", """{"model":"text-embedding-3-small","input":["first text","second text"],"encoding_format":"float","dimensions":256,"user":"u1"}""", false),
        ("POST", "/v1/embeddings", """{"model":"text-embedding-3-small","input":"one text"}""", false),
        ("POST", "/v1/messages", """{"model":"claude","max_tokens":64,"system":[{"type":"text","text":"Be brief."}],"messages":[{"role":"user","content":[{"type":"text","text":"Hello there"},{"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]}],"temperature":0.5,"top_k":5,"stop_sequences":["END"],"metadata":{"user_id":"u1"}}""", false),
        ("POST", "/v1/messages", """{"model":"claude","max_tokens":64,"stream":true,"messages":[{"role":"user","content":"Weather?"},{"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},{"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}],"tools":[{"name":"get_weather","description":"Weather","input_schema":{"type":"object","properties":{"city":{"type":"string"}}}}],"tool_choice":{"type":"auto"}}""", false),
        ("POST", "/v1/messages", """{"model":"gpt-4o-mini","max_tokens":64,"messages":[{"role":"user","content":"Hello across formats"}]}""", false),
        ("POST", "/v1/messages/count_tokens", """{"model":"claude","system":"Be brief.","messages":[{"role":"user","content":"Count me"}]}""", false),
        ("GET", "/v1/models", "", false),
        ("GET", "/v1/models/gpt-4o-mini", "", false),
        ("GET", "/health/live", "", false),
        ("GET", "/health/ready", "", false),
        ("POST", "/admin/orgs", """{"name":"org-x","policy":{"budget_daily_usd":25,"requests_per_minute":600}}""", true),
        ("POST", "/admin/teams", """{"org":"org-x","name":"team-x","policy":{"tokens_per_minute":100000,"allowed_models":["auto"]}}""", true),
        ("POST", "/admin/keys", """{"team":"team-x","name":"svc","policy":{"budget_monthly_usd":10},"expires_in_seconds":3600}""", true),
        ("POST", "/admin/keys/key_x/rotate", """{"overlap_seconds":60}""", true),
        ("POST", "/admin/keys/key_x/revoke", "", true),
        ("PUT", "/admin/teams/team-x/policy", """{"budget_daily_usd":1.5,"requests_per_minute":10,"max_concurrent_requests":2,"admin_api":false}""", true),
        ("GET", "/admin/keys/key_x", "", true),
        ("GET", "/admin/tenancy", "", true),
        ("GET", "/admin/spend?days=7&by=team,model", "", true),
        ("GET", "/admin/report?from=2026-01-01&to=2026-02-01", "", true),
        ("GET", "/admin/health", "", true),
        ("GET", "/admin/health/deployments", "", true),
    ];

    private static readonly string[] _wrongValues =
        ["null", "true", "false", "0", "-1", "3.5", "\"\"", "\"text\"", "[]", "[1,\"a\",null]", "{}", "{\"a\":{}}", "\"auto\""];

    private static readonly string[] _odd =
        ["1e400", "-1e400", "1e-400", "123456789012345678901234567890", "-9223372036854775809", "9223372036854775808", "4294967296", "-0", "0.0000000000001",
         "1.7976931348623157e308", "2147483648", "-2147483649", "1E+2", "0e0", "99999999999999999999.5"];

    private static readonly (string Name, string Value)[] _badHeaders =
    [
        ("Authorization", "Bearer "), ("Authorization", "Basic dXNlcjpwYXNz"), ("Authorization", "Bearer " + new string('k', 6000)), ("Authorization", "bearer\tsk-smoke-client-0123456789"),
        ("x-api-key", ""), ("x-api-key", "sk-wrong"), ("anthropic-version", "not-a-date"), ("anthropic-beta", "no-such-beta,,,"),
        ("x-switchyard-objective", "teleport"), ("x-switchyard-objective", ""), ("x-switchyard-data-class", "top-secret"), ("x-switchyard-data-class", "RESTRICTED "),
        ("x-switchyard-quality-per-dollar", "NaN"), ("x-switchyard-quality-per-dollar", "-1e999"), ("x-switchyard-quality-per-dollar", "1e999"),
        ("x-request-id", new string('r', 4000)), ("Content-Encoding", "gzip"), ("Accept", "application/xml"), ("Accept-Encoding", "br;q=nonsense"),
        ("Expect", "100-continue"),
    ];

    private static readonly string[] _contentTypes = ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=latin1", "garbage/", "application/json; charset=\"\""];

    private static readonly string[] _methods = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    private static readonly string[] _paths =
    [
        "/v1/chat/completions/", "/v1//chat/completions", "/v1/chat/completions?stream=true&x=%ZZ", "/v1/models/%00", "/v1/models/" + new string('m', 3000),
        "/v1/models/a/b/c", "/v1/messages/count_tokens/extra", "/admin/keys/%2e%2e/revoke", "/admin/spend?days=99999999999&by=team,team,,", "/admin/report?days=-5&from=x",
        "/admin/report?from=0001-01-01&to=9999-12-31", "/admin/spend?from=2026-13-45", "/admin/orgs/x/policy", "/admin/keys/" + new string('k', 2000), "/health/live/../ready",
        "/%F0%9F%98%80", "/v1/embeddings?input=x", "/admin/health/deployments/x", "/v1/messages?beta=true",
    ];

    /// <summary>The request of number <paramref name="index"/> under <paramref name="seed"/>.</summary>
    public static FuzzRequest Create(int seed, int index)
    {
        var random = new Random(unchecked((seed * 1_000_003) + index));
        var (method, path, body, admin) = _seeds[random.Next(_seeds.Length)];
        var category = Categories[index % Categories.Length];
        var headers = new List<(string, string)>
        {
            admin ? ("Authorization", "Bearer " + SmokeGateway.AdminKey) : ("Authorization", "Bearer " + SmokeGateway.ClientKey),
        };
        string? contentType = body.Length > 0 ? "application/json" : null;
        byte[]? bytes = body.Length > 0 ? Encoding.UTF8.GetBytes(body) : null;
        switch (category)
        {
            case "truncated" when body.Length > 0:
                bytes = Encoding.UTF8.GetBytes(body[..random.Next(body.Length)]);
                break;
            case "wrong-type" when body.Length > 0:
                bytes = Encoding.UTF8.GetBytes(ReplaceValue(body, random, _wrongValues[random.Next(_wrongValues.Length)]));
                break;
            case "lone-surrogate" when body.Length > 0:
                bytes = Encoding.UTF8.GetBytes(InsertIntoString(body, random, random.Next(4) switch { 0 => "\\ud800", 1 => "\\udfff", 2 => "\\ud83d\\u0041", _ => "\\ud83d" }));
                break;
            case "huge-number" when body.Length > 0:
                bytes = Encoding.UTF8.GetBytes(ReplaceValue(body, random, _odd[random.Next(_odd.Length)], numbersOnly: random.Next(2) == 0));
                break;
            case "deep-nesting" when body.Length > 0:
                var depth = random.Next(4) switch { 0 => 65, 1 => 129, 2 => 1_000, _ => 50_000 };
                var nested = random.Next(2) == 0 ? new string('[', depth) + "1" + new string(']', depth) : string.Concat(Enumerable.Repeat("{\"a\":", depth)) + "1" + new string('}', depth);
                bytes = Encoding.UTF8.GetBytes(ReplaceValue(body, random, nested));
                break;
            case "oversized" when body.Length > 0:
                bytes = Encoding.UTF8.GetBytes(Oversized(body, random));
                break;
            case "not-utf8" when body.Length > 0:
                bytes = NotUtf8(bytes!, random);
                break;
            case "text-noise" when body.Length > 0:
                bytes = Encoding.UTF8.GetBytes(Noise(body, random));
                break;
            case "bad-header":
                var header = _badHeaders[random.Next(_badHeaders.Length)];
                if (header.Name is "Authorization" or "x-api-key")
                {
                    headers.Clear();
                }

                headers.Add(header);
                if (random.Next(3) == 0 && bytes is not null)
                {
                    contentType = _contentTypes[random.Next(_contentTypes.Length)];
                }

                break;
            case "wrong-method":
                method = _methods[random.Next(_methods.Length)];
                break;
            case "strange-path":
                path = _paths[random.Next(_paths.Length)];
                method = random.Next(2) == 0 ? "GET" : "POST";
                break;
            default:
                // A body-less seed drew a body mutation: send it with a JSON body it does not expect.
                bytes = Encoding.UTF8.GetBytes(_wrongValues[random.Next(_wrongValues.Length)]);
                contentType = "application/json";
                break;
        }

        return new FuzzRequest(category, method, path, bytes, bytes is null ? null : contentType, headers);
    }

    /// <summary>Replaces one JSON value (a number, string, literal, array or object start) with <paramref name="value"/>.</summary>
    private static string ReplaceValue(string json, Random random, string value, bool numbersOnly = false)
    {
        var spans = ValueSpans(json).Where(s => !numbersOnly || char.IsAsciiDigit(json[s.Start]) || json[s.Start] == '-').ToList();
        if (spans.Count == 0)
        {
            return value;
        }

        var (start, length) = spans[random.Next(spans.Count)];
        return string.Concat(json.AsSpan(0, start), value, json.AsSpan(start + length));
    }

    /// <summary>The spans of the scalar values and of whole arrays/objects after a ':' (not keys).</summary>
    private static IEnumerable<(int Start, int Length)> ValueSpans(string json)
    {
        for (var i = 0; i < json.Length; i++)
        {
            if (json[i] != ':')
            {
                continue;
            }

            var start = i + 1;
            var end = ValueEnd(json, start);
            if (end > start)
            {
                yield return (start, end - start);
            }
        }
    }

    private static int ValueEnd(string json, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                    if (depth == 0)
                    {
                        return i + 1;
                    }
                }

                continue;
            }

            switch (c)
            {
                case '"': inString = true; break;
                case '[' or '{': depth++; break;
                case ']' or '}' when depth == 0: return i;
                case ']' or '}':
                    depth--;
                    if (depth == 0)
                    {
                        return i + 1;
                    }

                    break;
                case ',' when depth == 0: return i;
            }
        }

        return json.Length;
    }

    private static string InsertIntoString(string json, Random random, string escape)
    {
        var quotes = Enumerable.Range(0, json.Length).Where(i => json[i] == '"' && (i == 0 || json[i - 1] != '\\')).ToList();
        var at = quotes.Count == 0 ? 0 : quotes[random.Next(quotes.Count)] + 1;
        return string.Concat(json.AsSpan(0, at), escape, json.AsSpan(at));
    }

    private static string Oversized(string json, Random random) => random.Next(4) switch
    {
        // Past the 1 MiB body limit: 413.
        0 => InsertIntoString(json, random, new string('x', 1_100_000)),
        // Large but allowed: a long string, a long array, a huge model name, many fields.
        1 => InsertIntoString(json, random, string.Concat(Enumerable.Repeat("word ", 150_000))),
        2 => ReplaceValue(json, random, "[" + string.Join(',', Enumerable.Repeat("{\"role\":\"user\",\"content\":\"hi\"}", 20_000)) + "]"),
        _ => "{" + string.Concat(Enumerable.Range(0, 30_000).Select(i => $"\"f{i.ToString(CultureInfo.InvariantCulture)}\":{i.ToString(CultureInfo.InvariantCulture)},")) + json[1..],
    };

    private static byte[] NotUtf8(byte[] body, Random random)
    {
        var bytes = body.ToList();
        byte[][] bad = [[0xFF], [0xC3], [0xED, 0xA0, 0x80], [0xF8, 0x88, 0x80, 0x80, 0x80], [0xC0, 0xAF], [0xEF, 0xBB, 0xBF], [0x00]];
        bytes.InsertRange(random.Next(bytes.Count), bad[random.Next(bad.Length)]);
        return [.. bytes];
    }

    private static string Noise(string json, Random random)
    {
        const string Pieces = "{}[]:,\"\\ntrueflasenul0123456789.-+eE/* ";
        var chars = json.ToList();
        for (var edits = random.Next(1, 5); edits > 0; edits--)
        {
            var at = random.Next(chars.Count);
            switch (random.Next(4))
            {
                case 0: chars.Insert(at, Pieces[random.Next(Pieces.Length)]); break;
                case 1: chars.RemoveAt(at); break;
                case 2: chars[at] = Pieces[random.Next(Pieces.Length)]; break;
                default:
                    var from = random.Next(json.Length / 2);
                    chars.InsertRange(at, json.Substring(from, Math.Min(random.Next(1, 20), json.Length - from)));
                    break;
            }
        }

        return new string([.. chars]);
    }
}
