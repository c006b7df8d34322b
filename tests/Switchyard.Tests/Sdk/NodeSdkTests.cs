using System.Globalization;
using Switchyard.Testing;
using Switchyard.Testing.Host;
using Switchyard.Testing.Upstreams;
using Xunit;

namespace Switchyard.Tests.Sdk;

/// <summary>
/// The official Node SDKs (tests/node-sdk: <c>openai</c> and <c>@anthropic-ai/sdk</c>, versions pinned in its
/// package-lock.json), used unchanged, against the gateway in front of a fake OpenAI upstream: chat, stream, tools,
/// json_schema, embeddings, models through <c>/v1</c>; message, stream, tool use and errors through <c>/v1/messages</c>.
/// <c>.ci/run</c> installs the packages (<c>npm ci</c>); a plain <c>dotnet test</c> installs them on first use.
/// </summary>
public sealed class NodeSdkTests
{
    private static readonly TimeSpan _installLimit = TimeSpan.FromMinutes(3);
    private static readonly TimeSpan _smokeLimit = TimeSpan.FromSeconds(90);
    private static readonly SemaphoreSlim _install = new(1, 1);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string SdkDirectory => Path.Combine(SharedData.RepoRoot, "tests", "node-sdk");

    [Fact]
    public async Task NodeOpenAISdk_SmokeScript_ExitsZero()
    {
        await EnsureInstalledAsync();
        await using var upstream = await FakeUpstream.StartAsync().WaitAsync(_smokeLimit, Ct);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys).WaitAsync(_smokeLimit, Ct);
        var environment = new Dictionary<string, string>
        {
            ["SWITCHYARD_BASE_URL"] = app.BaseAddress.ToString(),
            ["SWITCHYARD_API_KEY"] = SwitchyardAppFactory.TestKey,
            ["SMOKE_CHAT_MODEL"] = "gpt-4o-mini",
            ["SMOKE_EMBEDDING_MODEL"] = "text-embedding-3-small",
            ["SMOKE_EXPECT_TEXT"] = upstream.ReplyText,
            ["SMOKE_EXPECT_PROMPT_TOKENS"] = OpenAIWire.PromptTokens.ToString(CultureInfo.InvariantCulture),
            ["SMOKE_EXPECT_COMPLETION_TOKENS"] = OpenAIWire.CompletionTokens.ToString(CultureInfo.InvariantCulture),
            ["SMOKE_EXPECT_TOOL_ARGS"] = """{"city":"Paris"}""",
        };

        var result = await RunAsync("node", ["smoke.mjs"], SdkDirectory, environment, _smokeLimit);

        Assert.True(result.ExitCode == 0, $"node smoke.mjs exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("all steps passed", result.Output, StringComparison.Ordinal);
        Assert.Contains(upstream.Received, r => r.Path.EndsWith("/embeddings", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NodeAnthropicSdk_SmokeScript_ExitsZero()
    {
        await EnsureInstalledAsync();
        await using var upstream = await FakeUpstream.StartAsync().WaitAsync(_smokeLimit, Ct);
        await using var app = await SwitchyardAppFactory.StartAsync(TestConfig.OpenAI(upstream.BaseUrl), TestConfig.Keys).WaitAsync(_smokeLimit, Ct);
        var environment = new Dictionary<string, string>
        {
            ["SWITCHYARD_BASE_URL"] = app.BaseAddress.ToString(),
            ["SWITCHYARD_API_KEY"] = SwitchyardAppFactory.TestKey,
            ["SMOKE_CHAT_MODEL"] = "gpt-4o-mini",
            ["SMOKE_EXPECT_TEXT"] = upstream.ReplyText,
            ["SMOKE_EXPECT_OUTPUT_TOKENS"] = OpenAIWire.CompletionTokens.ToString(CultureInfo.InvariantCulture),
            ["SMOKE_EXPECT_TOOL_ARGS"] = """{"city":"Paris"}""",
        };

        var result = await RunAsync("node", ["anthropic-smoke.mjs"], SdkDirectory, environment, _smokeLimit);

        Assert.True(result.ExitCode == 0, $"node anthropic-smoke.mjs exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("all steps passed", result.Output, StringComparison.Ordinal);
        Assert.Contains(upstream.Received, r => r.Path.EndsWith("/chat/completions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task NodeAnthropicSdk_ToolLoopEchoingTheReply_ExitsZeroForEveryUpstreamFormat()
    {
        await EnsureInstalledAsync();
        await using var anthropic = await FakeAnthropicUpstream.StartAsync().WaitAsync(_smokeLimit, Ct);
        await using var gemini = await FakeGeminiUpstream.StartAsync().WaitAsync(_smokeLimit, Ct);
        await using var openAI = await FakeUpstream.StartAsync().WaitAsync(_smokeLimit, Ct);
        await using var app = await SwitchyardAppFactory.StartAsync(TranslationConfig.Yaml(anthropic.BaseUrl, gemini.BaseUrl, openAI.BaseUrl), TranslationConfig.Keys)
            .WaitAsync(_smokeLimit, Ct);
        var environment = new Dictionary<string, string>
        {
            ["SWITCHYARD_BASE_URL"] = app.BaseAddress.ToString(),
            ["SWITCHYARD_API_KEY"] = SwitchyardAppFactory.TestKey,
            ["SMOKE_MODELS"] = "claude,gpt-4o-mini,gemini",
        };

        var result = await RunAsync("node", ["anthropic-tool-loop.mjs"], SdkDirectory, environment, _smokeLimit);

        Assert.True(result.ExitCode == 0, $"node anthropic-tool-loop.mjs exited {result.ExitCode}:\n{result.Output}");
        Assert.Contains("all steps passed", result.Output, StringComparison.Ordinal);
        // Turn two of each loop reached the upstream with turn one's tool call in it.
        Assert.Equal(4, anthropic.Received.Count);
        Assert.Equal(4, openAI.Received.Count);
        Assert.Equal(4, gemini.Received.Count);
    }

    /// <summary>Runs <c>npm ci</c> once when a pinned SDK is missing from node_modules (the lock file pins the versions).</summary>
    private static async Task EnsureInstalledAsync()
    {
        await _install.WaitAsync(Ct).WaitAsync(_installLimit, Ct);
        try
        {
            if (Directory.Exists(Path.Combine(SdkDirectory, "node_modules", "openai"))
                && Directory.Exists(Path.Combine(SdkDirectory, "node_modules", "@anthropic-ai", "sdk")))
            {
                return;
            }

            var result = await RunAsync("npm", ["ci", "--no-audit", "--no-fund"], SdkDirectory, new Dictionary<string, string>(), _installLimit);
            Assert.True(result.ExitCode == 0, $"npm ci exited {result.ExitCode}:\n{result.Output}");
        }
        finally
        {
            _install.Release();
        }
    }

    private static Task<ChildProcessResult> RunAsync(string fileName, string[] arguments, string workingDirectory, Dictionary<string, string> environment, TimeSpan limit) =>
        ChildProcess.RunAsync(fileName, arguments, workingDirectory, environment, limit, Ct);
}
