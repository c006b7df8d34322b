using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Switchyard.Smoke.Tests;

/// <summary>
/// The published executable running <c>serve</c> as a child process, on a port the OS picks (read back from its
/// "Now listening on" line), with its own config file and data directory; its console is kept line by line.
/// Dispose kills this one process and deletes its directory.
/// </summary>
public sealed partial class RunningGateway : IAsyncDisposable
{
    private static readonly TimeSpan _startLimit = TimeSpan.FromSeconds(60);
    private readonly Process _process;
    private readonly ConcurrentQueue<string> _lines = new();
    private readonly TaskCompletionSource<string> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private RunningGateway(Process process, string directory)
    {
        _process = process;
        Directory = directory;
    }

    public string Directory { get; }

    public string ConfigPath => Path.Combine(Directory, "switchyard.yaml");

    public Uri BaseAddress { get; private set; } = null!;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Every console line so far, ANSI colours removed.</summary>
    public IReadOnlyList<string> Log => [.. _lines];

    public static async Task<RunningGateway> StartAsync(PublishedBuild build, string configYaml, IReadOnlyDictionary<string, string> environment)
    {
        ArgumentNullException.ThrowIfNull(build);
        ArgumentNullException.ThrowIfNull(environment);
        var directory = System.IO.Directory.CreateTempSubdirectory("switchyard-smoke-").FullName;
        await File.WriteAllTextAsync(Path.Combine(directory, "switchyard.yaml"), configYaml);
        var start = new ProcessStartInfo(build.Executable,
            ["serve", "--config", Path.Combine(directory, "switchyard.yaml"), "--urls", "http://127.0.0.1:0", "--data-dir", Path.Combine(directory, "data")])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        var gateway = new RunningGateway(new Process { StartInfo = start, EnableRaisingEvents = true }, directory);
        gateway._process.OutputDataReceived += (_, e) => gateway.OnLine(e.Data);
        gateway._process.ErrorDataReceived += (_, e) => gateway.OnLine(e.Data);
        gateway._process.Exited += (_, _) => gateway._listening.TrySetException(new InvalidOperationException("the gateway exited before listening"));
        gateway._process.Start();
        gateway._process.BeginOutputReadLine();
        gateway._process.BeginErrorReadLine();
        try
        {
            gateway.BaseAddress = new Uri(await gateway._listening.Task.WaitAsync(_startLimit));
        }
        catch (Exception ex) when (ex is TimeoutException or InvalidOperationException)
        {
            var log = string.Join('\n', gateway.Log);
            await gateway.DisposeAsync();
            throw new InvalidOperationException($"The published gateway did not start ({ex.Message}):\n{log}", ex);
        }

        return gateway;
    }

    public HttpClient CreateClient(string? bearer = null)
    {
        var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        if (bearer is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", bearer);
        }

        return client;
    }

    /// <summary>Resident set size now and at its peak (VmRSS, VmHWM of /proc/PID/status), in bytes.</summary>
    public (long Current, long Peak) Memory()
    {
        long current = 0, peak = 0;
        foreach (var line in File.ReadLines($"/proc/{_process.Id}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                current = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        return (current, peak);

        static long Kilobytes(string line) => long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private void OnLine(string? line)
    {
        if (line is null)
        {
            return;
        }

        line = Ansi().Replace(line, "");
        _lines.Enqueue(line);
        if (Listening().Match(line) is { Success: true } match)
        {
            _listening.TrySetResult(match.Groups[1].Value);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));
        }

        _process.Dispose();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // The OS cleans its temp directory.
        }
    }

    [GeneratedRegex(@"\x1B\[[0-9;]*m")]
    private static partial Regex Ansi();

    [GeneratedRegex(@"Now listening on: (http://\S+)")]
    private static partial Regex Listening();
}
