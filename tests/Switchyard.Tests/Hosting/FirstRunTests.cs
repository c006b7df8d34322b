using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using Switchyard.Composition;
using Xunit;

namespace Switchyard.Tests.Hosting;

/// <summary><c>switchyard serve</c> in an empty directory: the example config and data folder, the banner, its curl and its one-time link.</summary>
public sealed partial class FirstRunTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Serve_NoConfigAnywhere_WritesTheExamplePrintsTheBannerAndTheLinkSignsInOnce()
    {
        var directory = Directory.CreateTempSubdirectory("switchyard-first-run-").FullName;
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "switchyard.dll"), "serve", "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var output = new StringBuilder();
        var banner = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        process.OutputDataReceived += (_, e) =>
        {
            lock (output)
            {
                output.AppendLine(e.Data);
                if (e.Data?.Contains("Next: add a real provider", StringComparison.Ordinal) == true)
                {
                    banner.TrySetResult(output.ToString());
                }
            }
        };
        process.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            var text = await banner.Task.WaitAsync(TimeSpan.FromSeconds(90), Ct);

            Assert.True(File.Exists(Path.Combine(directory, "switchyard.yaml")), text);
            Assert.True(Directory.Exists(Path.Combine(directory, "data")), text);
            Assert.Contains("First run: wrote the example configuration", text, StringComparison.Ordinal);
            var link = LinkPattern().Match(text).Value;
            Assert.StartsWith($"http://127.0.0.1:{port}/ui/login?token=", link, StringComparison.Ordinal);
            var key = KeyPattern().Match(text).Groups[1].Value;
            Assert.Equal("sk-switchyard-local-dev", key);

            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);
            using var answer = await client.PostAsync("/v1/chat/completions",
                new StringContent("""{"model": "auto", "messages": [{"role": "user", "content": "Hello!"}]}""", Encoding.UTF8, "application/json"), Ct);
            Assert.Equal(HttpStatusCode.OK, answer.StatusCode);

            using var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = client.BaseAddress };
            using var signedIn = await browser.GetAsync(link, Ct);
            Assert.Equal(HttpStatusCode.OK, signedIn.StatusCode);
            Assert.EndsWith("/ui", signedIn.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
            Assert.Contains("Getting started", await signedIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

            using var again = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = client.BaseAddress };
            using var reused = await again.GetAsync(link, Ct);
            Assert.Contains("/ui/login", reused.RequestMessage!.RequestUri!.AbsolutePath, StringComparison.Ordinal);
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(Ct);
            try
            {
                Directory.Delete(directory, recursive: true);
            }
            catch (IOException)
            {
                // The OS cleans temp directories.
            }
        }
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    [GeneratedRegex(@"http://127\.0\.0\.1:\d+/ui/login\?token=[A-Za-z0-9_\-]+")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"Authorization: Bearer ([^""]+)""")]
    private static partial Regex KeyPattern();
}
