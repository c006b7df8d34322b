namespace Switchyard.Architecture.Tests;

/// <summary>The src assemblies as this test's build copied them, read once.</summary>
internal static class Compiled
{
    private static readonly Lazy<IReadOnlyDictionary<string, TypeReferences>> _all = new(() =>
        Layers.Sources.ToDictionary(p => p.Project, p => TypeReferences.Read(System.IO.Path.Combine(AppContext.BaseDirectory, p.Assembly))));

    public static TypeReferences Of(SourceProject project) => _all.Value[project.Project];

    /// <summary>Namespace → namespace arrows of one project (other namespaces than its own and generated ones left out), each with one example.</summary>
    public static Dictionary<(string From, string To), string> NamespaceEdges(SourceProject project)
    {
        var refs = Of(project);
        var edges = new Dictionary<(string, string), string>();
        foreach (var (type, targets) in refs.Edges.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            var from = refs.Namespaces[type];
            if (Layers.Folder(project, from) is null)
            {
                continue;
            }

            foreach (var target in targets.Order(StringComparer.Ordinal))
            {
                var to = refs.Namespaces[target];
                if (to != from && Layers.Folder(project, to) is not null)
                {
                    edges.TryAdd((from, to), $"{type} uses {target}");
                }
            }
        }

        return edges;
    }
}
