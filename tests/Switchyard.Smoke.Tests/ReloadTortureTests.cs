using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Switchyard.Testing;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Smoke.Tests;

/// <summary>
/// Hot reload under load, against the published executable (issue 13): while clients keep calling it, the configuration
/// file is rewritten <see cref="Steps"/> times with a seeded mix of valid edits, YAML syntax errors, semantic errors,
/// truncated writes and deletions. After each write the test waits — on the gateway's own health document, never on a
/// clock — until the gateway has read that content, then checks that the last valid configuration is the one in force
/// (its marker alias is served, the hash in force is its hash) and that a refused file was logged with file:line:column.
/// No client request may fail.
/// </summary>
public sealed partial class ReloadTortureTests(PublishedBuild build)
{
    private const int Steps = 200;
    private const int Seed = 2026;
    private static readonly TimeSpan _stepLimit = TimeSpan.FromSeconds(30);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ConfigRewritten200Times_UnderLoad_NoFailedRequestAndLastValidAlwaysInForce()
    {
        await using var openAI = await FakeUpstream.StartAsync();
        await using var anthropic = await FakeAnthropicUpstream.StartAsync();
        await using var failing = await FakeUpstream.StartAsync(FakeUpstream.Error(500, "down", "server_error"));
        var files = new TortureConfigs(openAI.BaseUrl, anthropic.BaseUrl, failing.BaseUrl);
        var lastValid = files.Valid(0, new Random(Seed));
        await using var gateway = await RunningGateway.StartAsync(build, lastValid.Text, SmokeGateway.Environment);
        using var admin = gateway.CreateClient(SmokeGateway.AdminKey);
        var lastValidSha = Sha(lastValid.Text);
        using var stopLoad = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var failures = new ConcurrentQueue<string>();
        var served = 0;
        var load = Enumerable.Range(0, 3).Select(worker => Task.Run(() => LoadAsync(gateway, worker, failures, () => Interlocked.Increment(ref served), stopLoad.Token), Ct)).ToList();
        var random = new Random(Seed);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var rejections = 0;

        for (var step = 1; step <= Steps; step++)
        {
            var kind = TortureConfigs.Pick(random, File.Exists(gateway.ConfigPath));
            counts[kind] = counts.GetValueOrDefault(kind) + 1;
            string? written;
            var valid = false;
            switch (kind)
            {
                case "valid":
                    lastValid = files.Valid(step, random);
                    written = lastValid.Text;
                    valid = true;
                    break;
                case "truncated-then-completed":
                    // A writer caught half-way, then done: the half is never valid (an unclosed JSON object), the whole is.
                    await File.WriteAllTextAsync(gateway.ConfigPath, TortureConfigs.Truncate(files.Valid(step, random).Json, random), Ct);
                    lastValid = files.Valid(step, random);
                    written = lastValid.Text;
                    valid = true;
                    break;
                case "truncated":
                    written = TortureConfigs.Truncate(files.Valid(step, random).Json, random);
                    break;
                case "syntax":
                    written = TortureConfigs.BreakSyntax(lastValid.Text, random);
                    break;
                case "semantic":
                    written = files.Invalid(step, random);
                    break;
                default:
                    written = null;
                    break;
            }

            if (written is null)
            {
                File.Delete(gateway.ConfigPath);
            }
            else
            {
                await File.WriteAllTextAsync(gateway.ConfigPath, written, Ct);
            }

            var sha = written is null ? null : Sha(written);
            var config = await WaitProcessedAsync(admin, sha, step, kind);
            if (valid && sha != lastValidSha)
            {
                lastValidSha = sha!;
            }

            Assert.True(config["sha256"]!.GetValue<string>() == lastValidSha, $"step {step} ({kind}): the configuration in force is not the last valid one: {config.ToJsonString()}");
            if (!valid && sha != lastValidSha)
            {
                rejections++;
                var errors = config["rejection"]!["errors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
                Assert.NotEmpty(errors);
                if (written is not null)
                {
                    Assert.All(errors, e => Assert.Matches(Located(gateway.ConfigPath), e));
                    await WaitLoggedAsync(gateway, sha!, step);
                }
            }

            await AssertMarkerServedAsync(gateway, lastValid.Marker, step, kind);
        }

        await stopLoad.CancelAsync();
        await Task.WhenAll(load);
        TestContext.Current.TestOutputHelper?.WriteLine(
            $"reload torture: {Steps} writes ({string.Join(", ", counts.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}×{p.Value}"))}), " +
            $"{rejections} refused, {served} client requests served, {failures.Count} failed");

        Assert.True(failures.IsEmpty, $"{failures.Count} client requests failed during reloads:\n{string.Join('\n', failures.Take(20))}");
        Assert.True(served >= Steps, $"only {served} client requests ran during the {Steps} reloads");
        Assert.False(gateway.HasExited);
        Assert.DoesNotContain(gateway.Log, line => line.Contains("Unhandled error", StringComparison.Ordinal) || line.Contains("Background task", StringComparison.Ordinal));
    }

    private static Regex Located(string path) => new("^" + Regex.Escape(path) + @":\d+:\d+: ");

    private static string Sha(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    /// <summary>Waits until the gateway's health document says it has read <paramref name="sha"/> (null: the file is gone).</summary>
    private static async Task<JsonNode> WaitProcessedAsync(HttpClient admin, string? sha, int step, string kind)
    {
        var deadline = DateTime.UtcNow + _stepLimit;
        JsonNode config;
        do
        {
            using var response = await admin.GetAsync("/admin/health", Ct);
            config = JsonNode.Parse(await response.Content.ReadAsStringAsync(Ct))!["config"]!;
            var file = config["file_sha256"]?.GetValue<string>();
            if (file == sha && (sha is not null || config["rejection"] is not null))
            {
                return config;
            }

            await Task.Delay(10, Ct);
        }
        while (DateTime.UtcNow < deadline);

        Assert.Fail($"step {step} ({kind}): the gateway did not read the new file within {_stepLimit.TotalSeconds} s: {config.ToJsonString()}");
        return config;
    }

    /// <summary>The refusal of <paramref name="sha"/> is in the log, with each error located (the log is written asynchronously).</summary>
    private static async Task WaitLoggedAsync(RunningGateway gateway, string sha, int step)
    {
        var deadline = DateTime.UtcNow + _stepLimit;
        while (DateTime.UtcNow < deadline)
        {
            if (gateway.Log.FirstOrDefault(l => l.Contains($"(sha256 {sha[..12]}) but has", StringComparison.Ordinal)) is { } line)
            {
                Assert.Matches(Regex.Escape(gateway.ConfigPath) + @":\d+:\d+: ", line);
                return;
            }

            await Task.Delay(10, Ct);
        }

        Assert.Fail($"step {step}: the refusal of {sha[..12]} was not logged");
    }

    private static async Task AssertMarkerServedAsync(RunningGateway gateway, string marker, int step, string kind)
    {
        using var client = gateway.CreateClient(SmokeGateway.ClientKey);
        using var response = await client.PostAsync("/v1/chat/completions",
            new StringContent($$"""{"model":"{{marker}}","messages":[{"role":"user","content":"step {{step}}"}]}""", Encoding.UTF8, "application/json"), Ct);
        Assert.True((int)response.StatusCode == 200, $"step {step} ({kind}): the last valid configuration's alias {marker} answered {(int)response.StatusCode}");
    }

    /// <summary>A client that keeps calling the gateway until stopped: chat, streams, embeddings and Anthropic messages, all on names every valid file keeps.</summary>
    private static async Task LoadAsync(RunningGateway gateway, int worker, ConcurrentQueue<string> failures, Func<int> served, CancellationToken stop)
    {
        using var client = gateway.CreateClient(SmokeGateway.ClientKey);
        string[] bodies =
        [
            """{"model":"auto","messages":[{"role":"user","content":"hello"}]}""",
            """{"model":"auto","stream":true,"messages":[{"role":"user","content":"hello"}]}""",
            """{"model":"text-embedding-3-small","input":"hello"}""",
            """{"model":"claude","max_tokens":32,"messages":[{"role":"user","content":"hello"}]}""",
        ];
        string[] paths = ["/v1/chat/completions", "/v1/chat/completions", "/v1/embeddings", "/v1/messages"];
        for (var i = worker; !stop.IsCancellationRequested; i++)
        {
            var which = i % bodies.Length;
            try
            {
                using var content = new StringContent(bodies[which], Encoding.UTF8, "application/json");
                using var response = await client.PostAsync(paths[which], content, stop);
                var text = await response.Content.ReadAsStringAsync(stop);
                if ((int)response.StatusCode != 200 || (which == 1 && !text.Contains("[DONE]", StringComparison.Ordinal)))
                {
                    failures.Enqueue($"{paths[which]} #{i}: {(int)response.StatusCode} {text[..Math.Min(200, text.Length)]}");
                }

                served();
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (HttpRequestException ex)
            {
                failures.Enqueue($"{paths[which]} #{i}: {ex.Message}");
            }
        }
    }
}
