namespace Switchyard.Architecture.Tests;

/// <summary>One src project: its assembly, root namespace and, for Core, Providers and the host, its declared folder order.</summary>
/// <param name="Project">Project (folder) name under src/.</param>
/// <param name="Assembly">File name of the compiled assembly.</param>
/// <param name="Root">Root namespace: a folder's namespace is Root + "." + folder.</param>
/// <param name="Order">Folders in dependency order, each with today's names that will move into it; null: no order declared.</param>
internal sealed record SourceProject(string Project, string Assembly, string Root, IReadOnlyList<Layer>? Order);

/// <summary>One place in a declared order: the target folder and the folders of today that map onto it.</summary>
internal sealed record Layer(string Folder, params string[] Today);

/// <summary>
/// The rules, written down once. A folder may depend only on folders EARLIER in its project's order (or on itself);
/// today's folder names sit at the place of the target folder they move into (decision 1 of issue 14), so the
/// baseline lists exactly the arrows that remain to be cut.
/// </summary>
internal static class Layers
{
    /// <summary>Namespaces outside a project's root that are part of its code: DI registration (STYLE rule 6) and top-level statements.</summary>
    public const string Wiring = "Microsoft.Extensions.DependencyInjection";
    public const string Global = "(global)";
    public const string RootFolder = "(root)";

    public static readonly IReadOnlyList<SourceProject> Sources =
    [
        new("Switchyard.Core", "Switchyard.Core.dll", "Switchyard.Core",
        [
            new("Common"),
            new("Model"),
            new("Pricing"),
            new("Catalog"),
            new("Snapshot"),
            new("Upstream"),
            new("Stores"),
            new("Gate"),
            new("Inspect"),
            new("Route"),
            new("Execute"),
            new("Deployments"),
            new("Ledger"),
            new("Chain"),
            new("Reports"),
            new("Planning"),
            new("Accounts"),
            new(Wiring),
        ]),
        new("Switchyard.Providers", "Switchyard.Providers.dll", "Switchyard.Providers",
        [
            new("Json"),
            new("Clients"),
            new("Sse"),
            new("Http"),
            new("Gemini"),
            new("Anthropic"),
            new("OpenAI"),
            new("Translation"),
            new("Azure"),
            new("Bedrock"),
            new("Vertex"),
            new("Simulated"),
            new(RootFolder),
            new(Wiring),
        ]),
        new("Switchyard.Storage.Sqlite", "Switchyard.Storage.Sqlite.dll", "Switchyard.Storage.Sqlite", null),
        new("Switchyard.Storage.Postgres", "Switchyard.Storage.Postgres.dll", "Switchyard.Storage.Postgres", null),
        new("Switchyard.Tools", "Switchyard.Tools.dll", "Switchyard.Tools", null),
        new("Switchyard", "switchyard.dll", "Switchyard",
        [
            new("Telemetry"),
            new("Hosting"),
            new("Gate"),
            new("Ledger"),
            new("Pipeline"),
            new("Endpoints"),
            new("Admin"),
            new("Dashboard"),
            new(Wiring),
            new("Composition"),
            new("Cli"),
            new(RootFolder),
            new(Global),
        ]),
    ];

    /// <summary>DESIGN.md's layering: each src project → the src projects it may reference (directly).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> SourceReferences = new Dictionary<string, string[]>
    {
        ["Switchyard.Core"] = [],
        ["Switchyard.Providers"] = ["Switchyard.Core"],
        ["Switchyard.Storage.Sqlite"] = ["Switchyard.Core"],
        ["Switchyard.Storage.Postgres"] = ["Switchyard.Core"],
        ["Switchyard.Tools"] = ["Switchyard.Core"],
        ["Switchyard"] = ["Switchyard.Core", "Switchyard.Providers", "Switchyard.Storage.Sqlite", "Switchyard.Storage.Postgres", "Switchyard.Tools"],
    };

    /// <summary>
    /// Test projects that test one layer (decision 11) → the projects they must not reach, directly or through another
    /// project. <see cref="AspNetCore"/> stands for the ASP.NET Core shared framework (a FrameworkReference or the Web SDK).
    /// Host-level test projects (Switchyard.Tests, Smoke, Browser, Storage) are not listed: they may reach anything.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string[]> TestForbidden = new Dictionary<string, string[]>
    {
        ["Switchyard.Core.Tests"] = [Executable, "Switchyard.Storage.Sqlite", "Switchyard.Storage.Postgres", "Switchyard.Testing.Host", AspNetCore],
        // The wire-format fakes listen on loopback Kestrel (LoopbackFake), so Providers.Tests may reach ASP.NET Core through them.
        ["Switchyard.Providers.Tests"] = [Executable, "Switchyard.Storage.Sqlite", "Switchyard.Storage.Postgres", "Switchyard.Testing.Host"],
        ["Switchyard.Tools.Tests"] = [Executable, "Switchyard.Storage.Sqlite", "Switchyard.Storage.Postgres", "Switchyard.Testing.Host"],
        ["Switchyard.Architecture.Tests"] = ["Switchyard.Testing", "Switchyard.Testing.Host"],
    };

    public const string Executable = "Switchyard";
    public const string AspNetCore = "Microsoft.AspNetCore.App";

    /// <summary>The folder a namespace belongs to in its project, or null for compiler- and generator-made namespaces outside it.</summary>
    public static string? Folder(SourceProject project, string ns)
    {
        if (ns == project.Root)
        {
            return RootFolder;
        }

        if (ns.StartsWith(project.Root + ".", StringComparison.Ordinal))
        {
            var rest = ns[(project.Root.Length + 1)..];
            var dot = rest.IndexOf('.', StringComparison.Ordinal);
            return dot < 0 ? rest : rest[..dot];
        }

        return ns switch
        {
            Wiring => Wiring,
            "" => Global,
            _ => null,
        };
    }

    /// <summary>Position of a folder in the project's order, or -1 when the order does not name it.</summary>
    public static int Rank(SourceProject project, string folder)
    {
        for (var i = 0; i < project.Order!.Count; i++)
        {
            if (project.Order[i].Folder == folder || project.Order[i].Today.Contains(folder))
            {
                return i;
            }
        }

        return -1;
    }
}
