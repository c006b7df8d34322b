using System.Diagnostics;
using Switchyard.Smoke.Tests;
using Xunit;

[assembly: AssemblyFixture(typeof(PublishedBuild))]

namespace Switchyard.Smoke.Tests;

/// <summary>
/// The artifact the README tells users to run: <c>dotnet publish src/Switchyard -c Release -o …</c>, published once per
/// test run into <c>artifacts/smoke/switchyard</c> (incremental: an unchanged tree publishes in seconds) and shared by
/// every test of this assembly. Reflection-based JSON is off in it, as in every published build.
/// </summary>
public sealed class PublishedBuild : IAsyncLifetime
{
    private static readonly TimeSpan _publishLimit = TimeSpan.FromMinutes(10);

    /// <summary>The published executable (the apphost, <c>switchyard</c>).</summary>
    public string Executable { get; private set; } = "";

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>Set to a published executable to test it instead of publishing the working tree (a release artifact, an older build).</summary>
    public const string ExecutableVariable = "SWITCHYARD_SMOKE_EXECUTABLE";

    public async ValueTask InitializeAsync()
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } given)
        {
            Executable = Path.GetFullPath(given);
            await CheckAsync(Path.GetDirectoryName(Executable)!);
            return;
        }

        var output = Path.Combine(RepoRoot, "artifacts", "smoke", "switchyard");
        var start = new ProcessStartInfo("dotnet",
            ["publish", Path.Combine(RepoRoot, "src", "Switchyard"), "-c", "Release", "-o", output, "-nologo", "-v:q", "--disable-build-servers"])
        {
            WorkingDirectory = RepoRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var limit = new CancellationTokenSource(_publishLimit);
        try
        {
            await process.WaitForExitAsync(limit.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"dotnet publish did not finish within {_publishLimit}.");
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet publish failed ({process.ExitCode}):\n{await stdout}\n{await stderr}");
        }

        Executable = Path.Combine(output, OperatingSystem.IsWindows() ? "switchyard.exe" : "switchyard");
        await CheckAsync(output);
    }

    private async Task CheckAsync(string directory)
    {
        if (!File.Exists(Executable))
        {
            throw new FileNotFoundException("No published executable there.", Executable);
        }

        var runtimeConfig = await File.ReadAllTextAsync(Path.Combine(directory, "switchyard.runtimeconfig.json"));
        if (!runtimeConfig.Contains("\"System.Text.Json.JsonSerializer.IsReflectionEnabledByDefault\": false", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("The published build has reflection-based JSON on; the smoke suite would not test what users run.");
        }
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Switchyard.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException($"No ancestor of {AppContext.BaseDirectory} holds Switchyard.slnx.");
    }
}
