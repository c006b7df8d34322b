using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Switchyard.Smoke.Tests;

/// <summary>A configuration file the torture writes: its text (YAML or JSON), the same configuration as JSON, and its marker alias.</summary>
public sealed record TortureFile(string Text, string Json, string Marker);

/// <summary>
/// The files of the reload torture, built as a tree and written as YAML (block style, flow lists) or JSON: valid ones that
/// differ in weights, deployments and a marker alias <c>marker-STEP</c>; ones with one semantic defect (valid YAML, refused
/// by validation); YAML syntax errors; and truncations, cut from the JSON form so that the root object is never closed.
/// </summary>
public sealed class TortureConfigs(string openAIUrl, string anthropicUrl, string failingUrl)
{
    private static readonly string[] _kinds = ["valid", "valid", "valid", "valid", "syntax", "syntax", "semantic", "semantic", "truncated", "truncated-then-completed", "deleted"];

    public static string Pick(Random random, bool fileExists)
    {
        ArgumentNullException.ThrowIfNull(random);
        var kind = _kinds[random.Next(_kinds.Length)];
        return kind == "deleted" && !fileExists ? "valid" : kind;
    }

    public TortureFile Valid(int step, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tree = Tree(step, random);
        var json = tree.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
        return new TortureFile(random.Next(3) == 0 ? json : Yaml(tree), json, Marker(step));
    }

    /// <summary>A file with one semantic defect: it parses, and validation refuses it.</summary>
    public string Invalid(int step, Random random)
    {
        ArgumentNullException.ThrowIfNull(random);
        var tree = Tree(step, random);
        var deployments = tree["deployments"]!.AsArray();
        switch (random.Next(8))
        {
            case 0: deployments[0]!["provider"] = "nobody"; break;
            case 1: tree["aliases"]!["auto"]!["targets"]![0]!["model"] = "no-such-model"; break;
            case 2: tree["models"]!["claude"]!["context_window"] = -5; break;
            case 3: tree["surprise"] = true; break;
            case 4: deployments[1]!["id"] = deployments[0]!["id"]!.GetValue<string>(); break;
            case 5: tree["models"]!["gpt-4o-mini"]!["capabilities"]!.AsArray().Add("telepathy"); break;
            case 6: tree["server"]!["drain_timeout"] = "soon"; break;
            default: tree["keys"]![0]!["key"] = "short"; break;
        }

        return random.Next(3) == 0 ? tree.ToJsonString() : Yaml(tree);
    }

    /// <summary>A YAML syntax error: an unclosed flow list with more lines after it, a tab as indentation, or an unclosed '['.</summary>
    public static string BreakSyntax(string text, Random random)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(random);
        var capabilities = text.IndexOf("capabilities: [", StringComparison.Ordinal);
        switch (random.Next(3))
        {
            case 0 when capabilities >= 0:
                var close = text.IndexOf(']', capabilities);
                return string.Concat(text.AsSpan(0, close), text.AsSpan(close + 1));
            case 1:
                return "models:\n\tbroken: true\n" + text;
            default:
                return "broken: [unclosed\n" + text;
        }
    }

    /// <summary>A proper prefix of a JSON file that stops before its last '}': never a complete document.</summary>
    public static string Truncate(string json, Random random)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(random);
        return json[..random.Next(json.LastIndexOf('}'))];
    }

    private static string Marker(int step) => "marker-" + step.ToString(CultureInfo.InvariantCulture);

    private JsonObject Tree(int step, Random random)
    {
        var deployments = new JsonArray
        {
            new JsonObject { ["id"] = "gpt", ["provider"] = "openai", ["model"] = "gpt-4o-mini", ["weight"] = random.Next(1, 5) },
            new JsonObject { ["id"] = "gpt-b", ["provider"] = "openai", ["model"] = "gpt-4o-mini", ["weight"] = random.Next(0, 5) },
            new JsonObject { ["id"] = "embed", ["provider"] = "openai", ["model"] = "text-embedding-3-small" },
            new JsonObject { ["id"] = "claude-dep", ["provider"] = "anthropic", ["model"] = "claude", ["upstream_model"] = "claude-sonnet-4-5" },
        };
        var models = new JsonObject
        {
            ["gpt-4o-mini"] = new JsonObject { ["catalog"] = "openai/gpt-4o-mini", ["capabilities"] = new JsonArray("streaming", "tools", "json_object", "json_schema") },
            ["text-embedding-3-small"] = new JsonObject { ["capabilities"] = new JsonArray("embeddings"), ["price"] = new JsonObject { ["input"] = 0.02, ["output"] = 0 } },
            ["claude"] = new JsonObject
            {
                ["context_window"] = 200000,
                ["max_output_tokens"] = 8192,
                ["capabilities"] = new JsonArray("streaming", "tools"),
                ["price"] = new JsonObject { ["input"] = 3, ["output"] = 15 },
            },
        };
        var providers = new JsonObject
        {
            ["openai"] = new JsonObject { ["type"] = "openai", ["base_url"] = openAIUrl, ["api_key_env"] = "SMOKE_OPENAI_KEY", ["timeout"] = "10s" },
            ["anthropic"] = new JsonObject { ["type"] = "anthropic", ["base_url"] = anthropicUrl, ["api_key_env"] = "SMOKE_ANTHROPIC_KEY", ["timeout"] = "10s" },
        };
        if (random.Next(2) == 0)
        {
            providers["failing"] = new JsonObject { ["type"] = "openai", ["base_url"] = failingUrl, ["api_key_env"] = "SMOKE_OPENAI_KEY" };
            deployments.Add(new JsonObject { ["id"] = "failing-dep", ["provider"] = "failing", ["model"] = "failing-model" });
            models["failing-model"] = new JsonObject { ["capabilities"] = new JsonArray("streaming"), ["price"] = new JsonObject { ["input"] = 1, ["output"] = 1 } };
        }

        return new JsonObject
        {
            ["server"] = new JsonObject
            {
                ["admin_key_env"] = "SMOKE_ADMIN_KEY",
                ["ledger_flush_interval"] = "50ms",
                ["config_poll_interval"] = "20ms",
                ["drain_timeout"] = random.Next(2) == 0 ? "5s" : "10s",
            },
            ["providers"] = providers,
            ["deployments"] = deployments,
            ["models"] = models,
            ["aliases"] = new JsonObject
            {
                ["auto"] = new JsonObject { ["targets"] = new JsonArray(new JsonObject { ["model"] = "gpt-4o-mini" }) },
                [Marker(step)] = new JsonObject { ["targets"] = new JsonArray(new JsonObject { ["model"] = "gpt-4o-mini" }) },
            },
            ["keys"] = new JsonArray(new JsonObject { ["name"] = "smoke", ["key"] = SmokeGateway.ClientKey }),
        };
    }

    /// <summary>Block-style YAML of a tree: mappings as indented keys, lists of objects as "- " items, lists of scalars in flow style.</summary>
    private static string Yaml(JsonObject tree)
    {
        var text = new StringBuilder("# written by the reload torture\n");
        WriteMapping(text, tree, 0);
        return text.ToString();
    }

    private static void WriteMapping(StringBuilder text, JsonObject mapping, int indent, bool firstInItem = false)
    {
        var first = true;
        foreach (var (key, value) in mapping)
        {
            var pad = firstInItem && first ? "" : new string(' ', indent);
            first = false;
            text.Append(pad).Append(key).Append(':');
            switch (value)
            {
                case JsonObject child:
                    text.Append('\n');
                    WriteMapping(text, child, indent + 2);
                    break;
                case JsonArray list when list.All(i => i is JsonObject):
                    text.Append('\n');
                    foreach (var item in list)
                    {
                        text.Append(new string(' ', indent + 2)).Append("- ");
                        WriteMapping(text, (JsonObject)item!, indent + 4, firstInItem: true);
                    }

                    break;
                case JsonArray list:
                    text.Append(" [").Append(string.Join(", ", list.Select(Scalar))).Append("]\n");
                    break;
                default:
                    text.Append(' ').Append(Scalar(value)).Append('\n');
                    break;
            }
        }
    }

    private static string Scalar(JsonNode? node) => node?.GetValueKind() switch
    {
        JsonValueKind.String => JsonSerializer.Serialize(node.GetValue<string>(), TortureJson.Default.String),
        null => "null",
        _ => node.ToJsonString(),
    };
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class TortureJson : System.Text.Json.Serialization.JsonSerializerContext;
