using Xunit;

namespace Switchyard.Architecture.Tests;

/// <summary>
/// Decision 12 of issue 14: the layering of projects, no namespace cycle, each folder depending only on the folders
/// before it, no source file (or partial type) over 400 lines. Known violations are listed in baseline.txt.
/// </summary>
public sealed class LayeringTests
{
    private const int MaxLines = 400;

    [Fact]
    public void Projects_ReferenceOnlyWhatTheLayeringAllows()
    {
        var found = new Dictionary<string, string>();
        foreach (var project in ProjectFiles.Names("src"))
        {
            var allowed = Layers.SourceReferences.TryGetValue(project, out var a) ? a : null;
            foreach (var target in ProjectFiles.Direct(project).Where(t => t != Layers.AspNetCore || project == "Switchyard.Core"))
            {
                if (allowed is null)
                {
                    found[$"reference {project} -> {target}"] = $"{project} is not in Layers.SourceReferences: add it with the projects it may use";
                }
                else if (!allowed.Contains(target))
                {
                    found[$"reference {project} -> {target}"] = $"{project} may reference only: {string.Join(", ", allowed.DefaultIfEmpty("nothing of ours"))}";
                }
            }
        }

        foreach (var (project, forbidden) in Layers.TestForbidden)
        {
            var reached = ProjectFiles.Reached(project);
            foreach (var target in forbidden.Where(reached.ContainsKey))
            {
                found[$"reaches {project} -> {target}"] = reached[target];
            }
        }

        Baseline.Check("reference", found.Where(f => f.Key.StartsWith("reference ", StringComparison.Ordinal)).ToDictionary(), "src projects follow DESIGN.md's layering (Layers.SourceReferences)");
        Baseline.Check("reaches", found.Where(f => f.Key.StartsWith("reaches ", StringComparison.Ordinal)).ToDictionary(), "a test project reaches only its subject and the fakes it needs (Layers.TestForbidden)");
    }

    [Fact]
    public void Namespaces_HaveNoCycleInAnyProject()
    {
        var found = new Dictionary<string, string>();
        foreach (var project in Layers.Sources)
        {
            var edges = Compiled.NamespaceEdges(project);
            foreach (var component in Cycles.StronglyConnected(edges.Keys))
            {
                var inside = edges.Where(e => component.Contains(e.Key.From) && component.Contains(e.Key.To)).Select(e => e.Value).Take(4);
                found[$"cycle {project.Project}: {string.Join(" ", component.Order(StringComparer.Ordinal))}"] = string.Join("; ", inside);
            }
        }

        Baseline.Check("cycle", found, "no namespace depends on itself through others");
    }

    [Fact]
    public void Folders_DependOnlyOnFoldersEarlierInTheDeclaredOrder()
    {
        var found = new Dictionary<string, string>();
        foreach (var project in Layers.Sources.Where(p => p.Order is not null))
        {
            foreach (var ((from, to), example) in Compiled.NamespaceEdges(project))
            {
                var source = Layers.Folder(project, from)!;
                var target = Layers.Folder(project, to)!;
                if (source == target)
                {
                    continue;
                }

                var (rankFrom, rankTo) = (Layers.Rank(project, source), Layers.Rank(project, target));
                if (rankFrom < 0 || rankTo < 0)
                {
                    var missing = rankFrom < 0 ? source : target;
                    found.TryAdd($"unordered {project.Project}: {missing}", $"{example}; name the folder in Layers.Sources (its place in the path order)");
                }
                else if (rankTo > rankFrom)
                {
                    var goal = $"{project.Order![rankFrom].Folder}/ may not use {project.Order[rankTo].Folder}/, which comes later";
                    found.TryAdd($"order {project.Project}: {source} -> {target}", $"{goal}: {example}");
                }
            }
        }

        Baseline.Check("unordered", found.Where(f => f.Key.StartsWith("unordered ", StringComparison.Ordinal)).ToDictionary(), "every folder has a place in its project's declared order (Layers.Sources)");
        Baseline.Check("order", found.Where(f => f.Key.StartsWith("order ", StringComparison.Ordinal)).ToDictionary(), "a folder depends only on folders earlier in its project's declared order (Layers.Sources)");
    }

    [Fact]
    public void SourceFiles_StayUnder400Lines_PartialTypesCountedTogether()
    {
        var found = new Dictionary<string, string>();
        var src = Path.Combine(Repository.Root, "src");
        foreach (var file in HandWritten(Directory.EnumerateFiles(src, "*.cs", SearchOption.AllDirectories)))
        {
            var lines = File.ReadLines(file).Count();
            if (lines > MaxLines)
            {
                found[$"size {Repository.Relative(file)}"] = $"{lines} lines: split it into types with one job each";
            }
        }

        foreach (var project in Layers.Sources)
        {
            foreach (var (type, documents) in Compiled.Of(project).Documents)
            {
                var files = HandWritten(documents.Where(d => d.StartsWith(src + "/", StringComparison.Ordinal) && d.EndsWith(".cs", StringComparison.Ordinal))).ToList();
                var lines = files.Sum(f => File.ReadLines(f).Count());
                if (files.Count > 1 && lines > MaxLines)
                {
                    found[$"partial {type}"] = $"{lines} lines in {files.Count} files ({string.Join(", ", files.Select(Path.GetFileName).Order(StringComparer.Ordinal))}): one concept per file, not partials";
                }
            }
        }

        Baseline.Check("size", found.Where(f => f.Key.StartsWith("size ", StringComparison.Ordinal)).ToDictionary(), $"no source file over {MaxLines} lines");
        Baseline.Check("partial", found.Where(f => f.Key.StartsWith("partial ", StringComparison.Ordinal)).ToDictionary(), $"no type over {MaxLines} lines across its partial files");
    }

    private static IEnumerable<string> HandWritten(IEnumerable<string> files) =>
        files.Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal) && File.Exists(f)
            && !File.ReadLines(f).Take(3).Any(l => l.Contains("<auto-generated", StringComparison.Ordinal)));
}
