using System.Globalization;
using Switchyard.Core.Route;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// Walks a YAML mapping with its path, converting scalars and collecting every problem instead of stopping at
/// the first. Unknown keys are errors, so a typo never silently falls back to a default.
/// </summary>
internal sealed class YamlNodeReader
{
    private readonly string _file;
    private readonly List<ConfigError> _errors;
    private readonly HashSet<string> _known = new(StringComparer.Ordinal);

    public YamlNodeReader(ConfigSource source, List<ConfigError> errors, YamlMappingNode node, string path)
    {
        Source = source;
        _file = source.File;
        _errors = errors;
        Node = node;
        Path = path;
    }

    /// <summary>The file and its tree: errors located by path (cross-references, compile-time checks).</summary>
    public ConfigSource Source { get; }

    /// <summary>
    /// Parses YAML text whose root must be a mapping; on a syntax error or another root, adds the located error
    /// and returns null. <paramref name="expectedRoot"/> completes "the file must hold …".
    /// </summary>
    public static YamlNodeReader? OpenRoot(string text, string file, List<ConfigError> errors, string expectedRoot)
    {
        ArgumentNullException.ThrowIfNull(text);
        var stream = new YamlStream();
        var scanner = new Scanner(new StringReader(text));
        try
        {
            stream.Load(new Parser(scanner));
        }
        catch (Exception ex)
        {
            errors.Add(YamlSyntax.Error(file, text, ex, scanner.CurrentPosition));
            return null;
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            errors.Add(new ConfigError(file, 1, 1, "(root)", "the file must hold " + expectedRoot));
            return null;
        }

        return new YamlNodeReader(new ConfigSource(file, root), errors, root, "");
    }

    public YamlMappingNode Node { get; }
    public string Path { get; }

    public string Child(string key) => Path.Length == 0 ? key : Path + "." + key;

    /// <summary>An error at <paramref name="node"/>; without one, at the node <paramref name="path"/> names.</summary>
    public void Error(YamlNode? node, string path, string message) =>
        _errors.Add(node is null ? Source.Error(path, message) : new ConfigError(_file, (int)node.Start.Line, (int)node.Start.Column, path, message));

    public void Error(string key, string message) => Error(Get(key) ?? Node, Child(key), message);

    public YamlNode? Get(string key)
    {
        _known.Add(key);
        return Node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;
    }

    public bool Has(string key) => Get(key) is not null;

    /// <summary>Reports keys that no reader asked for.</summary>
    public void RejectUnknownKeys()
    {
        foreach (var (key, _) in Node.Children)
        {
            if (key is YamlScalarNode { Value: { } name } && !_known.Contains(name))
            {
                Error(key, Child(name), $"unknown key '{name}'");
            }
        }
    }

    public string? String(string key, bool required = false)
    {
        var node = Get(key);
        if (node is null)
        {
            if (required)
            {
                Error(Node, Child(key), "is required");
            }

            return null;
        }

        if (node is YamlScalarNode scalar && scalar.Value is { } value)
        {
            if (required && value.Length == 0)
            {
                Error(node, Child(key), "must not be empty");
            }

            return value;
        }

        Error(node, Child(key), "must be a string");
        return null;
    }

    public int? Int(string key, int min = int.MinValue, int max = int.MaxValue)
    {
        var text = Scalar(key, "an integer");
        if (text is null)
        {
            return null;
        }

        if (!int.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
        {
            Error(key, $"must be an integer, not '{text}'");
            return null;
        }

        if (value < min || value > max)
        {
            Error(key, $"must be between {min} and {max}, not {value}");
            return null;
        }

        return value;
    }

    public long? Long(string key, long min, long max)
    {
        var text = Scalar(key, "an integer");
        if (text is null)
        {
            return null;
        }

        if (!long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) || value < min || value > max)
        {
            Error(key, $"must be an integer between {min} and {max}, not '{text}'");
            return null;
        }

        return value;
    }

    public double? Double(string key, double min, double max)
    {
        var text = Scalar(key, "a number");
        if (text is null)
        {
            return null;
        }

        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < min || value > max || double.IsNaN(value))
        {
            Error(key, $"must be a number between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}, not '{text}'");
            return null;
        }

        return value;
    }

    public decimal? Decimal(string key)
    {
        var text = Scalar(key, "a number");
        if (text is null)
        {
            return null;
        }

        if (!decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
        {
            Error(key, $"must be a non-negative number, not '{text}'");
            return null;
        }

        return value;
    }

    public bool? Bool(string key)
    {
        var text = Scalar(key, "true or false");
        return text switch
        {
            null => null,
            "true" or "yes" or "on" => true,
            "false" or "no" or "off" => false,
            _ => ErrorAndNull(key, $"must be true or false, not '{text}'"),
        };
    }

    /// <summary>A duration: <c>250ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c>, or a bare number of seconds.</summary>
    public TimeSpan? Duration(string key, TimeSpan min, TimeSpan max)
    {
        var text = Scalar(key, "a duration");
        if (text is null)
        {
            return null;
        }

        if (!TryParseDuration(text, out var value) || value < min || value > max)
        {
            Error(key, $"must be a duration between {min} and {max} (e.g. 250ms, 30s, 2m), not '{text}'");
            return null;
        }

        return value;
    }

    public static bool TryParseDuration(string text, out TimeSpan value)
    {
        value = default;
        var (number, scale) = text switch
        {
            _ when text.EndsWith("ms", StringComparison.Ordinal) => (text[..^2], 0.001),
            _ when text.EndsWith('s') => (text[..^1], 1.0),
            _ when text.EndsWith('m') => (text[..^1], 60.0),
            _ when text.EndsWith('h') => (text[..^1], 3600.0),
            _ when text.EndsWith('d') => (text[..^1], 86400.0),
            _ => (text, 1.0),
        };
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0 || double.IsNaN(amount))
        {
            return false;
        }

        value = TimeSpan.FromSeconds(amount * scale);
        return true;
    }

    public IReadOnlyList<string>? StringList(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(node, Child(key), "must be a list of strings");
            return null;
        }

        var list = new List<string>();
        var i = 0;
        foreach (var item in seq)
        {
            if (item is YamlScalarNode { Value: { } v })
            {
                list.Add(v);
            }
            else
            {
                Error(item, $"{Child(key)}[{i}]", "must be a string");
            }

            i++;
        }

        return list;
    }

    public IReadOnlyDictionary<string, string>? StringMap(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is not YamlMappingNode map)
        {
            Error(node, Child(key), "must be a mapping of strings");
            return null;
        }

        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode { Value: { } name } && v is YamlScalarNode { Value: { } value })
            {
                result[name] = value;
            }
            else
            {
                Error(v, $"{Child(key)}.{k}", "must be a string");
            }
        }

        return result;
    }

    public YamlNodeReader? Mapping(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlMappingNode map)
        {
            return new YamlNodeReader(Source, _errors, map, Child(key));
        }

        Error(node, Child(key), "must be a mapping");
        return null;
    }

    /// <summary>Entries of a mapping whose keys are names (providers, models, aliases).</summary>
    public IEnumerable<(string Name, YamlNodeReader Reader)> NamedMappings(string key)
    {
        var map = Mapping(key);
        if (map is null)
        {
            yield break;
        }

        foreach (var (k, v) in map.Node.Children)
        {
            var name = (k as YamlScalarNode)?.Value ?? "";
            if (v is YamlMappingNode child)
            {
                yield return (name, new YamlNodeReader(Source, _errors, child, map.Child(name)));
            }
            else
            {
                Error(v, map.Child(name), "must be a mapping");
            }
        }
    }

    /// <summary>Items of a sequence of mappings (deployments, keys).</summary>
    public IEnumerable<YamlNodeReader> MappingList(string key)
    {
        var node = Get(key);
        if (node is null)
        {
            yield break;
        }

        if (node is not YamlSequenceNode seq)
        {
            Error(node, Child(key), "must be a list");
            yield break;
        }

        var i = 0;
        foreach (var item in seq)
        {
            if (item is YamlMappingNode map)
            {
                yield return new YamlNodeReader(Source, _errors, map, $"{Child(key)}[{i}]");
            }
            else
            {
                Error(item, $"{Child(key)}[{i}]", "must be a mapping");
            }

            i++;
        }
    }

    private string? Scalar(string key, string expected)
    {
        var node = Get(key);
        if (node is null)
        {
            return null;
        }

        if (node is YamlScalarNode { Value: { } v })
        {
            return v;
        }

        Error(node, Child(key), $"must be {expected}");
        return null;
    }

    private bool? ErrorAndNull(string key, string message)
    {
        Error(key, message);
        return null;
    }
}
