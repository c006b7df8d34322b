using System.Xml.Linq;

namespace Switchyard.Architecture.Tests;

/// <summary>The project files under src/ and tests/: what each references directly, and what it reaches through them.</summary>
internal static class ProjectFiles
{
    private static readonly Lazy<Dictionary<string, string>> _paths = new(() =>
        new[] { "src", "tests" }
            .SelectMany(d => Directory.EnumerateFiles(Path.Combine(Repository.Root, d), "*.csproj", SearchOption.AllDirectories))
            .Where(p => !p.Contains("/node_modules/", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileNameWithoutExtension(p), p => p));

    public static IEnumerable<string> Names(string folder) =>
        _paths.Value.Where(p => Repository.Relative(p.Value).StartsWith(folder + "/", StringComparison.Ordinal)).Select(p => p.Key).Order(StringComparer.Ordinal);

    /// <summary>Projects referenced directly, plus <see cref="Layers.AspNetCore"/> for a FrameworkReference to it or the Web SDK.</summary>
    public static IReadOnlyList<string> Direct(string project)
    {
        var xml = XDocument.Load(_paths.Value[project]);
        var refs = xml.Descendants("ProjectReference")
            .Select(e => Path.GetFileNameWithoutExtension(e.Attribute("Include")!.Value.Replace('\\', '/')))
            .ToList();
        if (xml.Descendants("FrameworkReference").Any(e => e.Attribute("Include")?.Value == Layers.AspNetCore)
            || xml.Root!.Attribute("Sdk")?.Value == "Microsoft.NET.Sdk.Web")
        {
            refs.Add(Layers.AspNetCore);
        }

        return refs;
    }

    /// <summary>Everything a project reaches, with the path to each (e.g. <c>Switchyard.Testing → Switchyard</c>).</summary>
    public static Dictionary<string, string> Reached(string project)
    {
        var reached = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<(string Name, string Path)>([(project, project)]);
        while (queue.TryDequeue(out var next))
        {
            if (next.Name == Layers.AspNetCore || !_paths.Value.ContainsKey(next.Name))
            {
                continue;
            }

            foreach (var target in Direct(next.Name))
            {
                if (reached.TryAdd(target, next.Path + " → " + target))
                {
                    queue.Enqueue((target, next.Path + " → " + target));
                }
            }
        }

        return reached;
    }
}
