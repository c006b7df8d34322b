using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Tests.Hosting;
using Xunit;

namespace Switchyard.Tests.Docs;

/// <summary>
/// Every command shown in README.md and docs/*.md runs, as written, in document order, in a scratch copy of the
/// repository's layout (config/, eng/eval/, the shipped model files, ../shared beside it) with its own git index:
/// <c>switchyard …</c>, <c>./out/switchyard …</c> and <c>dotnet run --project src/Switchyard -- …</c> run the built
/// executable; <c>serve</c> starts it on a free loopback port; <c>curl</c> examples go to the gateway the last
/// <c>serve</c> started, and must answer 2xx. Commands that build or test this repository itself (dotnet test,
/// publish, bench/, eng/ scripts) are not product examples and are only listed. In the end the examples must leave no
/// file that <c>.gitignore</c> misses.
/// </summary>
public sealed partial class DocExamplesTests
{
    private static readonly TimeSpan _commandLimit = TimeSpan.FromMinutes(10);

    /// <summary>Repository commands documented for contributors, not the product's CLI.</summary>
    private static readonly string[][] _repositoryCommands =
    [
        ["dotnet", "test"], ["dotnet", "publish"], ["dotnet", "build"], ["dotnet", "format"], ["bash", ".ci/run"],
    ];

    /// <summary>What each spelling of the executable is followed by: the verb and its arguments.</summary>
    private static readonly string[][] _executables =
    [
        ["switchyard"], ["./out/switchyard"], ["dotnet", "run", "--project", "src/Switchyard", "--"],
    ];

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"\bkey_[A-Za-z0-9]+")]
    private static partial Regex KeyId();

    [Fact]
    public void DocCommands_ShellLinesAndPromptedExamples_AreReadWithContinuationsAndQuotes()
    {
        string[] markdown =
        [
            "text", "```sh", "switchyard teams create search --org acme --policy '{\"a\": 1}'   # a comment", "curl -s http://x \\",
            "  -H \"A: b\"", "```", "```", "$ switchyard plan --api \"H100 SXM\"", "output line", "```",
        ];

        var commands = DocCommands.Parse("f.md", markdown).ToList();

        Assert.Equal(3, commands.Count);
        Assert.Equal(["switchyard", "teams", "create", "search", "--org", "acme", "--policy", "{\"a\": 1}"], commands[0].Words);
        Assert.Equal(["curl", "-s", "http://x", "-H", "A: b"], commands[1].Words);
        Assert.Equal((4, 8), (commands[1].Line, commands[2].Line));
        Assert.Equal(["switchyard", "plan", "--api", "H100 SXM"], commands[2].Words);
    }

    [Fact]
    public async Task Docs_EveryCommandExample_RunsAsWrittenAndLeavesNothingUntracked()
    {
        var commands = DocCommands.Read(SharedData.RepoRoot);
        Assert.Contains(commands, c => c.Words.Contains("embeddings", StringComparer.Ordinal) || c.Text.Contains("/v1/embeddings", StringComparison.Ordinal));
        using var workspace = await DocWorkspace.CreateAsync(Ct);
        var output = TestContext.Current.TestOutputHelper;
        var failures = new List<string>();
        var lastKeyId = "";
        await using var gateway = new DocGateway(workspace.Directory);

        foreach (var command in commands)
        {
            try
            {
                var words = command.Words.Select(w => w.Replace("key_…", lastKeyId, StringComparison.Ordinal)).ToList();
                if (_repositoryCommands.Any(p => StartsWith(words, p)) || words[0] == "export")
                {
                    output?.WriteLine($"listed, not run: {command}");
                    continue;
                }

                if (words[0] == "curl")
                {
                    var (status, body) = await gateway.CurlAsync(words, Ct);
                    output?.WriteLine($"ok {status}: {command}");
                    if (status is < 200 or > 299)
                    {
                        failures.Add($"{command}\n  → HTTP {status}: {Clip(body)}");
                    }

                    continue;
                }

                var executable = _executables.FirstOrDefault(p => StartsWith(words, p));
                if (executable is null)
                {
                    failures.Add($"{command}\n  → not a command this test knows how to run: add it here or write it as a synopsis outside a sh block");
                    continue;
                }

                var args = words.Skip(executable.Length).ToList();
                if (args.FirstOrDefault() == "serve")
                {
                    await gateway.StartAsync(args, Ct);
                    output?.WriteLine($"ok serving on {gateway.BaseAddress}: {command}");
                    continue;
                }

                // A CLI verb sees the store as a stopped gateway left it: drained, not written to meanwhile.
                await gateway.StopAsync();
                var result = await ChildProcess.RunAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "switchyard.dll"), .. args],
                    workspace.Directory, null, _commandLimit, Ct);
                output?.WriteLine($"exit {result.ExitCode}: {command}");
                if (result.ExitCode != 0)
                {
                    failures.Add($"{command}\n  → exit {result.ExitCode}: {Clip(result.Output)}");
                }

                if (KeyId().Matches(result.StandardOutput).LastOrDefault() is { } id)
                {
                    lastKeyId = id.Value;
                }
            }
            catch (Exception ex) when (ex is TimeoutException or HttpRequestException or InvalidOperationException or IOException)
            {
                failures.Add($"{command}\n  → {ex.GetType().Name}: {Clip(ex.Message)}");
            }
        }

        await gateway.StopAsync();
        var untracked = await workspace.UntrackedAsync(Ct);

        Assert.True(failures.Count == 0, $"{failures.Count} documented command(s) failed:\n" + string.Join("\n", failures));
        Assert.True(untracked.Count == 0, "the documented commands left files that .gitignore misses: " + string.Join(", ", untracked));
    }

    private static bool StartsWith(List<string> words, string[] prefix) =>
        words.Count >= prefix.Length && prefix.Select((p, i) => p == words[i]).All(x => x);

    private static string Clip(string text) => text.Length <= 1500 ? text.Trim() : text[..700] + " … " + text[^700..];

    /// <summary>
    /// A scratch directory laid out like a clone: config/, eng/eval/, the shipped model files under src/, .gitignore,
    /// all staged in a fresh git index; ../shared beside it is a link to the real shared data.
    /// </summary>
    private sealed class DocWorkspace : IDisposable
    {
        private readonly string _root;

        private DocWorkspace(string root)
        {
            _root = root;
            Directory = Path.Combine(root, "repo");
        }

        public string Directory { get; }

        public static async Task<DocWorkspace> CreateAsync(CancellationToken cancellationToken)
        {
            var workspace = new DocWorkspace(System.IO.Directory.CreateTempSubdirectory("switchyard-docs-").FullName);
            var repo = SharedData.RepoRoot;
            System.IO.Directory.CreateSymbolicLink(Path.Combine(workspace._root, "shared"), Path.GetDirectoryName(SharedData.Directory)!);
            foreach (var folder in new[] { "config", Path.Combine("eng", "eval"), Path.Combine("src", "Switchyard.Core", "Inspect", "Data") })
            {
                Copy(Path.Combine(repo, folder), Path.Combine(workspace.Directory, folder));
            }

            File.Copy(Path.Combine(repo, ".gitignore"), Path.Combine(workspace.Directory, ".gitignore"));
            await GitAsync(workspace.Directory, cancellationToken, "init", "-q");
            await GitAsync(workspace.Directory, cancellationToken, "add", "-A");
            return workspace;
        }

        /// <summary>Files in the workspace that are neither staged nor ignored.</summary>
        public async Task<List<string>> UntrackedAsync(CancellationToken cancellationToken)
        {
            var status = await GitAsync(Directory, cancellationToken, "status", "--porcelain", "--untracked-files=all");
            return [.. status.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => l.StartsWith("??", StringComparison.Ordinal)).Select(l => l[3..])];
        }

        public void Dispose()
        {
            try
            {
                System.IO.Directory.Delete(_root, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans the temp directory.
            }
        }

        private static async Task<string> GitAsync(string directory, CancellationToken cancellationToken, params string[] args)
        {
            var result = await ChildProcess.RunAsync("git", args, directory, null, TimeSpan.FromMinutes(2), cancellationToken);
            Assert.True(result.ExitCode == 0, $"git {string.Join(' ', args)}: {result.Output}");
            return result.StandardOutput;
        }

        private static void Copy(string from, string to)
        {
            System.IO.Directory.CreateDirectory(to);
            foreach (var file in System.IO.Directory.GetFiles(from))
            {
                File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
            }

            foreach (var directory in System.IO.Directory.GetDirectories(from))
            {
                Copy(directory, Path.Combine(to, Path.GetFileName(directory)));
            }
        }
    }

    /// <summary>
    /// The gateway a documented <c>serve</c> started (on a free loopback port; the docs' 127.0.0.1:8080 is rewritten to
    /// it), stopped with SIGTERM before any other verb runs and started again for the next <c>curl</c>.
    /// </summary>
    private sealed class DocGateway(string directory) : IAsyncDisposable
    {
        private Process? _process;
        private List<string>? _serve;

        public Uri? BaseAddress { get; private set; }

        public async Task StartAsync(List<string> serve, CancellationToken cancellationToken)
        {
            await StopAsync();
            _serve = serve;
            var at = serve.IndexOf("--urls");
            if (at >= 0 && !serve[at + 1].StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
            {
                throw new InvalidOperationException("documented serve examples listen on 127.0.0.1 only in this test");
            }

            var port = GatewayProcess.FreePort();
            List<string> args = [.. serve.Where((_, i) => at < 0 || (i != at && i != at + 1)), "--urls", $"http://127.0.0.1:{port}"];
            var log = Path.Combine(Path.GetTempPath(), $"switchyard-docs-{port}.log");
            var start = new ProcessStartInfo("bash", ["-c", "exec dotnet \"$0\" \"$@\" > \"$LOG\" 2>&1", Path.Combine(AppContext.BaseDirectory, "switchyard.dll"), .. args])
            {
                WorkingDirectory = directory,
            };
            start.Environment["LOG"] = log;
            _process = Process.Start(start)!;
            BaseAddress = new Uri($"http://127.0.0.1:{port}");
            using var client = new HttpClient { BaseAddress = BaseAddress };
            await GatewayProcess.WaitUntilReadyAsync(client, _process, log);
        }

        /// <summary>Sends a documented curl command (options -s, -H, -d, -X) to the running gateway.</summary>
        public async Task<(int Status, string Body)> CurlAsync(List<string> words, CancellationToken cancellationToken)
        {
            if (_process is null)
            {
                Assert.True(_serve is not null, "a curl example comes before any serve example");
                await StartAsync(_serve!, cancellationToken);
            }

            string? url = null, data = null, method = null;
            var headers = new List<(string Name, string Value)>();
            for (var i = 1; i < words.Count; i++)
            {
                switch (words[i])
                {
                    case "-s" or "--silent":
                        break;
                    case "-H" or "--header":
                        var header = words[++i];
                        var colon = header.IndexOf(':', StringComparison.Ordinal);
                        headers.Add((header[..colon].Trim(), header[(colon + 1)..].Trim()));
                        break;
                    case "-d" or "--data":
                        data = words[++i];
                        break;
                    case "-X" or "--request":
                        method = words[++i];
                        break;
                    case var option when option.StartsWith('-'):
                        throw new InvalidOperationException($"curl option {option} is not supported by this test");
                    default:
                        url = words[i];
                        break;
                }
            }

            var target = new Uri(url ?? throw new InvalidOperationException("curl without a URL"));
            using var client = new HttpClient { Timeout = TimeSpan.FromMinutes(2) };
            using var request = new HttpRequestMessage(new HttpMethod(method ?? (data is null ? "GET" : "POST")), new Uri(BaseAddress!, target.PathAndQuery));
            if (data is not null)
            {
                request.Content = new StringContent(data, Encoding.UTF8);
                request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/x-www-form-urlencoded");
            }

            foreach (var (name, value) in headers)
            {
                if (name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase) && request.Content is not null)
                {
                    request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(value);
                }
                else
                {
                    request.Headers.TryAddWithoutValidation(name, value);
                }
            }

            using var response = await client.SendAsync(request, cancellationToken);
            return ((int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken));
        }

        /// <summary>SIGTERM and wait: the gateway drains its ledger before it exits.</summary>
        public async Task StopAsync()
        {
            if (_process is null)
            {
                return;
            }

            using (var term = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync(CancellationToken.None);
            }

            using var limit = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            try
            {
                await _process.WaitForExitAsync(limit.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.Dispose();
            _process = null;
        }

        public async ValueTask DisposeAsync() => await StopAsync();
    }
}
