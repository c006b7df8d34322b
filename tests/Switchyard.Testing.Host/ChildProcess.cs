using System.ComponentModel;
using System.Diagnostics;
using System.Text;

namespace Switchyard.Testing.Host;

/// <summary>A finished child process: its exit code and its standard output and error, interleaved as they came.</summary>
public sealed record ChildProcessResult(int ExitCode, string Output, string StandardOutput);

/// <summary>
/// Runs a program to completion with its output captured, bounded by a time limit: on the limit (or cancellation) the
/// whole process tree is killed and a <see cref="TimeoutException"/> carries what it printed.
/// </summary>
public static class ChildProcess
{
    public static async Task<ChildProcessResult> RunAsync(string fileName, IEnumerable<string> arguments, string workingDirectory,
        IReadOnlyDictionary<string, string>? environment, TimeSpan limit, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        var output = new StringBuilder();
        var stdout = new StringBuilder();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Append(output, e.Data, stdout);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data, null);
        try
        {
            process.Start();
        }
        catch (Win32Exception ex)
        {
            throw new InvalidOperationException($"Could not start '{fileName}' (is it installed and on PATH?): {ex.Message}", ex);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(limit);
        try
        {
            await process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{fileName} {string.Join(' ', arguments)}' did not finish within {limit}:\n{Snapshot(output)}");
        }

        // The exit may be seen before the last lines are read: WaitForExit() with no timeout drains the redirected streams.
        await process.WaitForExitAsync(CancellationToken.None);
        return new ChildProcessResult(process.ExitCode, Snapshot(output), Snapshot(stdout));
    }

    private static void Append(StringBuilder output, string? line, StringBuilder? alsoTo)
    {
        if (line is null)
        {
            return;
        }

        lock (output)
        {
            output.AppendLine(line);
            alsoTo?.AppendLine(line);
        }
    }

    private static string Snapshot(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }
}
