namespace Switchyard.Architecture.Tests;

/// <summary>The checkout the test runs in: found from the test's own output directory, up to <c>Switchyard.slnx</c>.</summary>
internal static class Repository
{
    public static string Root { get; } = FindRoot();

    public static string Relative(string path) => Path.GetRelativePath(Root, path).Replace('\\', '/');

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"no Switchyard.slnx above {AppContext.BaseDirectory}");
    }
}
