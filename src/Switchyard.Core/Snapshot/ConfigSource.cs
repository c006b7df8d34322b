using Switchyard.Core.Route;
using YamlDotNet.RepresentationModel;

namespace Switchyard.Core.Snapshot;

/// <summary>
/// Where a configuration came from: its file and YAML tree, so that an error found after reading (a cross-reference,
/// a compile-time check) is reported at the line and column of the node at fault, like the errors found while reading.
/// </summary>
public sealed class ConfigSource
{
    /// <summary>A configuration not read from a file (built in code): errors are located by file only.</summary>
    public static readonly ConfigSource None = new("", null);

    private readonly YamlNode? _root;

    internal ConfigSource(string file, YamlNode? root)
    {
        File = file;
        _root = root;
    }

    public string File { get; }

    /// <summary>An error at <paramref name="path"/> (as in <see cref="ConfigError.Path"/>), located at its node.</summary>
    public ConfigError Error(string path, string message)
    {
        var node = Find(path);
        return node is null
            ? new ConfigError(File, 0, 0, path, message)
            : new ConfigError(File, (int)node.Start.Line, (int)node.Start.Column, path, message);
    }

    /// <summary>
    /// The node a path names: a scalar value itself; a mapping or list by its key (the line where it begins). A path that
    /// goes further than the file (a required key that is missing) gives the deepest node that exists. Keys may hold dots
    /// (<c>models.llama-3.1-8b.catalog</c>): the longest key that matches is taken.
    /// </summary>
    internal YamlNode? Find(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (_root is null)
        {
            return null;
        }

        YamlNode? key = null;
        var value = _root;
        var rest = path.AsSpan();
        while (rest.Length > 0)
        {
            if (value is YamlSequenceNode sequence && rest[0] == '[' && rest.IndexOf(']') is > 1 and var close
                && int.TryParse(rest[1..close], out var index) && index >= 0 && index < sequence.Children.Count)
            {
                key = null;
                value = sequence.Children[index];
                rest = rest[(close + 1)..];
            }
            else if (value is YamlMappingNode mapping && LongestKey(mapping, rest) is { } match)
            {
                key = match.Key;
                value = match.Value;
                rest = rest[((YamlScalarNode)match.Key).Value!.Length..];
            }
            else
            {
                break;
            }

            if (rest.Length > 0 && rest[0] == '.')
            {
                rest = rest[1..];
            }
        }

        return value is YamlScalarNode || key is null ? value : key;
    }

    private static KeyValuePair<YamlNode, YamlNode>? LongestKey(YamlMappingNode mapping, ReadOnlySpan<char> rest)
    {
        KeyValuePair<YamlNode, YamlNode>? best = null;
        var bestLength = -1;
        foreach (var pair in mapping.Children)
        {
            if (pair.Key is YamlScalarNode { Value: { Length: > 0 } name } && name.Length > bestLength && rest.StartsWith(name, StringComparison.Ordinal)
                && (rest.Length == name.Length || rest[name.Length] is '.' or '['))
            {
                best = pair;
                bestLength = name.Length;
            }
        }

        return best;
    }
}
